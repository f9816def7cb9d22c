import { z } from 'zod';
import { COUNTY_CODES, RECORD_STATUSES } from '$lib/domain/codelists/index.js';
import { USER_ROLES } from '$lib/db/schema';

/*
 * The server's answers as the device reads them (contract §3). Objects are loose: the contract
 * lets the server add response fields, and the device MUST NOT break when it does.
 */

const cursor = z.union([z.string(), z.number()]).transform(String);

export const LoginResponseSchema = z.looseObject({
	token: z.string().min(1),
	user: z.looseObject({
		username: z.string().min(1),
		role: z.enum(USER_ROLES),
		counties: z.array(z.enum(COUNTY_CODES))
	})
});
export type LoginResponse = z.infer<typeof LoginResponseSchema>;

export const RegistryResponseSchema = z.looseObject({
	sites: z.array(z.unknown()),
	cursor
});

const IssueSchema = z.looseObject({ path: z.string().optional(), message: z.string() });

export const PushResultSchema = z.looseObject({
	id: z.string(),
	status: z.enum(['accepted', 'unchanged', 'conflict', 'rejected']),
	revision: z.number().int().optional(),
	issues: z.array(IssueSchema).optional(),
	findings: z.array(z.unknown()).optional(),
	current: z.record(z.string(), z.unknown()).optional()
});
export type PushResult = z.infer<typeof PushResultSchema>;
export const PushResponseSchema = z.looseObject({ results: z.array(PushResultSchema) });

/** A reviewer's comment as the server sends it (pull changes, `GET /api/records/{id}`). */
const WireCommentsSchema = z
	.array(
		z.looseObject({
			path: z.string().nullish(),
			message: z.string(),
			by: z.string().nullish(),
			at: z.string().nullish()
		})
	)
	.nullish();
export type WireComments = z.infer<typeof WireCommentsSchema>;

const RecordChangeSchema = z.looseObject({
	type: z.literal('record'),
	id: z.string(),
	status: z.enum(RECORD_STATUSES),
	revision: z.number().int().min(1),
	comments: WireCommentsSchema,
	at: z.string()
});
const SiteChangeSchema = z.looseObject({
	type: z.literal('site'),
	site: z.record(z.string(), z.unknown()),
	at: z.string()
});
/** A change of a kind this device does not know is passed over, never an error. */
const OtherChangeSchema = z.looseObject({ type: z.string() });

export const PullChangeSchema = z.union([RecordChangeSchema, SiteChangeSchema, OtherChangeSchema]);
export type RecordChange = z.infer<typeof RecordChangeSchema>;
export type SiteChange = z.infer<typeof SiteChangeSchema>;
export type PullChange = z.infer<typeof PullChangeSchema>;

export const PullResponseSchema = z.looseObject({
	changes: z.array(PullChangeSchema),
	cursor,
	more: z.boolean()
});

/** `GET /api/records/{id}`: one record with its status, revision and history. */
export const RecordResponseSchema = z.looseObject({
	record: z.record(z.string(), z.unknown()),
	status: z.string(),
	revision: z.number().int().min(1),
	history: z.array(
		z.looseObject({
			revision: z.number().int(),
			at: z.string(),
			by: z.string(),
			action: z.string(),
			changed: z.array(z.string()).optional()
		})
	),
	/** The comments of the decision that returned it, while it is `returned`. */
	comments: WireCommentsSchema
});
export type RecordResponse = z.infer<typeof RecordResponseSchema>;

export const ErrorBodySchema = z.looseObject({
	error: z.string(),
	issues: z.array(IssueSchema).optional()
});
