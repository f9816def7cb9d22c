import { z } from 'zod';
import { CATEGORIES, COUNTY_CODES, RECORD_STATUSES } from '../codelists/index.js';
import { QcFindingSchema } from '../qc/finding.js';
import { isoDate, isoDateTime, textWithoutNul } from '../schemas/common.js';
import { PUSH_MAX_RECORDS } from './limits.js';
import { RoleSchema } from './roles.js';

/*
 * The wire contract of `docs/spec/contract.md` §3: every body the device and the server exchange,
 * as zod schemas, with their types inferred. Both sides import them from here and nothing else
 * defines them.
 *
 * - A request body the server reads is strict: an unknown key is refused (`400`), so a typo
 *   never passes silently.
 * - An answer the device reads is loose: the contract lets the server add fields, and a device
 *   MUST NOT break when it does (a tablet in the field may run an older cached build than the
 *   server). Lists a newer server may extend (history actions, reject codes) are read as text.
 */

const deviceId = textWithoutNul(z.string().trim().min(1, 'deviceId 不能为空').max(200));
/** The server counts in integers; a cursor travels as text either way. */
const cursor = z.union([z.string(), z.number()]).transform(String);

/** What is wrong with one part of a request: `path` names the field ('' for the whole). */
export const IssueSchema = z.looseObject({
	path: z.string().default(''),
	message: z.string()
});
export type WireIssue = z.infer<typeof IssueSchema>;

/** Every error under `/api/`: a message a person can act on, and optional issues. */
export const ErrorBodySchema = z.looseObject({
	error: z.string(),
	issues: z.array(IssueSchema).optional()
});
export type ErrorBody = z.infer<typeof ErrorBodySchema>;

/** A QC finding as it travels: the engine's finding, with room for fields a newer server adds. */
export const WireFindingSchema = QcFindingSchema.loose();
export type WireFinding = z.infer<typeof WireFindingSchema>;

// ---- accounts --------------------------------------------------------------------------------

/** `POST /api/auth/login`. */
export const LoginBodySchema = z.strictObject({
	username: z.string().trim().min(1, '请输入用户名').max(100),
	password: z.string().min(1, '请输入密码').max(1000),
	/** A device (the field app) gets a 90-day token; a browser without one a 7-day session. */
	deviceId: deviceId.optional()
});
export type LoginBody = z.infer<typeof LoginBodySchema>;

/** The account as the login answers it. */
export const WireUserSchema = z.looseObject({
	username: z.string().min(1).max(200),
	role: RoleSchema,
	counties: z.array(z.enum(COUNTY_CODES)).max(COUNTY_CODES.length)
});
export type WireUser = z.infer<typeof WireUserSchema>;

export const LoginResponseSchema = z.looseObject({
	token: z.string().min(1).max(4096),
	user: WireUserSchema
});
export type LoginResponse = z.infer<typeof LoginResponseSchema>;

/** `POST /api/devices/report` (extension): what a device still holds that the server has not. */
export const DeviceReportBodySchema = z.strictObject({
	deviceId,
	/** Records on the device the server has not acknowledged (drafts included). */
	unsent: z.number().int().min(0).max(1_000_000),
	oldestUnsentAt: isoDateTime.optional(),
	appVersion: textWithoutNul(z.string().max(100)).optional()
});
export type DeviceReportBody = z.infer<typeof DeviceReportBodySchema>;

/** `GET /api/health`. */
export const HealthResponseSchema = z.looseObject({ ok: z.boolean(), api: z.number().int() });
export type HealthResponse = z.infer<typeof HealthResponseSchema>;

// ---- registry --------------------------------------------------------------------------------

/** `GET /api/registry`: sites are checked one by one by the registry's own schema. */
export const RegistryResponseSchema = z.looseObject({
	sites: z.array(z.unknown()),
	cursor
});
export type RegistryResponse = z.infer<typeof RegistryResponseSchema>;

// ---- push ------------------------------------------------------------------------------------

/** `POST /api/sync/push`: each record is checked on its own, so one bad record refuses only itself. */
export const PushBodySchema = z.strictObject({
	deviceId,
	records: z.array(z.unknown()).max(PUSH_MAX_RECORDS, `一次最多推送 ${PUSH_MAX_RECORDS} 条记录`)
});
export type PushBody = z.infer<typeof PushBodySchema>;

/**
 * Why a record was rejected (contract §3): the first reason found.
 * - `invalid`: the record does not pass the schema;
 * - `not_surveyor`: the account is not a surveyor's (the sync API is for survey devices);
 * - `out_of_scope`: its county is outside the account's;
 * - `not_author`: the server holds it, and another account wrote it;
 * - `unknown_site`: a 复查 of a site the registry does not hold in that county;
 * - `photo_missing`: it names a photo the server does not hold;
 * - `locked`: approved or published, locked until a reviewer returns it.
 */
