import { z } from 'zod';
import { COUNTY_CODES, RECORD_STATUSES, SURVEY_KINDS } from '$lib/domain/codelists/index.js';
import { PhotoMetaSchema } from '$lib/domain/schemas/photo.js';
import { RegisteredSiteSchema } from '$lib/domain/schemas/site.js';
import { SurveyRecordSchema } from '$lib/domain/schemas/survey-record.js';
import { isoDateTime, sha256Hex } from '$lib/domain/schemas/common.js';
import { QcFindingSchema } from '$lib/domain/qc/finding.js';
import { RoleSchema } from '$lib/domain/sync/roles.js';
import { ReviewCommentSchema, type ReviewComment } from '$lib/domain/sync/wire.js';
import { MAX_MARGIN_MB, MIN_MARGIN_MB } from '$lib/storage/space.js';

/** Where a record stands on this device. Server states come from the server only. */
export const LOCAL_STATES = ['draft', 'finalized'] as const;

/**
 * The record's place in the outbox: `queued` (finalized, waiting to be pushed; the server may
 * have refused it before, see `syncIssues`), `conflict` (the server holds other content of a
 * newer revision; nothing is sent until the surveyor decides). Absent: nothing to send.
 */
export const OUTBOX_STATES = ['queued', 'conflict'] as const;

export { ReviewCommentSchema, type ReviewComment };

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
	outbox: z.enum(OUTBOX_STATES).optional(),
	/** The reviewer's comments of the latest decision; kept until the record is pushed again. */
	serverComments: z.array(ReviewCommentSchema).max(1000).optional(),
	/**
	 * Issue 12: reviewers' corrections of the record that reached the device, oldest first, each
	 * with who made it, why, the revision it made and the fields it changed. `applied: false`: the
	 * device held unsent edits, so its content was kept (the next push meets a conflict).
	 */
	serverCorrections: z
		.array(
			z.strictObject({
				by: z.string().max(200),
				reason: z.string().max(20_000),
				revision: z.number().int().min(1),
				at: z.string().max(100),
				fields: z.array(z.string().max(100)).max(100),
				applied: z.boolean()
			})
		)
		.max(50)
		.optional(),
	/**
	 * The server's own QC findings of the revision it stored (push result, `GET /api/records/{id}`):
	 * shown beside the device's, since the server also checks against records of other devices.
	 */
	serverFindings: z
		.strictObject({
			revision: z.number().int().min(1),
			findings: z.array(QcFindingSchema).max(500)
		})
		.optional(),
	/** Why the server refused the last push (`rejected`, contract §3), or a local upload refusal. */
	syncIssues: z
		.array(z.strictObject({ path: z.string().max(500), message: z.string().max(20_000) }))
		.max(500)
		.optional(),
	/**
	 * On `conflict`: the server's record (`current` of the push result, with its `status` and
	 * `revision`) beside the local one, which stays untouched.
	 */
	conflict: z
		.strictObject({
			current: z.record(z.string(), z.unknown()),
			at: isoDateTime
		})
		.optional(),
	/**
	 * Conflicts the surveyor resolved, oldest first: the device's version and the server's as
	 * they stood, and the choice per differing field, so neither version is lost by merging.
	 */
	resolvedConflicts: z
		.array(
			z.strictObject({
				mine: SurveyRecordSchema,
				server: z.record(z.string(), z.unknown()),
				choices: z.record(z.string(), z.enum(['mine', 'server'])),
				at: isoDateTime
			})
		)
		.max(50)
		.optional(),
	record: SurveyRecordSchema,
	/**
	 * Issue 13: a teammate's record (another account of the surveyor's team wrote it), received
	 * through pull: the author's username and the name to show (队友 张三). Absent: the
	 * surveyor's own record.
	 */
	teammate: z
		.strictObject({ username: z.string().min(1).max(200), name: z.string().min(1).max(200) })
		.optional(),
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

export type SessionUser = z.infer<(typeof SETTINGS)['session']>['user'];

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
	surveyor: z.string().max(200),
	/** This device's stable identity, sent with login and push (made once, never changed). */
	deviceId: z.uuid(),
	/**
	 * The account logged in on this device. The device works offline with it; `expired` is set
	 * when the server answered 401 (login expired or token revoked) until the next login.
	 */
	session: z.strictObject({
		token: z.string().min(1).max(4096),
		user: z.strictObject({
			username: z.string().min(1).max(200),
			role: RoleSchema,
			counties: z.array(z.enum(COUNTY_CODES)).max(COUNTY_CODES.length)
		}),
		loggedInAt: isoDateTime,
		expired: z.boolean().optional()
	}),
	/** The pull cursor (`GET /api/sync/pull?since=`), per account. */
	syncCursor: z.strictObject({ username: z.string().max(200), cursor: z.string().max(2000) }),
	/**
	 * The registry's own cursor (`GET /api/registry?since=`), per account; with teams (issue 13)
	 * also what it is a cursor of: the county's registry (no `scope`, as before) or the team's
	 * assignment, with the assignment's token and team as the server last answered them.
	 */
	registryCursor: z.strictObject({
		username: z.string().max(200),
		cursor: z.string().max(2000),
		scope: z.enum(['county', 'team']).optional(),
		token: z.string().max(200).optional(),
		team: z
			.strictObject({
				id: z.number().int(),
				name: z.string().max(200),
				sites: z.number().int().min(0)
			})
			.optional()
	}),
	/**
	 * Issue 13: the team whose records pull brings besides the account's own, as the server last
	 * answered it (`team` of `GET /api/sync/pull`): its roster token and the other members. An
	 * empty token: the account is in no team.
	 */
	teamRoster: z.strictObject({
		username: z.string().max(200),
		token: z.string().max(200),
		team: z.string().max(200).optional(),
		members: z
			.array(z.strictObject({ username: z.string().max(200), name: z.string().max(200) }))
			.max(200)
	}),
	/** Which registry the surveyor chose to download (issue 13: 本队分配 or 全旗区), per account. */
	registryScope: z.strictObject({
		username: z.string().max(200),
		scope: z.enum(['county', 'team'])
	}),
	/** The last sync run that completed. */
	lastSync: z.strictObject({ at: isoDateTime }),
	/** The last backup file exported (src/lib/backup, docs/BACKUP.md). */
	lastBackup: z.strictObject({
		at: isoDateTime,
		fileName: z.string().max(500),
		records: z.number().int().min(0),
		photos: z.number().int().min(0)
	}),
	/** Remind to back up when unsent data is older than this many days (default 3). */
	backupReminderDays: z.number().int().min(1).max(60),
	/**
	 * Free space (MB) a write MUST leave on the device: a photo that would leave less is not
	 * started (src/lib/storage/space.ts; default 200).
	 */
	storageMarginMb: z.number().int().min(MIN_MARGIN_MB).max(MAX_MARGIN_MB),
	/** When the surveyor closed the warning that persistent storage was refused (知道了). */
	persistNoticeDismissed: z.strictObject({ at: isoDateTime })
} as const;
export type SettingKey = keyof typeof SETTINGS;
export type SettingValue<K extends SettingKey> = z.infer<(typeof SETTINGS)[K]>;
