/**
 * The device backup file (docs/BACKUP.md): one zip, written by the device, read by the device
 * (restore) and by the server (import). This module is shared by both, so it imports with
 * relative paths only (the server's command-line tool runs without SvelteKit's aliases).
 *
 * Layout, every entry STORED (not deflated):
 *
 *   manifest.json              BackupManifest, always the first entry
 *   records/<id>.json          the stored record row (StoredRecord of src/lib/db/schema.ts)
 *   photos/<sha256>.json       BackupPhotoFile: the photo's metadata, one entry per record naming it
 *   photos/<sha256>.<ext>      the photo's bytes (jpg | png | webp)
 *
 * A reader MUST check `format` and `version`, and MUST treat every other entry as untrusted:
 * each row is validated with the shared schemas, each photo's bytes hashed.
 */
import { z } from 'zod';
import { COUNTY_CODES, RECORD_STATUSES, SURVEY_KINDS } from '$lib/domain/codelists/index.js';
import { isoDateTime, sha256Hex, type Issue } from '$lib/domain/schemas/common.js';
import { PHOTO_MIME_TYPES, PhotoMetaSchema, type PhotoMime } from '$lib/domain/schemas/photo.js';
import { PHOTO_MAX_BYTES } from '$lib/domain/sync/limits.js';

export const BACKUP_FORMAT = 'ordos-survey-device-backup';
export const BACKUP_VERSION = 1;

export const MANIFEST_NAME = 'manifest.json';
/**
 * What a reader accepts, so that an untrusted file is read in bounded memory (issue 10 point 3):
 * the manifest, a record file (a record is ≤ 2 MB on the wire), a photo's metadata and bytes,
 * the number of records and photos a manifest lists, and of entries in the zip.
 */
export const MAX_JSON_BYTES = 16 * 1024 * 1024;
export const MAX_RECORD_FILE_BYTES = 4 * 1024 * 1024;
export const MAX_PHOTO_META_BYTES = 1024 * 1024;
export const MAX_RECORDS = 10_000;
export const MAX_PHOTOS = 20_000;
export const MAX_ENTRIES = 1 + MAX_RECORDS + 2 * MAX_PHOTOS;

const RECORD_ENTRY = /^records\/[0-9a-f-]{36}\.json$/i;
const PHOTO_META_ENTRY = /^photos\/[0-9a-f]{64}\.json$/;
const PHOTO_ENTRY = /^photos\/[0-9a-f]{64}\.(jpg|png|webp)$/;

/** The largest size an entry of this name may have, or undefined when the layout has no such name. */
export function entryLimit(name: string): number | undefined {
	if (name === MANIFEST_NAME) return MAX_JSON_BYTES;
	if (RECORD_ENTRY.test(name)) return MAX_RECORD_FILE_BYTES;
	if (PHOTO_META_ENTRY.test(name)) return MAX_PHOTO_META_BYTES;
	if (PHOTO_ENTRY.test(name)) return PHOTO_MAX_BYTES;
	return undefined;
}

/** The first value that stands twice in `values`, if any. */
function firstRepeat(values: Iterable<string>): string | undefined {
	const seen = new Set<string>();
	for (const v of values) {
		if (seen.has(v)) return v;
		seen.add(v);
	}
	return undefined;
}

export type { PhotoMime };

export const PHOTO_EXTENSIONS: Record<PhotoMime, string> = {
	'image/jpeg': 'jpg',
	'image/png': 'png',
	'image/webp': 'webp'
};

export const recordEntryName = (id: string): string => `records/${id}.json`;
export const photoMetaEntryName = (sha256: string): string => `photos/${sha256}.json`;
export const photoEntryName = (sha256: string, mime: PhotoMime): string =>
	`photos/${sha256}.${PHOTO_EXTENSIONS[mime]}`;

/** What the manifest says of one record: the row's bookkeeping, without its content. */
export const ManifestRecordSchema = z.looseObject({
	id: z.uuidv4(),
	countyCode: z.enum(COUNTY_CODES),
	kind: z.enum(SURVEY_KINDS),
	siteCode: z.string().max(200),
	name: z.string().max(200).optional(),
	localState: z.enum(['draft', 'finalized']),
	outbox: z.enum(['queued', 'conflict']).optional(),
	serverStatus: z.enum(RECORD_STATUSES).optional(),
	serverRevision: z.number().int().min(1).optional(),
	updatedAt: isoDateTime,
	/** The hashes of the record's photos, in the record's order. */
	photos: z.array(sha256Hex).max(10_000)
});
export type ManifestRecord = z.infer<typeof ManifestRecordSchema>;