export const REJECT_CODES = [
	'invalid',
	'not_surveyor',
	'out_of_scope',
	'not_author',
	'unknown_site',
	'photo_missing',
	'locked'
] as const;
export type RejectCode = (typeof REJECT_CODES)[number];

/** The id the record was sent with; null when it had none a result could name. */
const resultId = z.string().nullable();
const revision = z.number().int().min(1);

const StoredResultSchema = {
	id: resultId,
	revision,
	/** The QC findings of the stored revision, the server's own run of the rules. */
	findings: z.array(WireFindingSchema).default([])
};

/** One push result per record, in request order. */
export const PushResultSchema = z.discriminatedUnion('status', [
	/** Stored as revision `revision`. */
	z.looseObject({ status: z.literal('accepted'), ...StoredResultSchema }),
	/** The server already held this content: a retry, nothing written; `revision` is current. */
	z.looseObject({ status: z.literal('unchanged'), ...StoredResultSchema }),
	/** Other content of a newer revision: `current` is the server's record; nothing written. */
	z.looseObject({
		id: resultId,
		status: z.literal('conflict'),
		revision,
		current: z.looseObject({ status: z.enum(RECORD_STATUSES), revision })
	}),
	/** Refused: nothing written; `code` names the first reason (`REJECT_CODES`). */
	z.looseObject({
		id: resultId,
		status: z.literal('rejected'),
		code: z.string().min(1),
		issues: z.array(IssueSchema).default([])
	})
]);
export type PushResult = z.infer<typeof PushResultSchema>;

export const PushResponseSchema = z.looseObject({ results: z.array(PushResultSchema) });
export type PushResponse = z.infer<typeof PushResponseSchema>;

// ---- review ----------------------------------------------------------------------------------

/** A reviewer's comment on a record; `path` is a record field path, absent for the whole. */
export const ReviewCommentSchema = z.object({
	path: z.string().max(200).optional(),
	message: z.string().max(20_000),
	by: z.string().max(200),
	at: isoDateTime
});
export type ReviewComment = z.infer<typeof ReviewCommentSchema>;

/** What a revision of a record was made by (`history[].action`); a newer server may add more. */
export const HISTORY_ACTIONS = ['push', 'approve', 'return'] as const;
export type HistoryAction = (typeof HISTORY_ACTIONS)[number];

/** One entry of a record's history. */
export const HistoryEntrySchema = z.looseObject({
	revision,
	at: z.string(),
	by: z.string(),
	action: z.string(),
	/** The top-level fields that revision changed (pushes only). */
	changed: z.array(z.string()).optional()
});
export type HistoryEntry = z.infer<typeof HistoryEntrySchema>;

/** `POST /api/records/{id}/decision`. */
export const DecisionBodySchema = z.strictObject({
	decision: z.enum(['approve', 'return'], { error: 'decision 只能是 approve 或 return' }),
	revision,
	comments: z
		.array(
			z.strictObject({
				path: z.string().trim().max(200).optional(),
				message: z.string().trim().min(1, '意见不能为空').max(20_000)
			})
		)
		.max(200)
		.default([])
});
export type DecisionBody = z.infer<typeof DecisionBodySchema>;

export const DecisionResponseSchema = z.looseObject({
	status: z.enum(RECORD_STATUSES),
	revision
});
export type DecisionResponse = z.infer<typeof DecisionResponseSchema>;

/** `GET /api/records/{id}`: one record with its status, revision, findings and history. */
export const RecordResponseSchema = z.looseObject({
	record: z.record(z.string(), z.unknown()),
	status: z.enum(RECORD_STATUSES),
	revision,
	findings: z.array(WireFindingSchema).default([]),
	history: z.array(HistoryEntrySchema),
	/** The comments of the decision that returned it, while it is `returned`. */
	comments: z.array(ReviewCommentSchema).nullish()
});
export type RecordResponse = z.infer<typeof RecordResponseSchema>;

// ---- review queue ----------------------------------------------------------------------------

/** QC severity of a queued record: its worst finding (`clean`: none at all). */
export const QUEUE_SEVERITIES = ['error', 'warning', 'clean'] as const;
export type QueueSeverity = (typeof QUEUE_SEVERITIES)[number];
/** Sort keys of the queue: arrival (in its current status), name, county, QC severity. */
export const QUEUE_SORTS = ['arrival', 'name', 'county', 'severity'] as const;
export type QueueSort = (typeof QUEUE_SORTS)[number];
export const QUEUE_ORDERS = ['asc', 'desc'] as const;
/** Rows per page of the review page, and the most `limit` may ask for. */
export const QUEUE_PAGE_SIZE = 50;
export const QUEUE_MAX_LIMIT = 500;

const positive = (what: string, max: number) =>
	z
		.string()
		.regex(/^[1-9]\d{0,6}$/, `${what}须为正整数`)
		.transform(Number)
		.refine((n) => n <= max, `${what}不能大于 ${max}`);

