/**
 * Restoring a backup zip onto this device (a replacement tablet, or a browser whose storage was
 * cleared). Nothing needs a login: the records then sync when the surveyor logs in.
 *
 * Every record is checked with StoredRecordSchema and every photo's bytes with their SHA-256
 * before anything of that record is written. A record is written with its photos in one
 * transaction, and never over a newer version of itself: when the device holds the same id
 * changed later (or at the same moment), the device's version stays and the summary says so.
 */
import type { DeviceStore, StoredPhoto, StoredPhotoBlob, StoredRecord } from '$lib/db/index.js';
import { StoredPhotoSchema, StoredRecordSchema } from '$lib/db/schema.js';
import { issuesText, parseWith } from '$lib/domain/schemas/common.js';
import {
	BackupPhotoFileSchema,
	MAX_PHOTO_META_BYTES,
	MAX_RECORD_FILE_BYTES,
	photoEntryName,
	photoMetaEntryName,
	recordEntryName,
	type BackupManifest,
	type BackupPhotoFile
} from './format.js';
import { BackupFormatError, openBackupZip, readManifest, type BackupZip } from './zip-read.js';

export type RestoreSkip = {
	id: string;
	name: string;
	/** newer: the device holds a later version; invalid: the row failed its schema. */
	reason: 'newer' | 'invalid';
	detail: string;
};

export type RestoreOutcome = {
	manifest: BackupManifest;
	/** Records written (new on this device, or replacing an older version). */
	restored: { id: string; name: string; replaced: boolean }[];
	/** Records already on the device exactly as in the file (missing photos were added). */
	same: { id: string; name: string }[];
	skipped: RestoreSkip[];
	photos: {
		/** Photo bytes written to the device. */
		written: number;
		/** Bytes the device already had (content-addressed: nothing to write). */
		present: number;
		/** Photos not restored, and why (missing from the file, damaged, wrong hash). */
		problems: { recordId: string; sha256: string; message: string }[];
	};
};

export type RestoreProgress = {
	records: { done: number; total: number };
	photos: { done: number; total: number };
};

/** Reads and checks the photo files of the zip, once each. */
class PhotoSource {
	#files = new Map<string, BackupPhotoFile | string>();
	/** The type the manifest lists for each photo. */
	readonly #listedType: Map<string, BackupManifest['photos'][number]['mimeType']>;
	constructor(
		private readonly zip: BackupZip,
		manifest: BackupManifest
	) {
		this.#listedType = new Map(manifest.photos.map((p) => [p.sha256, p.mimeType]));
	}

	/** The metadata file of a photo, or why it cannot be used. */
	async file(sha256: string): Promise<BackupPhotoFile | string> {
		const known = this.#files.get(sha256);
		if (known !== undefined) return known;
		let result: BackupPhotoFile | string;
		if (!this.zip.entries.has(photoMetaEntryName(sha256))) result = '备份文件中没有这张照片';
		else {
			try {
				const parsed = parseWith(
					BackupPhotoFileSchema,
					await this.zip.json(photoMetaEntryName(sha256), MAX_PHOTO_META_BYTES)
				);
				result = !parsed.ok
					? `照片信息不合格：${issuesText(parsed.issues)}`
					: parsed.value.sha256 !== sha256
						? '照片信息与文件名不符'
						: parsed.value;
			} catch (error) {
				result = (error as Error).message;
			}
		}
		this.#files.set(sha256, result);
		return result;
	}

	/** The photo's bytes, verified against their SHA-256, or why not. */
	async bytes(sha256: string): Promise<Blob | string> {
		const file = await this.file(sha256);
		const mime =
			this.#listedType.get(sha256) ?? (typeof file === 'string' ? undefined : file.mimeType);
		const entry = mime && this.zip.entries.get(photoEntryName(sha256, mime));
		if (!mime || !entry) return '备份文件中没有这张照片的内容';
		let blob: Blob;
		try {
			blob = await new Response(this.zip.stream(entry)).blob();
		} catch (error) {
			return `照片内容已损坏（${(error as Error).message}）`;
		}
		const { sha256Hex } = await import('$lib/photos/process.js');
		const actual = await sha256Hex(blob);
		if (actual !== sha256)
			return `照片内容的 SHA-256 是 ${actual.slice(0, 12)}…，与 ${sha256.slice(0, 12)}… 不符`;
		return new Blob([blob], { type: mime });
	}
}

/**
 * Restores `file` onto the device. Throws BackupFormatError when the file is not a backup this
 * program can read (nothing is written then); otherwise reports what happened to each record.
 */