export const BackupManifestSchema = z.looseObject({
	format: z.literal(BACKUP_FORMAT),
	version: z.literal(BACKUP_VERSION),
	deviceId: z.string().min(1).max(200),
	/** The account logged in on the device when it exported, if any. */
	username: z.string().min(1).max(200).nullable(),
	/** The county the device was working in ('all', or none chosen yet). */
	county: z.string().max(20).nullable(),
	exportedAt: isoDateTime,
	app: z.looseObject({ name: z.string().max(200), version: z.string().max(50) }),
	counts: z.looseObject({
		records: z.number().int().min(0),
		photos: z.number().int().min(0),
		photoBytes: z.number().int().min(0),
		/** Photos the records name whose bytes were not on the device (not in the file). */
		missingPhotos: z.number().int().min(0)
	}),
	records: z
		.array(ManifestRecordSchema)
		.max(MAX_RECORDS, `备份最多 ${MAX_RECORDS} 条记录`)
		.superRefine((records, ctx) => {
			const id = firstRepeat(records.map((r) => r.id));
			if (id) ctx.addIssue({ code: 'custom', message: `记录 ${id} 在清单中出现了不止一次` });
		}),
	/** Photos whose bytes are in the file: hash → MIME type. */
	photos: z
		.array(z.strictObject({ sha256: sha256Hex, mimeType: z.enum(PHOTO_MIME_TYPES) }))
		.max(MAX_PHOTOS, `备份最多 ${MAX_PHOTOS} 张照片`)
		.superRefine((photos, ctx) => {
			const sha = firstRepeat(photos.map((p) => p.sha256));
			if (sha) {
				ctx.addIssue({
					code: 'custom',
					message: `照片 ${sha.slice(0, 12)}… 在清单中出现了不止一次`
				});
			}
		})
});
export type BackupManifest = z.infer<typeof BackupManifestSchema>;

/**
 * `photos/<sha256>.json`: the photo's metadata as the device stores it (`key` left out), one
 * entry per record that names these bytes (a photo may be reused by several records).
 */
export const BackupPhotoFileSchema = z.strictObject({
	sha256: sha256Hex,
	mimeType: z.enum(PHOTO_MIME_TYPES),
	bytes: z.number().int().min(1),
	metas: z.array(PhotoMetaSchema).max(10_000)
});
export type BackupPhotoFile = z.infer<typeof BackupPhotoFileSchema>;

/** The part of a stored record row these rules need. */
export type RowState = {
	localState: 'draft' | 'finalized';
	serverStatus?: string | undefined;
	outbox?: string | undefined;
};

/**
 * Whether the server lacks this row as it stands, so a backup MUST include it: drafts (never
 * sent, or returned and being fixed), finalized records waiting in the outbox, conflicts. A
 * finalized row the server has acknowledged, with nothing queued, is the only one left out.
 */
export function isUnsent(row: RowState): boolean {
	return !(row.localState === 'finalized' && row.serverStatus !== undefined && !row.outbox);
}

/**
 * Whether an import pushes this row: what the device itself would send. Finalized rows are
 * pushed (queued ones as the outbox would; a conflict or an acknowledged row answers as a repeat
 * push does); drafts are not, because the surveyor has not finished them.
 */
export function isPushable(row: RowState): boolean {
	return row.localState === 'finalized';
}

/** The default of the reminder setting: remind when unsent data waited this many days. */
export const DEFAULT_REMINDER_DAYS = 3;

const DAY_MS = 24 * 3600 * 1000;

/**
 * Whether to remind the surveyor to back up: some unsent data is older than `days` and is not
 * in a backup. A row's unsent data dates from its creation when the server never had it, else
 * from its last change; what was changed after the last backup is not in it, and its unbacked
 * part dates from that backup at the earliest.
 */
export function backupReminderDue(
	rows: readonly (RowState & { createdAt: string; updatedAt: string })[],
	lastBackupAt: string | null,
	days: number,
	now: number
): { due: boolean; oldest: string | null; unsent: number } {
	const threshold = now - days * DAY_MS;
	const backupMs = lastBackupAt ? Date.parse(lastBackupAt) : -Infinity;
	let oldest: number | null = null;
	let unsent = 0;
	for (const row of rows) {
		if (!isUnsent(row)) continue;
		unsent++;
		const changed = Date.parse(row.updatedAt);
		if (changed <= backupMs) continue;
		const since = Math.max(
			row.serverStatus === undefined ? Date.parse(row.createdAt) : changed,
			backupMs
		);
		if (oldest === null || since < oldest) oldest = since;
	}
	return {
		due: oldest !== null && oldest < threshold,
		oldest: oldest === null ? null : new Date(oldest).toISOString(),
		unsent
	};
}

/**
 * `四普备份-<county>-<device short id>-<YYYYMMDD-HHmm>.zip`, the time in China Standard Time
 * (UTC+8, the survey's own clock, whatever the device's zone).
 */
export function backupFileName(county: string | null, deviceId: string, at: Date): string {
	const china = new Date(at.getTime() + 8 * 3600 * 1000);
	const pad = (n: number) => String(n).padStart(2, '0');
	const stamp = `${china.getUTCFullYear()}${pad(china.getUTCMonth() + 1)}${pad(china.getUTCDate())}-${pad(china.getUTCHours())}${pad(china.getUTCMinutes())}`;
	const short = deviceId.replace(/[^0-9a-zA-Z]/g, '').slice(0, 8) || 'device';
	return `四普备份-${county || '未选旗区'}-${short}-${stamp}.zip`;
}

/** What an import may do with a record: a push's four results, or not pushed at all. */
export type ImportStatus = 'accepted' | 'unchanged' | 'conflict' | 'rejected' | 'skipped';

/** What an import did with one record (src/lib/server/backup-import.ts). */
export type ImportRecordResult = {
	id: string;
	name: string;
	countyCode: string;
	status: ImportStatus;
	revision?: number;
	issues?: Issue[];
};

/** The report of an import: the CLI prints it, `/api/imports/{id}/finish` answers it. */
export type ImportReport = {
	file: Pick<BackupManifest, 'deviceId' | 'username' | 'county' | 'exportedAt' | 'counts'>;
	/** The account the records were pushed as. */
	as: string;
	photos: { stored: number; present: number; failed: { sha256: string; message: string }[] };
	results: ImportRecordResult[];
	counts: Record<ImportStatus, number>;
};
