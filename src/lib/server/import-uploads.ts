/**
 * Backup files uploaded in chunks from the review UI (`/api/imports`, docs/BACKUP.md): each
 * chunk is a request far below the body limit, so a file of any size gets through. Chunks live
 * under DATA_DIR/imports/<id>/ until the upload is finished, then they are joined, imported and
 * removed; the report stays, so finishing again answers the same.
 */
import { randomBytes } from 'node:crypto';
import { createReadStream, createWriteStream, existsSync, mkdirSync } from 'node:fs';
import { open, readFile, readdir, rename, rm, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';

/** The largest chunk (the review UI sends 4 MB pieces). */
export const IMPORT_CHUNK_MAX_BYTES = 4 * 1024 * 1024;
/** At most this many chunks in one upload (16 GB). */
export const IMPORT_MAX_CHUNKS = 4096;
/** Unfinished uploads older than this are removed when a new one starts. */
export const IMPORT_STALE_MS = 24 * 3600 * 1000;

const ID_PATTERN = /^[0-9a-f]{32}$/;

export type ImportUploadMeta = { userId: number; createdAt: string; as?: string };

export class ImportUploadError extends Error {
	constructor(
		readonly status: 400 | 404 | 409 | 413,
		message: string
	) {
		super(message);
	}
}

export class ImportUploads {
	readonly root: string;
	/** Uploads being finished now (one finish at a time per upload). */
	readonly #finishing = new Set<string>();

	constructor(dataDir: string) {
		this.root = join(dataDir, 'imports');
	}

	#dir(id: string): string {
		if (!ID_PATTERN.test(id)) throw new ImportUploadError(404, '没有这个上传');
		return join(this.root, id);
	}

	async create(meta: ImportUploadMeta): Promise<string> {
		await this.sweep().catch(() => undefined);
		const id = randomBytes(16).toString('hex');
		mkdirSync(join(this.root, id), { recursive: true });
		await writeFile(join(this.root, id, 'upload.json'), JSON.stringify(meta));
		return id;
	}

	/** The upload's owner and options; 404 when there is no such upload. */
	async meta(id: string): Promise<ImportUploadMeta> {
		try {
			return JSON.parse(
				await readFile(join(this.#dir(id), 'upload.json'), 'utf8')
			) as ImportUploadMeta;
		} catch (error) {
			if (error instanceof ImportUploadError) throw error;
			throw new ImportUploadError(404, '没有这个上传（已完成后清理，或已过期）');
		}
	}

	/**
	 * Stores chunk `n` (replacing an earlier try of it): streamed to a temporary file, at most
	 * IMPORT_CHUNK_MAX_BYTES, renamed into place. Resolves to its size.
	 */
	async putChunk(id: string, n: number, body: AsyncIterable<Uint8Array>): Promise<number> {
		const dir = this.#dir(id);
		if (!Number.isInteger(n) || n < 0 || n >= IMPORT_MAX_CHUNKS) {
			throw new ImportUploadError(400, `分块序号应为 0–${IMPORT_MAX_CHUNKS - 1} 的整数`);
		}
		const temp = join(dir, `chunk-${n}.${randomBytes(4).toString('hex')}.tmp`);
		const file = await open(temp, 'w');
		let size = 0;
		let over = false;
		try {
			try {
				for await (const chunk of body) {
					size += chunk.byteLength;
					// past the limit, keep reading and dropping: the client must get to read the 413
					if (over || size > IMPORT_CHUNK_MAX_BYTES) {
						over = true;
						continue;
					}
					await file.write(chunk);
				}
			} catch (error) {
				if (!over) throw error;
			}
			if (over) {
				throw new ImportUploadError(
					413,
					`分块超过 ${IMPORT_CHUNK_MAX_BYTES / 1024 / 1024} MB 上限`
				);
			}
			await file.sync();
			await file.close();
			await rename(temp, join(dir, `chunk-${n}`));
			return size;
		} catch (error) {
			await file.close().catch(() => undefined);
			await rm(temp, { force: true });
			throw error;
		}
	}

	/** The stored report of a finished upload, if it was finished. */
	async report(id: string): Promise<unknown> {
		const path = join(this.#dir(id), 'report.json');
		return existsSync(path) ? (JSON.parse(await readFile(path, 'utf8')) as unknown) : undefined;
	}

	/**
	 * Joins chunks 0 … count−1 into one file, runs `work` on its path, stores what it returns as
	 * the report and removes the chunks and the joined file. One finish at a time per upload.
	 */
	async finish<T>(id: string, count: number, work: (path: string) => Promise<T>): Promise<T> {
		const dir = this.#dir(id);
		if (!Number.isInteger(count) || count < 1 || count > IMPORT_MAX_CHUNKS) {
			throw new ImportUploadError(400, `分块数应为 1–${IMPORT_MAX_CHUNKS} 的整数`);
		}
		if (this.#finishing.has(id)) throw new ImportUploadError(409, '这个上传正在导入，请稍候');
		this.#finishing.add(id);
		try {
			const missing: number[] = [];
			for (let n = 0; n < count; n++) {
				if (!existsSync(join(dir, `chunk-${n}`))) missing.push(n);
			}
			if (missing.length) {
				throw new ImportUploadError(
					400,
					`还缺 ${missing.length} 个分块（${missing.slice(0, 10).join('、')}${missing.length > 10 ? '…' : ''}）：请先上传`
				);
			}
			const joined = join(dir, 'backup.zip');
			const out = createWriteStream(joined);
			await pipeline(
				(async function* () {
					for (let n = 0; n < count; n++) yield* createReadStream(join(dir, `chunk-${n}`));
				})(),
				out
			);
			const result = await work(joined);
			await writeFile(join(dir, 'report.json'), JSON.stringify(result));
			for (const name of await readdir(dir)) {
				if (name.startsWith('chunk-') || name === 'backup.zip')
					await rm(join(dir, name), { force: true });
			}
			return result;
		} finally {
			this.#finishing.delete(id);
		}
	}

	/** Removes uploads (finished or not) older than IMPORT_STALE_MS. */
	async sweep(now = Date.now()): Promise<number> {
		if (!existsSync(this.root)) return 0;
		let removed = 0;
		for (const name of await readdir(this.root)) {
			if (!ID_PATTERN.test(name) || this.#finishing.has(name)) continue;
			const info = await stat(join(this.root, name)).catch(() => undefined);
			if (info && now - info.mtimeMs > IMPORT_STALE_MS) {
				await rm(join(this.root, name), { recursive: true, force: true });
				removed++;
			}
		}
		return removed;
	}
}

const instances = new WeakMap<object, ImportUploads>();

/** The one ImportUploads of a server (its in-progress finishes are tracked per process). */
export function importUploadsOf(server: { options: { dataDir: string } }): ImportUploads {
	let uploads = instances.get(server);
	if (!uploads) instances.set(server, (uploads = new ImportUploads(server.options.dataDir)));
	return uploads;
}
