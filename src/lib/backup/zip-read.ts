/**
 * Reading a backup zip with random access from a Blob (a File in the browser, `fs.openAsBlob`
 * in Node), shared by the device's restore and the server's import. Only the central directory
 * is read up front; each entry's bytes are streamed from a slice of the Blob when asked for, so
 * a file of any size is read with one entry in memory at most.
 */
import { ZipReader, type Entry, type FileEntry } from '@zip.js/zip.js/lib/zip-core-reader.js';
import { issuesText, parseWith } from '../domain/schemas/common.js';
import {
	BACKUP_FORMAT,
	BACKUP_VERSION,
	BackupManifestSchema,
	MANIFEST_NAME,
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
	let all: Entry[];
	try {
		all = await reader.getEntries();
	} catch (error) {
		throw new BackupFormatError(`不是有效的 zip 文件（${(error as Error).message}）`);
	}
	const entries = new Map<string, FileEntry>();
	for (const entry of all) {
		if (entry.directory) continue;
		if (entries.has(entry.filename)) {
			throw new BackupFormatError(`备份文件中有重复的条目 ${entry.filename}`);
		}
		entries.set(entry.filename, entry as FileEntry);
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
