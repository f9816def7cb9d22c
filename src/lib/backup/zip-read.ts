/**
 * Reading a backup zip with random access from a Blob (a File in the browser, `fs.openAsBlob`
 * in Node), shared by the device's restore and the server's import. Only the central directory
 * is read up front; each entry's bytes are streamed from a slice of the Blob when asked for, so
 * a file of any size is read with one entry in memory at most.
 */
import { ZipReader, type Entry, type FileEntry } from '@zip.js/zip.js/lib/zip-core-reader.js';
import { issuesText, parseWith } from '$lib/domain/schemas/common.js';
import {
	BACKUP_FORMAT,
	BACKUP_VERSION,
	BackupManifestSchema,
	entryLimit,
	MANIFEST_NAME,
	MAX_ENTRIES,
	MAX_JSON_BYTES,
	type BackupManifest
} from './format.js';

export class BackupFormatError extends Error {
	constructor(message: string) {
		super(message);
		this.name = 'BackupFormatError';
	}
}

export type BackupZip = {
	/** File entries by name. */
	entries: Map<string, FileEntry>;
	/** The entry's bytes as a stream; the CRC-32 is checked as it ends (an error on mismatch). */
	stream(entry: FileEntry): ReadableStream<Uint8Array>;
	/** The entry as text, refused when larger than `maxBytes`. */
	text(entry: FileEntry, maxBytes: number): Promise<string>;
	/** The named entry parsed as JSON; BackupFormatError when missing, too large, damaged or not JSON. */
	json(name: string, maxBytes: number): Promise<unknown>;
	close(): Promise<void>;
};

/** A zip.js reader over a Blob: byte ranges are Blob slices, read only when needed. */
function blobReader(blob: Blob) {
	return {
		size: blob.size,
		async readUint8Array(index: number, length: number): Promise<Uint8Array> {
			return new Uint8Array(await blob.slice(index, index + length).arrayBuffer());
		},
		createReadable({ offset = 0, size }: { offset?: number; size?: number } = {}) {
			return blob.slice(offset, size === undefined ? undefined : offset + size).stream();
		}
	};
}

export async function openBackupZip(blob: Blob): Promise<BackupZip> {
	// No web workers: the entries are STORED, there is nothing to inflate off the main thread,
	// and the CSP allows no worker scripts from blob: URLs.
	const reader = new ZipReader(blobReader(blob) as never, {
		useWebWorkers: false,
		checkCrc32: true
	});
	// The central directory is untrusted: it is read one entry at a time and refused at the first
	// entry that breaks a rule, before anything is inflated or written (issue 10 point 3).
	const entries = new Map<string, FileEntry>();
	let declared = 0;
	try {
		for await (const entry of reader.getEntriesGenerator()) {
			if (entry.directory) continue;
			refuseEntry(entry, entries, blob.size, (declared += entry.compressedSize));
			entries.set(entry.filename, entry as FileEntry);
		}
	} catch (error) {
		await reader.close().catch(() => undefined);
		if (error instanceof BackupFormatError) throw error;
		throw new BackupFormatError(`不是有效的 zip 文件（${(error as Error).message}）`);
	}
	const stream = (entry: FileEntry): ReadableStream<Uint8Array> => {
		const { readable, writable } = new TransformStream<Uint8Array, Uint8Array>();
		// getData writes into `writable` and errors it on a bad CRC-32; the reader sees the error
		entry.getData(writable).catch(() => undefined);
		return readable;
	};
	const text = async (entry: FileEntry, maxBytes: number): Promise<string> => {
		if (entry.uncompressedSize > maxBytes) {
			throw new BackupFormatError(`${entry.filename} 超过 ${Math.round(maxBytes / 1024)} KB`);
		}
		try {
			return await new Response(stream(entry)).text();
		} catch (error) {
			throw new BackupFormatError(`${entry.filename} 已损坏（${(error as Error).message}）`);
		}
	};
	return {
		entries,
		stream,
		text,
		async json(name: string, maxBytes: number): Promise<unknown> {
			const entry = entries.get(name);
			if (!entry) throw new BackupFormatError(`备份文件中缺少 ${name}`);
			const raw = await text(entry, maxBytes);
			try {
				return JSON.parse(raw) as unknown;
			} catch {
				throw new BackupFormatError(`${name} 不是合法的 JSON`);
			}
		},
		close: () => reader.close()
	};
}

/**
 * Refuses an entry of the central directory (BackupFormatError) that a backup file cannot hold:
 * more than MAX_ENTRIES entries, a name twice, a name outside the layout, an entry that is not
 * STORED (a deflated entry could inflate to anything: a zip bomb is refused, not inflated), sizes
 * that disagree or exceed the entry's limit, or entries that together claim more bytes than the
 * file has (entries overlapping the same bytes).
 */
function refuseEntry(
	entry: Entry,
	seen: ReadonlyMap<string, FileEntry>,
	fileSize: number,
	declaredSoFar: number
): void {
	const name = entry.filename.slice(0, 200);
	if (seen.size >= MAX_ENTRIES) {
		throw new BackupFormatError(`备份文件的条目超过 ${MAX_ENTRIES} 个：不是本程序导出的备份`);
	}
	if (seen.has(entry.filename)) {
		throw new BackupFormatError(`备份文件中有重复的条目 ${name}`);
	}
	const limit = entryLimit(entry.filename);
	if (limit === undefined) throw new BackupFormatError(`备份文件中有不应有的条目 ${name}`);
	if (entry.compressionMethod !== 0 || entry.encrypted) {
		throw new BackupFormatError(
			`条目 ${name} 是压缩或加密的：备份文件的条目都不压缩，这个文件不是本程序导出的，拒绝解压`
		);
	}
	if (entry.compressedSize !== entry.uncompressedSize || entry.uncompressedSize > limit) {
		throw new BackupFormatError(
			`条目 ${name} 的大小不合格（${entry.uncompressedSize} 字节，上限 ${limit} 字节）`
		);
	}
	if (declaredSoFar > fileSize) {
		throw new BackupFormatError(
			'备份文件的条目加起来比文件本身还大（条目互相重叠）：文件已损坏或被篡改'
		);
	}
}

/** The manifest, checked: the format and version first, then every field. */
export async function readManifest(zip: BackupZip): Promise<BackupManifest> {
	if (!zip.entries.has(MANIFEST_NAME)) {
		throw new BackupFormatError('不是四普设备备份文件：缺少 manifest.json');
	}
	const raw = (await zip.json(MANIFEST_NAME, MAX_JSON_BYTES)) as Record<string, unknown> | null;
	if (!raw || typeof raw !== 'object' || raw.format !== BACKUP_FORMAT) {
		throw new BackupFormatError(
			`不是四普设备备份文件：manifest.json 的 format 不是 ${BACKUP_FORMAT}`
		);
	}
	if (raw.version !== BACKUP_VERSION) {
		throw new BackupFormatError(
			`备份文件的格式版本是 ${String(raw.version)}，本程序只能读取版本 ${BACKUP_VERSION}：请先更新程序`
		);
	}
	const parsed = parseWith(BackupManifestSchema, raw);
	if (!parsed.ok) {
		throw new BackupFormatError(`manifest.json 不合格：${issuesText(parsed.issues)}`);
	}
	return parsed.value;
}