/**
 * `GET /api/review/records` and the review page `/review`: the queue's filters, sort and page,
 * as query parameters (each at most once). Every one is optional; `county` MUST be one of the
 * user's counties (the server answers 403 otherwise). Dates are China Standard Time days and
 * filter on the arrival time, `from` and `to` both included.
 */
export const ReviewQueueQuerySchema = z
	.strictObject({
		county: z.enum(COUNTY_CODES, { error: '旗区代码不存在' }).optional(),
		status: z
			.enum(RECORD_STATUSES, { error: `状态应为 ${RECORD_STATUSES.join('、')} 之一` })
			.optional(),
		severity: z
			.enum(QUEUE_SEVERITIES, { error: `质检应为 ${QUEUE_SEVERITIES.join('、')} 之一` })
			.optional(),
		category: z.enum(CATEGORIES, { error: '类别不在代码表中' }).optional(),
		surveyor: textWithoutNul(z.string().trim().min(1, '调查人账号不能为空').max(100)).optional(),
		from: isoDate.optional(),
		to: isoDate.optional(),
		sort: z.enum(QUEUE_SORTS, { error: `排序应为 ${QUEUE_SORTS.join('、')} 之一` }).optional(),
		order: z.enum(QUEUE_ORDERS, { error: '顺序应为 asc 或 desc' }).optional(),
		page: positive('页码', 100_000).optional(),
		limit: positive('每页条数', QUEUE_MAX_LIMIT).optional()
	})
	.refine((q) => !q.from || !q.to || q.from <= q.to, {
		message: '起始日期不能晚于结束日期',
		path: ['from']
	});
export type ReviewQueueQuery = z.infer<typeof ReviewQueueQuerySchema>;
/** The parameters `ReviewQueueQuerySchema` reads. */
export const QUEUE_PARAMS = Object.keys(ReviewQueueQuerySchema.shape);

/** The query parameters as the schema reads them; a repeated parameter is an issue of its own. */
export function queueParams(
	params: URLSearchParams
): Record<string, string> | { repeated: string } {
	const out: Record<string, string> = {};
	for (const [key, value] of params) {
		if (Object.hasOwn(out, key)) return { repeated: key };
		out[key] = value;
	}
	return out;
}

/** One queued record: the record's own fields, and what the queue adds to them. */
export const ReviewQueueEntrySchema = z.looseObject({
	id: z.string(),
	countyCode: z.string(),
	status: z.enum(RECORD_STATUSES),
	revision,
	/** When the record arrived in its current status (its last push or decision). */
	receivedAt: z.string(),
	/** Counts of the newest pushed revision's QC findings. */
	qc: z.looseObject({ errors: z.number().int(), warnings: z.number().int() }).optional(),
	/** A 新发现 with a DUP-001 finding against a registered site (within 100 m, same category). */
	nearSite: z.boolean().optional(),
	/** The account that pushed the record first. */
	surveyor: z.string().nullish()
});
export type ReviewQueueEntry = z.infer<typeof ReviewQueueEntrySchema>;

/** `GET /api/review/records`. `total`, `counts`, `page` and `pageSize` came with the filters. */
export const ReviewQueueResponseSchema = z.looseObject({
	records: z.array(ReviewQueueEntrySchema),
	/** Records matching every filter. */
	total: z.number().int().optional(),
	/** Records per status matching every filter but `status`. */
	counts: z.partialRecord(z.enum(RECORD_STATUSES), z.number().int()).optional(),
	page: z.number().int().optional(),
	/** Absent when the whole list came in one answer (no `limit` or `page` asked). */
	pageSize: z.number().int().nullish()
});
export type ReviewQueueResponse = z.infer<typeof ReviewQueueResponseSchema>;

// ---- pull ------------------------------------------------------------------------------------

/** A review outcome of one of my records. */
export const RecordChangeSchema = z.looseObject({
	type: z.literal('record'),
	id: z.string(),
	status: z.enum(RECORD_STATUSES),
	revision,
	comments: z.array(ReviewCommentSchema).nullish(),
	at: z.string()
});
export type RecordChange = z.infer<typeof RecordChangeSchema>;

/** A registered site of my counties, new or changed. */
export const SiteChangeSchema = z.looseObject({
	type: z.literal('site'),
	site: z.record(z.string(), z.unknown()),
	at: z.string()
});
export type SiteChange = z.infer<typeof SiteChangeSchema>;

/** A change of a kind this device does not know is passed over, never an error. */
const OtherChangeSchema = z.looseObject({ type: z.string() });

export const PullChangeSchema = z.union([RecordChangeSchema, SiteChangeSchema, OtherChangeSchema]);
export type PullChange = z.infer<typeof PullChangeSchema>;

/** `GET /api/sync/pull`: ordered changes, at most `PULL_MAX_CHANGES` a call. */
export const PullResponseSchema = z.looseObject({
	changes: z.array(PullChangeSchema),
	cursor,
	more: z.boolean()
});
export type PullResponse = z.infer<typeof PullResponseSchema>;
