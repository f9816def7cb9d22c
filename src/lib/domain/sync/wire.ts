import { z } from 'zod';
import {
	CATEGORIES,
	CHANGE_TYPES,
	CONDITIONS,
	COUNTY_CODES,
	ERA_GROUPS,
	PROTECTION_LEVELS,
	RECORD_STATUSES,
	SURVEY_KINDS,
	THREATS,
	type RecordStatus
} from '../codelists/index.js';
import { QcFindingSchema } from '../qc/finding.js';
import { IMPORT_FIELDS } from '../registry/site-import.js';
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

/** How much a reviewer's comment weighs: a change the record needs, or a suggestion. */
export const COMMENT_SEVERITIES = ['必须修改', '建议'] as const;
export type CommentSeverity = (typeof COMMENT_SEVERITIES)[number];

/**
 * A reviewer's comment on a record; `path` is a record field path (`description`,
 * `photos.2.direction`), absent for the record as a whole. Added with issue 12: `id` (the
 * decision's revision and the comment's place in it, `"3.1"`; a surveyor's answer names it) and
 * `severity` (absent on older comments: read as 必须修改).
 */
export const ReviewCommentSchema = z.object({
	id: z.string().max(20).optional(),
	path: z.string().max(200).optional(),
	message: z.string().max(20_000),
	severity: z.enum(COMMENT_SEVERITIES).optional(),
	by: z.string().max(200),
	at: isoDateTime
});
export type ReviewComment = z.infer<typeof ReviewCommentSchema>;

/**
 * What a revision of a record was made by (`history[].action`); a newer server may add more.
 * `correct` (issue 12): a reviewer's correction of the content, with a reason. `publish` (issue
 * 13): the record went into a registry version.
 */
export const HISTORY_ACTIONS = ['push', 'approve', 'return', 'correct', 'publish'] as const;
export type HistoryAction = (typeof HISTORY_ACTIONS)[number];

/** One entry of a record's history. */
export const HistoryEntrySchema = z.looseObject({
	revision,
	at: z.string(),
	by: z.string(),
	action: z.string(),
	/** The top-level fields that revision changed (pushes and corrections). */
	changed: z.array(z.string()).optional(),
	/** The status the record had after this revision (issue 12). */
	status: z.enum(RECORD_STATUSES).optional(),
	/** A decision's comments (issue 12). */
	comments: z.array(ReviewCommentSchema).optional(),
	/** A correction's reason (issue 12). */
	reason: z.string().optional()
});
export type HistoryEntry = z.infer<typeof HistoryEntrySchema>;

/** A comment as a reviewer writes it: the server adds `id`, `by` and `at`. */
export const NewCommentSchema = z.strictObject({
	path: z.string().trim().max(200).optional(),
	message: z.string().trim().min(1, '意见不能为空').max(20_000),
	severity: z
		.enum(COMMENT_SEVERITIES, { error: '意见级别只能是 必须修改 或 建议' })
		.default('必须修改')
});
export type NewComment = z.infer<typeof NewCommentSchema>;

/** `POST /api/records/{id}/decision`. */
export const DecisionBodySchema = z.strictObject({
	decision: z.enum(['approve', 'return'], { error: 'decision 只能是 approve 或 return' }),
	revision,
	comments: z.array(NewCommentSchema).max(200).default([])
});
export type DecisionBody = z.infer<typeof DecisionBodySchema>;

export const DecisionResponseSchema = z.looseObject({
	status: z.enum(RECORD_STATUSES),
	revision
});
export type DecisionResponse = z.infer<typeof DecisionResponseSchema>;

/**
 * The record fields a reviewer may correct (issue 12): what the record says about the site, not
 * its identity (`id`, `kind`, `siteCode`, `countyCode`), its location and photos (evidence taken
 * in the field) or the surveyor's own notes and answers.
 */
export const CORRECTABLE_FIELDS = [
	'name',
	'township',
	'village',
	'address',
	'changeType',
	'lostReason',
	'category',
	'subcategory',
	'era',
	'eraGroup',
	'protectionLevel',
	'ownership',
	'usage',
	'usageNote',
	'industry',
	'specialLists',
	'condition',
	'openStatus',
	'threats',
	'areaM2',
	'description'
] as const;
export type CorrectableField = (typeof CORRECTABLE_FIELDS)[number];

/**
 * `POST /api/records/{id}/correction` (issue 12): a reviewer's correction, stored as a new revision
 * attributed to the reviewer (`history[].action` `correct`) and sent to the author's device. The
 * corrected record must still pass the record schema. `null` clears a field.
 */
