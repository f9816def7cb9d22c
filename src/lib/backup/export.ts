/**
 * Exporting the device's unsent data as a backup zip (docs/BACKUP.md), streamed: the zip is
 * generated while it is written, and photo Blobs are read from IndexedDB one at a time, each
 * only when the zip stream asks for it.
 */
import { makeZip } from 'client-zip';
import { version as APP_VERSION } from '../../../package.json';
import type { DeviceStore, StoredPhoto, StoredRecord } from '$lib/db/index.js';
import {
	BACKUP_FORMAT,
	BACKUP_VERSION,
	MANIFEST_NAME,
	isUnsent,
	photoEntryName,
	photoMetaEntryName,
	recordEntryName,
	type BackupManifest,
	type BackupPhotoFile,
	type PhotoMime
} from './format.js';

export const APP_NAME = 'ordos-heritage-survey';

export type ExportProgress = { photos: { done: number; total: number } };

export type ExportOptions = {
	deviceId: string;
	username: string | null;
	county: string | null;
	/** The app's version (package.json by default). */
	appVersion?: string;
	now?: Date;
	onProgress?: (progress: ExportProgress) => void;
};

export type BackupPlan = {
	manifest: BackupManifest;
	rows: StoredRecord[];
	/** Photos whose bytes go into the file, in the order they are written. */
	photos: { sha256: string; mimeType: PhotoMime; file: BackupPhotoFile }[];
};

/** What a backup made now would hold: the unsent rows, their photos' metadata, the manifest. */
export async function planBackup(store: DeviceStore, options: ExportOptions): Promise<BackupPlan> {
	const now = options.now ?? new Date();
	const rows = (await store.recordsOf('all'))
		.filter(isUnsent)
		.sort((a, b) => (a.updatedAt < b.updatedAt ? -1 : a.updatedAt > b.updatedAt ? 1 : 0));
	const byHash = new Map<string, { metas: StoredPhoto[]; mime?: PhotoMime; bytes?: number }>();
	const entry = (sha: string) => {
		let e = byHash.get(sha);
		if (!e) byHash.set(sha, (e = { metas: [] }));
		return e;
	};
	for (const row of rows) {
		for (const p of row.record.photos) entry(p.sha256);
		for (const meta of await store.photosOf(row.id)) {
			const e = entry(meta.sha256);
			e.metas.push(meta);
			e.mime ??= meta.mimeType;
			e.bytes ??= meta.bytes;
		}
	}
	const hashes = [...byHash.keys()];
	// Keys only: which bytes are on the device, without reading any Blob.
	const present = new Set(
		(await store.db.photoBlobs.where('sha256').anyOf(hashes).primaryKeys()).map(String)
	);
	const photos: BackupPlan['photos'] = [];
	let photoBytes = 0;
	for (const sha256 of hashes) {
		if (!present.has(sha256)) continue;
		const e = byHash.get(sha256)!;
		const mimeType = e.mime ?? 'image/jpeg';
		const bytes = e.bytes ?? 1;
		photoBytes += bytes;
		photos.push({
			sha256,
			mimeType,
			file: {
				sha256,
				mimeType,
				bytes,
				// eslint-disable-next-line @typescript-eslint/no-unused-vars
				metas: e.metas.map(({ key, ...meta }) => meta)
			}
		});
	}
	const manifest: BackupManifest = {
		format: BACKUP_FORMAT,
		version: BACKUP_VERSION,
		deviceId: options.deviceId,
		username: options.username,
		county: options.county,
		exportedAt: now.toISOString(),
		app: { name: APP_NAME, version: options.appVersion ?? APP_VERSION },
		counts: {
			records: rows.length,
			photos: photos.length,
			photoBytes,
			missingPhotos: hashes.length - photos.length
		},
		records: rows.map((row) => {
			const item: BackupManifest['records'][number] = {
				id: row.id,
				countyCode: row.countyCode,
				kind: row.kind,
				siteCode: row.siteCode,
				localState: row.localState,
				updatedAt: row.updatedAt,
				photos: row.record.photos.map((p) => p.sha256)
			};
			if (row.record.name) item.name = row.record.name.slice(0, 200);
			if (row.outbox) item.outbox = row.outbox;
			if (row.serverStatus) item.serverStatus = row.serverStatus;
			if (row.serverRevision) item.serverRevision = row.serverRevision;
			return item;
		}),
		photos: photos.map((p) => ({ sha256: p.sha256, mimeType: p.mimeType }))
	};
	return { manifest, rows, photos };
}

