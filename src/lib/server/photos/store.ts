import { createHash, randomBytes } from 'node:crypto';
import { createReadStream, mkdirSync, type ReadStream } from 'node:fs';
import { open, rename, rm, stat, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { PhotoMime } from '../../domain/schemas/photo.js';
import { PHOTO_MAX_BYTES } from '../../domain/sync/limits.js';

export const SHA256_PATTERN = /^[0-9a-f]{64}$/;
/** Bytes gathered before each write to the temporary file. */
const WRITE_BATCH_BYTES = 1024 * 1024;

/** Does `head` start like a file of `type`? (magic numbers) */
export function looksLike(type: PhotoMime, head: Uint8Array): boolean {
	switch (type) {
		case 'image/jpeg':
			return head[0] === 0xff && head[1] === 0xd8 && head[2] === 0xff;
		case 'image/png':
			return [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a].every((b, i) => head[i] === b);
		case 'image/webp':
			return (
				String.fromCharCode(...head.subarray(0, 4)) === 'RIFF' &&
				String.fromCharCode(...head.subarray(8, 12)) === 'WEBP'
			);
	}
}

export class PhotoStoreError extends Error {
	constructor(
		readonly status: 400 | 413,
		message: string
	) {
		super(message);
	}
}

/**
 * Photos on disk, content-addressed: `photos/ab/abcdef…`. A photo is written to a temporary file,
 * fsynced, checked, then renamed into place, so a crash never leaves half a photo under a valid
 * hash; a rename within one filesystem is atomic.
 */
export class PhotoStore {
	readonly root: string;
	readonly tmp: string;

	constructor(dataDir: string) {
		this.root = join(dataDir, 'photos');
		this.tmp = join(dataDir, 'photos', 'tmp');
		mkdirSync(this.tmp, { recursive: true });
	}

	pathOf(sha256: string): string {
		if (!SHA256_PATTERN.test(sha256)) throw new Error(`not a SHA-256: ${sha256}`);
		return join(this.root, sha256.slice(0, 2), sha256);
	}

	async has(sha256: string): Promise<boolean> {
		try {
			return (await stat(this.pathOf(sha256))).isFile();
		} catch {
			return false;
		}
	}

	read(sha256: string): ReadStream {
		return createReadStream(this.pathOf(sha256));
	}

	/**
	 * Streams `body` to disk, checking as it goes: at most `PHOTO_MAX_BYTES`, starting like `type`,
	 * and hashing to `sha256`. Throws PhotoStoreError (and leaves nothing behind) otherwise.
	 * Returns the size.
	 */
	async put(sha256: string, type: PhotoMime, body: AsyncIterable<Uint8Array>): Promise<number> {
		const target = this.pathOf(sha256);
		const temp = join(this.tmp, `${sha256}.${randomBytes(6).toString('hex')}`);
		const hash = createHash('sha256');
		const file = await open(temp, 'wx');
		let size = 0;
		let head = new Uint8Array(0);
		let done = false;
		let over = false;
		let pending: Uint8Array[] = [];
		let pendingBytes = 0;
		const flush = async () => {
			if (pendingBytes === 0) return;
			const batch = pending.length === 1 ? pending[0]! : Buffer.concat(pending);
			pending = [];
			pendingBytes = 0;
			await file.write(batch);
		};
		try {
			try {
				for await (const chunk of body) {
					size += chunk.byteLength;
					// past the limit, keep reading and dropping: a cancelled body kills the socket
					// before the client has read the 413
					if (over || size > PHOTO_MAX_BYTES) {
						over = true;
						continue;
					}
					if (head.length < 12) {
						const joined = new Uint8Array(head.length + chunk.byteLength);
						joined.set(head);
						joined.set(chunk, head.length);
						head = joined.subarray(0, 12);
					}
					hash.update(chunk);
					// fewer, larger writes: the body arrives in 64 KB pieces
					pending.push(chunk);
					pendingBytes += chunk.byteLength;
					if (pendingBytes >= WRITE_BATCH_BYTES) await flush();
				}
				await flush();
			} catch {
				// adapter-node cut the body at BODY_SIZE_LIMIT, or the client went away mid-way
				if (!over) throw new PhotoStoreError(400, '照片上传中断，未保存：请重新上传');
			}
			if (over) throw new PhotoStoreError(413, `照片超过 ${PHOTO_MAX_BYTES / 1024 / 1024} MB 上限`);
			if (size === 0) throw new PhotoStoreError(400, '照片内容为空');
			if (!looksLike(type, head)) {
				throw new PhotoStoreError(
					400,
					`内容不是 ${type} 图片：请按照片的真实格式设置 Content-Type`
				);
			}
			const actual = hash.digest('hex');
			if (actual !== sha256) {
				throw new PhotoStoreError(
					400,
					`照片内容的 SHA-256 是 ${actual}，与地址中的 ${sha256} 不符：上传可能已损坏，请重新上传`
				);
			}
			await file.sync();
			await file.close();
			done = true;
			mkdirSync(join(this.root, sha256.slice(0, 2)), { recursive: true });
			await rename(temp, target);
			// the directory entry itself must reach the disk too
			const dir = await open(join(this.root, sha256.slice(0, 2)), 'r');
			try {
				await dir.sync();
			} finally {
				await dir.close();
			}
			return size;
		} catch (error) {
			if (!done) await file.close().catch(() => undefined);
			await rm(temp, { force: true });
			throw error;
		}
	}

	/** Removes temporary files left by a crash (called on start). */
	async sweepTemporary(): Promise<number> {
		const names = await readdir(this.tmp);
		await Promise.all(names.map((name) => rm(join(this.tmp, name), { force: true })));
		return names.length;
	}

	async remove(sha256: string): Promise<void> {
		await rm(this.pathOf(sha256), { force: true });
	}
}