export const CorrectionBodySchema = z.strictObject({
	revision,
	changes: z
		.partialRecord(z.enum(CORRECTABLE_FIELDS, { error: '该字段不能由审核员更正' }), z.unknown())
		.refine((c) => Object.keys(c).length > 0, '请至少更正一个字段'),
	reason: z.string().trim().min(1, '更正时必须写明理由').max(2000)
});
export type CorrectionBody = z.infer<typeof CorrectionBodySchema>;

export const CorrectionResponseSchema = z.looseObject({
	status: z.enum(RECORD_STATUSES),
	revision,
	changed: z.array(z.string())
});
export type CorrectionResponse = z.infer<typeof CorrectionResponseSchema>;

/** Most records one bulk approval may name. */
export const BULK_MAX_RECORDS = 200;

/**
 * `POST /api/review/bulk-approve` (issue 12): approve many records at once, each at the revision
 * the reviewer saw. Each is decided on its own (as `decision` `approve` with no comment), so a
 * record with QC errors, a stale revision or another status is refused alone.
 */
export const BulkApproveBodySchema = z.strictObject({
	records: z
		.array(z.strictObject({ id: z.string().min(1).max(100), revision }))
		.min(1, '请至少选择一条记录')
		.max(BULK_MAX_RECORDS, `一次最多批量通过 ${BULK_MAX_RECORDS} 条记录`)
});
export type BulkApproveBody = z.infer<typeof BulkApproveBodySchema>;

export const BulkApproveResponseSchema = z.looseObject({
	results: z.array(
		z.looseObject({
			id: z.string(),
			/** `approved`, or the HTTP status a single decision would have answered (404, 409, 422). */
			outcome: z.union([z.literal('approved'), z.number().int()]),
			status: z.enum(RECORD_STATUSES).optional(),
			revision: revision.optional(),
			error: z.string().optional()
		})
	)
});
export type BulkApproveResponse = z.infer<typeof BulkApproveResponseSchema>;

// ---- batch print of registration forms (登记表) ---------------------------------------------

/** Most forms one batch print may hold. */
export const PRINT_MAX_FORMS = 2000;

/** What a batch prints when the body names no status: what the city has accepted, or published. */
export const DEFAULT_PRINT_STATUSES: readonly RecordStatus[] = ['accepted', 'published'];

/**
 * `POST /api/review/print-jobs` (issue 14 point 1): the registration forms of one county's
 * records in the given statuses (default `DEFAULT_PRINT_STATUSES`), one form per record, as one
 * PDF the server makes. `county` MUST be one of the user's counties (403 otherwise).
 */
export const PrintJobBodySchema = z.strictObject({
	county: z.enum(COUNTY_CODES, { error: '旗区代码不存在' }),
	statuses: z
		.array(z.enum(RECORD_STATUSES, { error: '记录状态不存在' }))
		.min(1, '请至少选择一种记录状态')
		.max(RECORD_STATUSES.length)
		.optional()
});
export type PrintJobBody = z.infer<typeof PrintJobBodySchema>;

/** A print job's state: waiting for its turn, rendering, its PDF ready, or ended without one. */
export const PRINT_JOB_STATES = ['queued', 'running', 'done', 'failed', 'cancelled'] as const;
export type PrintJobState = (typeof PRINT_JOB_STATES)[number];

/** `GET /api/review/print-jobs/{id}` (and the `202` of its `POST`): how far a job has got. */
export const PrintJobSchema = z.looseObject({
	id: z.string(),
	state: z.enum(PRINT_JOB_STATES),
	county: z.enum(COUNTY_CODES),
	statuses: z.array(z.enum(RECORD_STATUSES)),
	/** forms rendered so far, of `total` */
	done: z.number().int().nonnegative(),
	total: z.number().int().positive(),
	/** jobs that run before this one (`queued` only) */
	ahead: z.number().int().nonnegative().optional(),
	createdAt: isoDateTime,
	finishedAt: isoDateTime.optional(),
	/** pages and bytes of the PDF (`done` only) */
	pages: z.number().int().positive().optional(),
	bytes: z.number().int().positive().optional(),
	/** until when the PDF can be downloaded (`done` only) */
	expiresAt: isoDateTime.optional(),
	/** why it failed (`failed` only) */
	error: z.string().optional()
});
export type PrintJob = z.infer<typeof PrintJobSchema>;

// ---- spot checks (抽查) ------------------------------------------------------------------------

/** A city reviewer's conclusion on one sampled record. */
export const SAMPLE_CONCLUSIONS = ['合格', '不合格'] as const;
export type SampleConclusion = (typeof SAMPLE_CONCLUSIONS)[number];