/**
 * The zip of a plan as a stream. Entries are generated as the stream is read: a photo's Blob is
 * fetched from IndexedDB only when the previous one has been written, so memory holds one at a
 * time (and IndexedDB Blobs are backed by disk). Every entry is STORED.
 */
export function backupStream(
	store: DeviceStore,
	plan: BackupPlan,
	onProgress?: (progress: ExportProgress) => void
): ReadableStream<Uint8Array> {
	const lastModified = new Date(plan.manifest.exportedAt);
	const total = plan.photos.length;
	async function* entries() {
		yield { name: MANIFEST_NAME, lastModified, input: JSON.stringify(plan.manifest, null, 1) };
		for (const row of plan.rows) {
			yield { name: recordEntryName(row.id), lastModified, input: JSON.stringify(row) };
		}
		onProgress?.({ photos: { done: 0, total } });
		for (const [i, photo] of plan.photos.entries()) {
			yield {
				name: photoMetaEntryName(photo.sha256),
				lastModified,
				input: JSON.stringify(photo.file)
			};
			const blob = await store.photoBlob(photo.sha256);
			if (!blob) throw new Error(`照片 ${photo.sha256.slice(0, 12)}… 在导出时已不在本机`);
			yield {
				name: photoEntryName(photo.sha256, photo.mimeType),
				lastModified,
				input: blob,
				size: blob.size
			};
			// resumed: client-zip has written the whole Blob and asks for the next entry
			onProgress?.({ photos: { done: i + 1, total } });
		}
	}
	return makeZip(entries(), { buffersAreUTF8: true });
}

/** Where the file goes: a file the surveyor chose (File System Access API), or a download. */
export type SaveTarget =
	| { kind: 'file'; writable: WritableStream<Uint8Array>; name: string }
	| { kind: 'download'; name: string };

type SaveFilePicker = (options: {
	suggestedName: string;
	types: { description: string; accept: Record<string, string[]> }[];
}) => Promise<{ name: string; createWritable(): Promise<WritableStream<Uint8Array>> }>;

/**
 * Asks where to save (where the browser has `showSaveFilePicker`; MUST be called in the tap's
 * handler, before anything slow). Resolves to null when the surveyor cancels.
 */
export async function chooseSaveTarget(name: string): Promise<SaveTarget | null> {
	const picker = (globalThis as { showSaveFilePicker?: SaveFilePicker }).showSaveFilePicker;
	if (typeof picker !== 'function') return { kind: 'download', name };
	try {
		const handle = await picker({
			suggestedName: name,
			types: [{ description: '四普备份', accept: { 'application/zip': ['.zip'] } }]
		});
		return { kind: 'file', writable: await handle.createWritable(), name: handle.name };
	} catch (error) {
		if ((error as Error)?.name === 'AbortError') return null;
		// A browser that refuses the picker here (no user activation, a policy): download instead.
		return { kind: 'download', name };
	}
}

/**
 * Writes the stream to the target. A chosen file receives the bytes as they are generated. A
 * download cannot be streamed from a page: the zip is first collected into one Blob (through a
 * streamed Response, so the browser may keep it on disk rather than in memory), then offered.
 */
export async function saveStream(
	stream: ReadableStream<Uint8Array>,
	target: SaveTarget
): Promise<void> {
	if (target.kind === 'file') {
		await stream.pipeTo(target.writable);
		return;
	}
	const blob = await new Response(stream, {
		headers: { 'Content-Type': 'application/zip' }
	}).blob();
	const url = URL.createObjectURL(blob);
	const link = document.createElement('a');
	link.href = url;
	link.download = target.name;
	link.rel = 'noopener';
	document.body.append(link);
	link.click();
	link.remove();
	// the download has started from the URL; revoking it at once may cancel it in some browsers
	setTimeout(() => URL.revokeObjectURL(url), 60_000);
}
