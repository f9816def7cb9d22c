import { z } from 'zod';
import { COUNTY_CODES, RECORD_STATUSES, SURVEY_KINDS } from '$lib/domain/codelists/index.js';
import { PhotoMetaSchema } from '$lib/domain/schemas/photo.js';
import { RegisteredSiteSchema } from '$lib/domain/schemas/site.js';
import { SurveyRecordSchema } from '$lib/domain/schemas/survey-record.js';
import { isoDateTime, sha256Hex } from '$lib/domain/schemas/common.js';

/** Where a record stands on this device. Server states come from the server only. */
export const LOCAL_STATES = ['draft', 'finalized'] as const;

/** A survey record as the device keeps it: the wire record plus local bookkeeping. */
export const StoredRecordSchema = z.strictObject({
	id: z.uuidv4(),
	countyCode: z.enum(COUNTY_CODES),
	kind: z.enum(SURVEY_KINDS),
	/** '' for a 新发现 (IndexedDB cannot index undefined). */
	siteCode: z.string(),
	localState: z.enum(LOCAL_STATES),
	/** The server's status once it has acknowledged the record. */
	serverStatus: z.enum(RECORD_STATUSES).optional(),
	serverRevision: z.number().int().min(1).optional(),
	record: SurveyRecordSchema,
	/**
	 * True once the surveyor has taken the location (GNSS, RTK, map or manual). A new record
	 * starts at a provisional point (the registry's point, or the county's centre) that must not
	 * be finalized as if it had been measured.
	 */
	locationTaken: z.boolean(),
	createdAt: isoDateTime,
	updatedAt: isoDateTime
});
export type StoredRecord = z.infer<typeof StoredRecordSchema>;

/** Photo metadata, keyed by `${recordId}:${sha256}`; the bytes live in `photoBlobs`. */
export const StoredPhotoSchema = PhotoMetaSchema.extend({ key: z.string().min(66) });
export type StoredPhoto = z.infer<typeof StoredPhotoSchema>;

/** Photo bytes, content-addressed by the SHA-256 of the stored bytes. */
export const StoredPhotoBlobSchema = z.strictObject({
	sha256: sha256Hex,
	blob: z.instanceof(Blob)
});
export type StoredPhotoBlob = z.infer<typeof StoredPhotoBlobSchema>;

export const StoredSiteSchema = RegisteredSiteSchema;
export type StoredSite = z.infer<typeof StoredSiteSchema>;

/** Device settings, one row per key; each value is checked by its own schema. */
export const SETTINGS = {
	/** The county the team works in (issue: accounts will set this later). */
	county: z.enum([...COUNTY_CODES, 'all']),
	/** Where the registry on this device came from and when. */
	registrySource: z.strictObject({
		kind: z.enum(['demo', 'file', 'server']),
		label: z.string().max(200),
		count: z.number().int().min(0),
		loadedAt: isoDateTime
	}),
	surveyor: z.string().max(200)
} as const;
export type SettingKey = keyof typeof SETTINGS;
export type SettingValue<K extends SettingKey> = z.infer<(typeof SETTINGS)[K]>;