export async function restoreBackup(
	store: DeviceStore,
	file: Blob,
	onProgress?: (progress: RestoreProgress) => void
): Promise<RestoreOutcome> {
	const zip = await openBackupZip(file);
	try {
		const manifest = await readManifest(zip);
		const outcome: RestoreOutcome = {
			manifest,
			restored: [],
			same: [],
			skipped: [],
			photos: { written: 0, present: 0, problems: [] }
		};
		const progress: RestoreProgress = {
			records: { done: 0, total: manifest.records.length },
			photos: { done: 0, total: manifest.photos.length }
		};
		const report = () => onProgress?.(structuredClone(progress));
		report();
		const source = new PhotoSource(zip, manifest);
		const counted = new Set<string>();
		for (const listed of manifest.records) {
			const name = listed.name ?? '';
			const skip = (reason: RestoreSkip['reason'], detail: string) =>
				outcome.skipped.push({ id: listed.id, name, reason, detail });
			let raw: unknown;
			try {
				raw = await zip.json(recordEntryName(listed.id), MAX_RECORD_FILE_BYTES);
			} catch (error) {
				skip('invalid', (error as Error).message);
				progress.records.done++;
				report();
				continue;
			}
			const parsed = parseWith(StoredRecordSchema, raw);
			if (!parsed.ok || parsed.value.id !== listed.id) {
				skip('invalid', parsed.ok ? '记录的 id 与清单不符' : issuesText(parsed.issues));
				progress.records.done++;
				report();
				continue;
			}
			const row = parsed.value;
			const existing = await store.getRecord(row.id);
			if (existing && existing.updatedAt > row.updatedAt) {
				skip(
					'newer',
					`本机的版本（${existing.updatedAt}）比备份（${row.updatedAt}）新，保留本机的`
				);
				progress.records.done++;
				report();
				continue;
			}
			const same = existing?.updatedAt === row.updatedAt;

			// The record's photos: metadata for this record, and bytes the device does not have.
			const hashes = [...new Set(row.record.photos.map((p) => p.sha256))];
			const metas: StoredPhoto[] = [];
			const blobs: StoredPhotoBlob[] = [];
			for (const sha256 of hashes) {
				const file = await source.file(sha256);
				if (typeof file !== 'string') {
					for (const meta of file.metas.filter((m) => m.recordId === row.id)) {
						const checked = parseWith(StoredPhotoSchema, { ...meta, key: `${row.id}:${sha256}` });
						if (checked.ok) metas.push(checked.value);
						else
							outcome.photos.problems.push({
								recordId: row.id,
								sha256,
								message: `照片信息不合格：${issuesText(checked.issues)}`
							});
					}
				}
				if (await store.photoBlob(sha256)) {
					if (!counted.has(sha256)) outcome.photos.present++;
				} else {
					const bytes = await source.bytes(sha256);
					if (typeof bytes === 'string') {
						outcome.photos.problems.push({ recordId: row.id, sha256, message: bytes });
					} else blobs.push({ sha256, blob: bytes });
				}
				if (!counted.has(sha256)) {
					counted.add(sha256);
					progress.photos.done = Math.min(progress.photos.total, progress.photos.done + 1);
					report();
				}
			}

			const written = await writeRecord(store, row, metas, blobs, same);
			if (written === 'newer') {
				skip('newer', '恢复期间本机的这条记录有了更新的修改，保留本机的');
			} else {
				outcome.photos.written += blobs.length;
				if (same) outcome.same.push({ id: row.id, name });
				else outcome.restored.push({ id: row.id, name, replaced: !!existing });
			}
			progress.records.done++;
			report();
		}
		return outcome;
	} finally {
		await zip.close();
	}
}

/**
 * One record with its photos, in one transaction; the stored row is read again inside it, so an
 * edit made meanwhile is never overwritten. `sameOnly`: the device has this version already,
 * only missing photos are added.
 */
async function writeRecord(
	store: DeviceStore,
	row: StoredRecord,
	metas: StoredPhoto[],
	blobs: StoredPhotoBlob[],
	sameOnly: boolean
): Promise<'written' | 'newer'> {
	const db = store.db;
	return db.transaction('rw', [db.records, db.photos, db.photoBlobs], async () => {
		const current = await db.records.get(row.id);
		if (current && current.updatedAt > row.updatedAt) return 'newer';
		if (current && current.updatedAt === row.updatedAt && !sameOnly) return 'newer';
		for (const blob of blobs) {
			if (!(await db.photoBlobs.get(blob.sha256))) await db.photoBlobs.put(blob);
		}
		if (sameOnly) {
			for (const meta of metas) {
				if (!(await db.photos.get(meta.key))) await db.photos.put(meta);
			}
			return 'written';
		}
		// Replacing an older version: its photo metadata gives way to the file's.
		const keep = new Set(metas.map((m) => m.key));
		const old = await db.photos.where('recordId').equals(row.id).toArray();
		for (const meta of old) {
			if (keep.has(meta.key)) continue;
			await db.photos.delete(meta.key);
			if ((await db.photos.where('sha256').equals(meta.sha256).count()) === 0) {
				await db.photoBlobs.delete(meta.sha256);
			}
		}
		await db.photos.bulkPut(metas);
		await db.records.put(row);
		return 'written';
	});
}

export { BackupFormatError };
