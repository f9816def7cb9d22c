import type { RecordStatus } from '../../domain/codelists/index.js';
import { parseWith, type Issue } from '../../domain/schemas/common.js';
import {
	BULK_MAX_RECORDS,
	BulkApproveBodySchema,
	type BulkApproveBody,
	type BulkApproveResponse
} from '../../domain/sync/wire.js';
import type { DataStore } from '../db/store.js';
import { reviewTurn } from '../../domain/review/turns.js';
import { inScope, type Principal } from '../auth/roles.js';
import { decide } from './decision.js';

/**
 * Whether `user` may approve a queue row in one go: the status its role decides (REVIEW_TURNS, as
 * decision.ts decides it) and no QC error, since approving a revision with errors needs a written
 * reason.
 */
export function bulkApprovable(
	user: Pick<Principal, 'role'>,
	row: { status: RecordStatus; errors: number }
): boolean {
	return reviewTurn(user.role)?.from === row.status && row.errors === 0;
}

export type BulkRefusal = { ok: false; status: 400 | 403 | 413; error: string; issues?: Issue[] };

/**
 * Reads a bulk approval's body (the API's JSON and the queue's form alike): over the cap is 413,
 * as a push over its cap; anything else malformed, and an id named twice, is 400.
 */
export function readBulkBody(body: unknown): { ok: true; value: BulkApproveBody } | BulkRefusal {
	const records = (body as { records?: unknown } | null)?.records;
	if (Array.isArray(records) && records.length > BULK_MAX_RECORDS)
		return {
			ok: false,
			status: 413,
			error: `一次最多批量通过 ${BULK_MAX_RECORDS} 条记录（收到 ${records.length} 条）：请分批通过`
		};
	const parsed = parseWith(BulkApproveBodySchema, body);
	if (!parsed.ok)
		return {
			ok: false,
			status: 400,
			error: '批量通过请求应为 {records:[{id, revision}, …]}',
			issues: parsed.issues
		};
	const seen = new Set<string>();
	for (const { id } of parsed.value.records) {
		if (seen.has(id))
			return {
				ok: false,
				status: 400,
				error: `记录 ${id.slice(0, 100)} 在请求中出现了不止一次：每条记录只能列一次`
			};
		seen.add(id);
	}
	return { ok: true, value: parsed.value };
}

/**
 * Approves each record of `body` on its own, in request order, exactly as a single `approve`
 * decision with no comment (decision.ts): a record with QC errors, at a stale revision, in another
 * status, out of scope or unknown is refused alone, with the status and message that decision
 * would have answered, and stays as it was; the others are approved. Only reviewers may (403).
 */
export async function bulkApprove(
	store: DataStore,
	user: Principal,
	body: BulkApproveBody,
	now = new Date()
): Promise<{ ok: true; response: BulkApproveResponse } | BulkRefusal> {
	if (reviewTurn(user.role) === undefined)
		return {
			ok: false,
			status: 403,
			error: `账号 ${user.username} 是调查员账号：只有审核员能通过记录`
		};
	const results: BulkApproveResponse['results'] = [];
	for (const { id, revision } of body.records) {
		const outcome = await decide(
			store,
			user,
			id,
			{ decision: 'approve', revision, comments: [] },
			now
		);
		results.push(
			outcome.ok
				? { id, outcome: 'approved', status: outcome.status, revision: outcome.revision }
				: { id, outcome: outcome.status, error: outcome.error }
		);
	}
	return { ok: true, response: { results } };
}

/** What the queue shows of a record in a bulk approval's confirmation and outcome. */
export type BulkRecordSummary = {
	id: string;
	name: string | null;
	countyCode: string;
	status: RecordStatus;
	revision: number;
	warnings: number;
	errors: number;
};

/**
 * The records of `ids` that `user` may read, as the confirmation and the outcome list them; a
 * record out of scope or unknown is left out, so the list tells nothing of another county.
 */
export async function summarize(
	store: DataStore,
	user: Principal,
	ids: readonly string[]
): Promise<Map<string, BulkRecordSummary>> {
	return store.read(async ({ records }) => {
		const found = new Map<string, BulkRecordSummary>();
		for (const id of ids) {
			const row = await records.get(id);
			if (!row || !inScope(user, row.countyCode)) continue;
			const findings = await records.findings(id);
			found.set(id, {
				id,
				name: row.record.name?.trim() || null,
				countyCode: row.countyCode,
				status: row.status,
				revision: row.revision,
				warnings: findings.filter((f) => f.severity === 'warning').length,
				errors: findings.filter((f) => f.severity === 'error').length
			});
		}
		return found;
	});
}