/**
 * `POST /api/review/samples` (issue 12, city reviewers): draw a reproducible random sample of
 * `percent` of each county's records in the given statuses (default: `county_approved` and
 * `accepted`). The same seed over the same records draws the same sample; without one, the
 * server makes one and records it with the draw.
 */
export const SampleDrawBodySchema = z.strictObject({
	percent: z.number().min(0.1, '抽查比例至少 0.1%').max(100, '抽查比例不能超过 100%'),
	counties: z
		.array(z.enum(COUNTY_CODES, { error: '旗区代码不存在' }))
		.min(1)
		.max(9)
		.optional(),
	statuses: z.array(z.enum(RECORD_STATUSES)).min(1).max(5).optional(),
	seed: textWithoutNul(z.string().trim().min(1).max(100)).optional(),
	note: textWithoutNul(z.string().trim().max(2000)).optional()
});
export type SampleDrawBody = z.infer<typeof SampleDrawBodySchema>;

/** `POST /api/review/samples/{id}/items/{recordId}`: the conclusion on one sampled record. */
export const SampleConclusionBodySchema = z.strictObject({
	conclusion: z.enum(SAMPLE_CONCLUSIONS, { error: '结论只能是 合格 或 不合格' }),
	note: textWithoutNul(z.string().trim().max(2000)).optional()
});
export type SampleConclusionBody = z.infer<typeof SampleConclusionBodySchema>;

/** Results of a spot check, for one county or for the whole draw. */
export const SampleResultSchema = z.looseObject({
	/** records the county had in the drawn statuses at the draw */
	population: z.number().int().nonnegative(),
	sampled: z.number().int().nonnegative(),
	/** sampled records with a conclusion */
	concluded: z.number().int().nonnegative(),
	/** concluded 合格 */
	passed: z.number().int().nonnegative(),
	/** concluded 不合格 */
	failed: z.number().int().nonnegative(),
	/** passed / concluded, 0–1; null while nothing is concluded */
	passRate: z.number().min(0).max(1).nullable()
});
export type SampleResult = z.infer<typeof SampleResultSchema>;

/** One draw as the list shows it: what was drawn, by whom, and how far the checks have got. */
export const SampleSummarySchema = z.looseObject({
	id: z.number().int().positive(),
	drawnAt: z.string(),
	drawnBy: z.string(),
	seed: z.string(),
	percent: z.number(),
	statuses: z.array(z.enum(RECORD_STATUSES)),
	counties: z.array(z.enum(COUNTY_CODES)),
	note: z.string().nullable(),
	total: SampleResultSchema
});
export type SampleSummary = z.infer<typeof SampleSummarySchema>;

/** One sampled record: the revision drawn, where the record is now, and the conclusion. */
export const SampleItemSchema = z.looseObject({
	recordId: z.string(),
	countyCode: z.enum(COUNTY_CODES),
	name: z.string().nullable(),
	revisionAtDraw: revision,
	status: z.enum(RECORD_STATUSES),
	revision,
	conclusion: z.enum(SAMPLE_CONCLUSIONS).nullable(),
	note: z.string().nullable(),
	concludedBy: z.string().nullable(),
	concludedAt: z.string().nullable()
});
export type SampleItem = z.infer<typeof SampleItemSchema>;

/**
 * `GET /api/review/samples/{id}` (and the `201` of a draw): the draw, its records in county then
 * id order, and the results per county (every drawn county, in code order).
 */
export const SampleResponseSchema = z.looseObject({
	sample: SampleSummarySchema,
	items: z.array(SampleItemSchema),
	byCounty: z.array(SampleResultSchema.extend({ countyCode: z.enum(COUNTY_CODES) }))
});
export type SampleResponse = z.infer<typeof SampleResponseSchema>;

/**
 * `POST /api/review/samples/{id}/items/{recordId}`: the item as now concluded, and the results
 * of its county and of the whole draw.
 */
export const SampleConclusionResponseSchema = z.looseObject({
	item: SampleItemSchema,
	county: SampleResultSchema.extend({ countyCode: z.enum(COUNTY_CODES) }),
	total: SampleResultSchema
});
export type SampleConclusionResponse = z.infer<typeof SampleConclusionResponseSchema>;

/** `GET /api/review/samples`: every draw, newest first. */
export const SampleListResponseSchema = z.looseObject({ samples: z.array(SampleSummarySchema) });
export type SampleListResponse = z.infer<typeof SampleListResponseSchema>;

/** `GET /api/records/{id}`: one record with its status, revision, findings and history. */
export const RecordResponseSchema = z.looseObject({
	record: z.record(z.string(), z.unknown()),
	status: z.enum(RECORD_STATUSES),
	revision,
	findings: z.array(WireFindingSchema).default([]),
	history: z.array(HistoryEntrySchema),
	/** The comments of the decision that returned it, while it is `returned`. */
	comments: z.array(ReviewCommentSchema).nullish(),
	/**
	 * Issue 12: the content of the revision that set the content before the current one (push or
	 * correction), null when only one ever did.
	 */
	previous: z.record(z.string(), z.unknown()).nullish(),
	/** Issue 12: for a 复查, the registry entry it re-checks; null for a 新发现. */
	site: z.record(z.string(), z.unknown()).nullish()
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

/** A Monday, YYYY-MM-DD: the first day of a China Standard Time week. */
const monday = isoDate.refine(
	(day) => new Date(`${day}T00:00:00Z`).getUTCDay() === 1,
	'周须以周一的日期表示（YYYY-MM-DD）'
);

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
		team: positive('队号', 1_000_000_000).optional(),
		from: isoDate.optional(),
		to: isoDate.optional(),
		// the statistics' filters (issue 14 point 2): what each figure of /review/stats counts
		kind: z.enum(SURVEY_KINDS, { error: '调查类型应为 复查 或 新发现' }).optional(),
		change: z.enum(CHANGE_TYPES, { error: '变化情况不在代码表中' }).optional(),
		era: z.enum(ERA_GROUPS, { error: '统计年代不在代码表中' }).optional(),
		level: z.enum(PROTECTION_LEVELS, { error: '保护级别不在代码表中' }).optional(),
		condition: z.enum(CONDITIONS, { error: '现状评估不在代码表中' }).optional(),
		threat: z.enum(THREATS, { error: '影响因素不在代码表中' }).optional(),
		// the statistics' weeks: records first received, or accepted by the city, in the China
		// Standard Time week that starts on this Monday
		receivedWeek: monday.optional(),
		acceptedWeek: monday.optional(),
		// the statistics' sites: one 复查 record per registered site — its first (`first`), or its
		// first accepted or published by the city (`accepted`)
		perSite: z.enum(['first', 'accepted'], { error: 'perSite 应为 first 或 accepted' }).optional(),
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
	surveyor: z.string().nullish(),
	/** That account's team now (issue 13 point 2), `null` when it is in none. */
	team: z.looseObject({ id: z.number().int(), name: z.string() }).nullish()
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

// ---- teams (issue 13 point 2; the queue's team filter, issue 12) ------------------------------

/** The most surveyors one team holds. */
export const TEAM_MAX_MEMBERS = 50;

const teamName = textWithoutNul(
	z.string().trim().min(1, '请填写队名').max(40, '队名不能超过 40 个字')
);
const teamMembers = z
	.array(textWithoutNul(z.string().trim().min(1, '账号不能为空').max(64)), {
		error: '成员应为调查员账号的列表'
	})
	.max(TEAM_MAX_MEMBERS, `一个队最多 ${TEAM_MAX_MEMBERS} 名成员`)
	.refine((list) => new Set(list).size === list.length, '同一成员只能列一次');

/** `POST /api/teams`: a new team of a county, with its surveyors (usernames). */
export const NewTeamBodySchema = z.strictObject({
	countyCode: z.enum(COUNTY_CODES, { error: '旗区代码不存在' }),
	name: teamName,
	members: teamMembers.optional()
});
export type NewTeamBody = z.infer<typeof NewTeamBodySchema>;

/** `PATCH /api/teams/{id}`: a new name, or the whole list of members, or both. */
export const TeamChangeBodySchema = z
	.strictObject({ name: teamName.optional(), members: teamMembers.optional() })
	.refine((b) => b.name !== undefined || b.members !== undefined, '请给出新队名或成员名单');
export type TeamChangeBody = z.infer<typeof TeamChangeBodySchema>;

export const TeamSchema = z.looseObject({
	id: z.number().int(),
	countyCode: z.enum(COUNTY_CODES),
	name: z.string(),
	createdAt: z.string(),
	createdBy: z.string(),
	members: z.array(z.looseObject({ username: z.string(), displayName: z.string().nullish() }))
});
export type Team = z.infer<typeof TeamSchema>;

/** The most site codes one assignment call names. */
export const TEAM_SITES_MAX = 20_000;
const siteCodes = z
	.array(textWithoutNul(z.string().trim().min(1).max(40)), { error: '应为登记编号的列表' })
	.max(TEAM_SITES_MAX, `一次最多 ${TEAM_SITES_MAX} 处文物`);

/**
 * `POST /api/teams/{id}/sites`: assigns sites to the team (by code, or every site of whole
 * townships of its county) and takes sites off it. A site is with one team at most: assigning
 * one another team holds moves it.
 */
export const TeamSitesBodySchema = z
	.strictObject({
		assign: siteCodes.optional(),
		townships: z
			.array(textWithoutNul(z.string().trim().min(1).max(60)), { error: '应为乡镇名称的列表' })
			.max(200)
			.optional(),
		unassign: siteCodes.optional()
	})
	.refine(
		(b) => (b.assign?.length ?? 0) + (b.townships?.length ?? 0) + (b.unassign?.length ?? 0) > 0,
		'请给出要分配或取消的文物'
	);
export type TeamSitesBody = z.infer<typeof TeamSitesBodySchema>;

/** What `POST /api/teams/{id}/sites` did. */
export const TeamSitesResponseSchema = z.looseObject({
	/** sites the team holds now */
	sites: z.number().int(),
	/** newly assigned to it (moved ones included) */
	added: z.number().int(),
	/** of those, taken from another team */
	moved: z.number().int(),
	removed: z.number().int()
});
export type TeamSitesResponse = z.infer<typeof TeamSitesResponseSchema>;

/** `GET /api/teams`. */
export const TeamListResponseSchema = z.looseObject({ teams: z.array(TeamSchema) });
export type TeamListResponse = z.infer<typeof TeamListResponseSchema>;

// ---- a team's registry on the device (issue 13 point 2, field side) ---------------------------

/** `GET /api/registry?scope=`: `county` (the default, version 1) or `team` (its assignment). */
export const REGISTRY_SCOPES = ['county', 'team'] as const;
export const RegistryScopeSchema = z.enum(REGISTRY_SCOPES);
export type RegistryScope = z.infer<typeof RegistryScopeSchema>;

/**
 * What a `scope=team` answer adds: the team, how many sites it is assigned, and a token that
 * changes whenever that set of codes changes. A device whose stored token differs MUST download
 * the whole assignment again (no `since`) and replace what it holds.
 */
export const RegistryAssignmentSchema = z.looseObject({
	teamId: z.number().int(),
	teamName: z.string(),
	sites: z.number().int().min(0),
	token: z.string().min(1).max(200)
});
export type RegistryAssignment = z.infer<typeof RegistryAssignmentSchema>;

/** `GET /api/registry?scope=team`. */
export const TeamRegistryResponseSchema = z.looseObject({
	sites: z.array(z.unknown()),
	cursor,
	assignment: RegistryAssignmentSchema
});
export type TeamRegistryResponse = z.infer<typeof TeamRegistryResponseSchema>;

/** `GET /api/registry/summary`: what each download would bring, before it is made. */
export const RegistrySummarySchema = z.looseObject({
	county: z.looseObject({ sites: z.number().int().min(0), bytes: z.number().int().min(0) }),
	team: z
		.looseObject({
			id: z.number().int(),
			name: z.string(),
			sites: z.number().int().min(0),
			bytes: z.number().int().min(0)
		})
		.nullable()
});
export type RegistrySummary = z.infer<typeof RegistrySummarySchema>;

// ---- registry versions (publishing, issue 13 point 3) ----------------------------------------

/** `POST /api/registry/publish`: the note the version is published with. */
export const PublishBodySchema = z.strictObject({
	note: textWithoutNul(
		z
			.string({ error: '请填写发布说明 note' })
			.trim()
			.min(1, '请填写发布说明')
			.max(2000, '发布说明不能超过 2000 个字')
	)
});
export type PublishBody = z.infer<typeof PublishBodySchema>;

/** The answer of a publish: the new version, the records it published and its sites. */
export const PublishResponseSchema = z.looseObject({
	version: z.number().int(),
	count: z.number().int(),
	sites: z.number().int()
});
export type PublishResponse = z.infer<typeof PublishResponseSchema>;

/** One published version: who published it when, with what note, and what it changed. */
export const RegistryVersionSchema = z.looseObject({
	version: z.number().int(),
	publishedAt: z.string(),
	publishedBy: z.string(),
	note: z.string(),
	/** sites in the version (lost ones included), records it published */
	sites: z.number().int(),
	records: z.number().int(),
	/** new sites (new finds), sites a 复查 changed, sites newly marked 消失 */
	added: z.number().int(),
	changed: z.number().int(),
	lost: z.number().int()
});
export type RegistryVersion = z.infer<typeof RegistryVersionSchema>;

/** `GET /api/registry/versions`: every version, newest first. */
export const RegistryVersionListResponseSchema = z.looseObject({
	versions: z.array(RegistryVersionSchema)
});
export type RegistryVersionListResponse = z.infer<typeof RegistryVersionListResponseSchema>;

/**
 * A site of a version as reviewers read it: the registered site's fields (those known; exact
 * geometry), whether it is lost, and where it came from (`source`: `record` with the record id
 * and the revision whose content it holds, or `import`: the imported registry entry).
 */
export const VersionSiteSchema = z.looseObject({
	code: z.string(),
	countyCode: z.string(),
	name: z.string().optional(),
	location: z.looseObject({ lat: z.number(), lon: z.number(), altitude: z.number().optional() }),
	lost: z.boolean(),
	lostReason: z.string().nullable(),
	source: z.enum(['import', 'record']),
	recordId: z.string().nullable(),
	recordRevision: z.number().int().nullable(),
	/** the version this entry took its present content in */
	sinceVersion: z.number().int()
});
export type VersionSite = z.infer<typeof VersionSiteSchema>;

/** Sites of one version per page of `GET /api/registry/versions/{n}`. */
export const VERSION_PAGE_SIZE = 1000;
export const VERSION_MAX_LIMIT = 5000;

/** `GET /api/registry/versions/{n}`: the version and a page of its sites in code order. */
export const VersionResponseSchema = z.looseObject({
	version: RegistryVersionSchema,
	sites: z.array(VersionSiteSchema),
	/** pass as `after` for the next page; null on the last */
	next: z.string().nullable()
});
export type VersionResponse = z.infer<typeof VersionResponseSchema>;

/** Where a version's site came from: a record's revision and its decisions, or the import. */
export const SiteLineageSchema = z.union([
	z.looseObject({
		source: z.literal('record'),
		recordId: z.string(),
		kind: z.string(),
		/** the revision whose content the site holds (the last push or correction) */
		revision: z.number().int(),
		/** the record's `publish` revision, and the version that published it */
		publishedRevision: z.number().int(),
		publishedIn: z.number().int(),
		/** county approval and city acceptance of that content, then the publication */
		decisions: z.array(HistoryEntrySchema),
		/** the record's whole history up to its publication */
		history: z.array(HistoryEntrySchema)
	}),
	z.looseObject({
		source: z.literal('import'),
		/** the version the imported entry first appeared in with this content */
		since: z.number().int()
	})
]);
export type SiteLineage = z.infer<typeof SiteLineageSchema>;

/** `GET /api/registry/versions/{n}/sites/{code}`. */
export const VersionSiteResponseSchema = z.looseObject({
	version: z.number().int(),
	site: VersionSiteSchema,
	lineage: SiteLineageSchema
});
export type VersionSiteResponse = z.infer<typeof VersionSiteResponseSchema>;

/** One field a site changed between two versions (`location`: `{lat, lon, altitude?}`). */
export const SiteFieldDiffSchema = z.looseObject({
	field: z.string(),
	from: z.unknown(),
	to: z.unknown()
});
export type SiteFieldDiff = z.infer<typeof SiteFieldDiffSchema>;

const comparedSite = z.looseObject({
	code: z.string(),
	countyCode: z.string(),
	name: z.string().nullable()
});

/** `GET /api/registry/versions/{a}/compare/{b}`: what `b` has that `a` had not, in code order. */
export const VersionCompareResponseSchema = z.looseObject({
	from: z.number().int(),
	to: z.number().int(),
	added: z.array(comparedSite.extend({ lost: z.boolean() })),
	/** in `from` only: a comparison backwards (sites are never removed going forwards) */
	removed: z.array(comparedSite),
	lost: z.array(
		comparedSite.extend({
			lostReason: z.string().nullable(),
			changes: z.array(SiteFieldDiffSchema)
		})
	),
	changed: z.array(comparedSite.extend({ changes: z.array(SiteFieldDiffSchema) }))
});
export type VersionCompareResponse = z.infer<typeof VersionCompareResponseSchema>;

// ---- end registry versions --------------------------------------------------------------------

// ---- registry import (issue 13 point 1) --------------------------------------------------------

/** The fields a column of an imported registry sheet can be mapped to (site-import.ts). */
export const RegistryImportFieldSchema = z.enum(IMPORT_FIELDS);

const importHeader = textWithoutNul(z.string().min(1).max(200));

/** `POST /api/registry/imports/{id}/dry-run`: field → the file's column header. */
export const RegistryImportDryRunBodySchema = z.strictObject({
	mapping: z.partialRecord(RegistryImportFieldSchema, importHeader)
});
export type RegistryImportDryRunBody = z.infer<typeof RegistryImportDryRunBodySchema>;

/** `POST /api/registry/imports/{id}/confirm` and `…/boundaries/{id}/confirm`: the dry run's plan. */
export const RegistryImportConfirmBodySchema = z.strictObject({
	plan: z.string().regex(/^[0-9a-f]{32}$/, 'plan 应为预览返回的 32 位编号')
});
export type RegistryImportConfirmBody = z.infer<typeof RegistryImportConfirmBodySchema>;

/** `POST /api/registry/imports` (`201`): the file as read, and the mapping guessed or remembered. */
export const RegistryImportUploadSchema = z.looseObject({
	id: z.string(),
	fileName: z.string(),
	sha256: z.string(),
	size: z.number(),
	format: z.enum(['xlsx', 'csv']),
	encoding: z.string().optional(),
	headers: z.array(z.string()),
	rowCount: z.number(),
	/** the first rows' cells, to show beside the mapping */
	preview: z.array(z.array(z.string())),
	mapping: z.partialRecord(RegistryImportFieldSchema, z.string()),
	/** whether `mapping` came (in part) from the remembered one */
	remembered: z.boolean()
});
export type RegistryImportUpload = z.infer<typeof RegistryImportUploadSchema>;

export const RegistryImportProblemSchema = z.looseObject({
	row: z.number(),
	column: z.string(),
	field: z.string(),
	message: z.string()
});
export type RegistryImportProblem = z.infer<typeof RegistryImportProblemSchema>;

export const RegistryImportChangeSchema = z.looseObject({
	row: z.number(),
	code: z.string(),
	name: z.string(),
	status: z.enum(['new', 'changed']),
	changes: z.array(z.looseObject({ field: z.string(), old: z.unknown(), new: z.unknown() }))
});
export type RegistryImportChange = z.infer<typeof RegistryImportChangeSchema>;

/** The dry run's report (`200`), also what `GET /api/registry/imports/{id}` holds as `report`. */
export const RegistryImportReportSchema = z.looseObject({
	plan: z.string(),
	counts: z.looseObject({
		rows: z.number(),
		new: z.number(),
		changed: z.number(),
		unchanged: z.number(),
		refused: z.number()
	}),
	/** every problem, in row order (at most REGISTRY_IMPORT_REPORT_MAX; `problemCount` has all) */
	problems: z.array(RegistryImportProblemSchema),
	problemCount: z.number(),
	/** the new and changed sites (at most REGISTRY_IMPORT_REPORT_MAX) */
	changes: z.array(RegistryImportChangeSchema),
	/** true when nothing stands in the way: no problem, and something to write */
	canConfirm: z.boolean()
});
export type RegistryImportReport = z.infer<typeof RegistryImportReportSchema>;
export const REGISTRY_IMPORT_REPORT_MAX = 5000;

/** `POST …/confirm` (`200`): the import as stored. */
export const RegistryImportResultSchema = z.looseObject({
	import: z.looseObject({
		id: z.string(),
		kind: z.enum(['sites', 'counties']),
		at: z.string(),
		by: z.string(),
		fileName: z.string(),
		counts: z.record(z.string(), z.number())
	})
});
export type RegistryImportResult = z.infer<typeof RegistryImportResultSchema>;

/** `POST /api/registry/boundaries` (`201`): the bureau's county boundaries checked. */
export const CountyImportReportSchema = z.looseObject({
	id: z.string(),
	plan: z.string(),
	fileName: z.string(),
	problems: z.array(z.looseObject({ feature: z.number(), code: z.string(), message: z.string() })),
	counties: z.array(
		z.looseObject({
			code: z.string(),
			name: z.string(),
			areaKm2: z.number(),
			/** registered sites of the county more than 500 m outside the new boundary */
			sitesOutside: z.number()
		})
	),
	canConfirm: z.boolean()
});
export type CountyImportReport = z.infer<typeof CountyImportReportSchema>;

// ---- end registry import ---------------------------------------------------------------------

// ---- public registry (issue 13 point 4) ---------------------------------------------------------

/** One site of the public list and map (`publicEntry`): generalized when `generalized`. */
export const PublicEntrySchema = z.looseObject({
	code: z.string(),
	countyCode: z.string(),
	name: z.string(),
	township: z.string(),
	category: z.string(),
	eraGroup: z.string(),
	era: z.string(),
	protectionLevel: z.string(),
	lost: z.boolean(),
	lat: z.number(),
	lon: z.number(),
	generalized: z.boolean()
});
export type PublicEntryWire = z.infer<typeof PublicEntrySchema>;

/** `GET /api/public/sites`: a page of the latest version's matching sites, in code order. */
export const PublicSearchResponseSchema = z.looseObject({
	/** 0 before the first publish (then `sites` is empty) */
	version: z.number().int(),
	publishedAt: z.string(),
	total: z.number().int(),
	page: z.number().int(),
	pageSize: z.number().int(),
	sites: z.array(PublicEntrySchema)
});
export type PublicSearchResponse = z.infer<typeof PublicSearchResponseSchema>;

/** The frame a map may take of public points: never past `maxZoom` (14 with a generalized one). */
export const PublicFrameSchema = z
	.looseObject({
		south: z.number(),
		west: z.number(),
		north: z.number(),
		east: z.number(),
		maxZoom: z.number().int()
	})
	.nullable();

/** `GET /api/public/points`: every matching site's public point, for the map. */
export const PublicPointsResponseSchema = z.looseObject({
	version: z.number().int(),
	points: z.array(
		z.looseObject({
			code: z.string(),
			name: z.string(),
			lat: z.number(),
			lon: z.number(),
			generalized: z.boolean()
		})
	),
	frame: PublicFrameSchema
});
export type PublicPointsResponse = z.infer<typeof PublicPointsResponseSchema>;

/** `GET /api/public/sites/{code}`: one site as `publicSite` gives it, and its public photos. */
export const PublicSiteResponseSchema = z.looseObject({
	version: z.number().int(),
	publishedAt: z.string(),
	site: z.looseObject({
		code: z.string(),
		countyCode: z.string(),
		location: z.looseObject({ lat: z.number(), lon: z.number() }),
		generalized: z.boolean(),
		lost: z.boolean(),
		lostReason: z.string().nullable(),
		sinceVersion: z.number().int()
	}),
	/** `GET /api/public/sites/{code}/photos/{n}` serves photo n without metadata */
	photos: z.array(
		z.looseObject({ n: z.number().int(), kind: z.string(), direction: z.string().optional() })
	),
	frame: PublicFrameSchema
});
export type PublicSiteResponse = z.infer<typeof PublicSiteResponseSchema>;

// ---- end public registry ----------------------------------------------------------------------

// ---- pull ------------------------------------------------------------------------------------

/** A review outcome of one of my records. */
export const RecordChangeSchema = z.looseObject({
	type: z.literal('record'),
	id: z.string(),
	status: z.enum(RECORD_STATUSES),
	revision,
	comments: z.array(ReviewCommentSchema).nullish(),
	at: z.string(),
	/**
	 * Issue 12: the record's content at `revision` when a reviewer's correction changed it (the
	 * device replaces its sent copy), with the correction's author and reason.
	 */
	record: z.record(z.string(), z.unknown()).optional(),
	correction: z.looseObject({ by: z.string(), reason: z.string() }).optional(),
	/** Issue 13: a teammate's push made `revision`; `record` is their content. */
	revisedBy: z.string().optional(),
	/**
	 * Issue 13 (device side): the record is a teammate's, written by this username (a pull that
	 * sent `team`); absent for the puller's own records.
	 */
	author: z.string().optional()
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

/**
 * Issue 13 (device side): the team whose records a surveyor's pull brings besides its own (the
 * pull sent `team`), its other members, the token of that roster and, when the token the
 * device sent differs, `records`: every record those members wrote in the team's county.
 */
export const TeamPullSchema = z.looseObject({
	id: z.number().int(),
	name: z.string(),
	countyCode: z.string(),
	token: z.string().min(1).max(200),
	members: z.array(z.looseObject({ username: z.string(), displayName: z.string().nullish() })),
	records: z
		.array(
			z.looseObject({
				id: z.string(),
				revision,
				status: z.enum(RECORD_STATUSES),
				author: z.string()
			})
		)
		.optional()
});
export type TeamPull = z.infer<typeof TeamPullSchema>;

/** `GET /api/sync/pull`: ordered changes, at most `PULL_MAX_CHANGES` a call. */
export const PullResponseSchema = z.looseObject({
	changes: z.array(PullChangeSchema),
	cursor,
	more: z.boolean(),
	/** Issue 13: present when the pull sent `team`; null when the account is in no team. */
	team: TeamPullSchema.nullish()
});
export type PullResponse = z.infer<typeof PullResponseSchema>;
