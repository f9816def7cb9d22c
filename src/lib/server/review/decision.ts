import type { RecordStatus } from '../../domain/codelists/index.js';
import type { DecisionBody, ReviewComment } from '../../domain/sync/wire.js';
import type { DataStore } from '../db/store.js';
import { reviewTurn } from '../../domain/review/turns.js';
import { inScope, type Principal } from '../auth/roles.js';

export { DecisionBodySchema, type DecisionBody } from '../../domain/sync/wire.js';

export type DecisionOutcome =
	| { ok: true; status: RecordStatus; revision: number }
	| { ok: false; status: 404 | 409 | 422 | 403; error: string };

/** How a refusal names each reviewer role. */
const WHO: Record<string, string> = { county_reviewer: '旗区审核员', city_reviewer: '市级审核员' };

/**
 * Which status `role` decides and what its approval makes of it (REVIEW_TURNS, contract §3), with
 * the role's name for refusals; undefined for a role that decides nothing.
 */
export function ruleFor(
	role: string
): { from: RecordStatus; approve: RecordStatus; who: string } | undefined {
	const turn = reviewTurn(role);
	return turn && { ...turn, who: WHO[role] ?? role };
}

export const STATUS_WORDS: Record<RecordStatus, string> = {
	submitted: '已送达（待旗区审核）',
	returned: '已退回',
	county_approved: '旗区已通过（待市局审核）',
	accepted: '市局已通过',
	published: '已公布'
};

/**
 * Decides on a record in one writing transaction (DataStore.write): the revision check, the new
 * revision and its change in the feed are stored together or not at all, and a concurrent
 * decision or push waits for its turn, so a stale `revision` is always seen (409).
 */
export async function decide(
	store: DataStore,
	user: Principal,
	id: string,
	body: DecisionBody,
	now = new Date()
): Promise<DecisionOutcome> {
	return store.write(async ({ records }): Promise<DecisionOutcome> => {
		const row = await records.getForUpdate(id);
		if (!row || !inScope(user, row.countyCode))
			return { ok: false, status: 404, error: '没有这条记录' };
		const rule = ruleFor(user.role);
		if (!rule) return { ok: false, status: 403, error: '调查员不能审核记录' };
		if (body.revision !== row.revision) {
			return {
				ok: false,
				status: 409,
				error: `记录已更新到第 ${row.revision} 版（您审阅的是第 ${body.revision} 版）：请刷新后重新审阅`
			};
		}
		if (row.status !== rule.from) {
			return {
				ok: false,
				status: 422,
				error: `记录当前状态为“${STATUS_WORDS[row.status]}”，${rule.who}只能审核状态为“${STATUS_WORDS[rule.from]}”的记录`
			};
		}
		// each comment is named by the decision's revision and its place in it ("3.1"): the
		// surveyor's answer (schemaVersion 2 `answers`) names the comment it answers
		const comments: ReviewComment[] = body.comments.map((c, i) => ({
			id: `${row.revision + 1}.${i + 1}`,
			...(c.path ? { path: c.path } : {}),
			message: c.message,
			severity: c.severity,
			by: user.username,
			at: now.toISOString()
		}));
		if (body.decision === 'return' && comments.length === 0) {
			return { ok: false, status: 422, error: '退回记录时必须写明意见，告诉调查员要改什么' };
		}
		if (body.decision === 'approve' && comments.length === 0) {
			const errors = (await records.findings(id)).filter((f) => f.severity === 'error');
			if (errors.length > 0) {
				return {
					ok: false,
					status: 422,
					error: `该版本有 ${errors.length} 个质检错误（${[...new Set(errors.map((f) => f.rule))].join('、')}）：通过前请写明理由`
				};
			}
		}
		const status = body.decision === 'approve' ? rule.approve : 'returned';
		const revision = await records.storeDecision({
			row,
			action: body.decision,
			status,
			by: user.username,
			comments,
			at: now.toISOString()
		});
		return { ok: true, status, revision };
	});
}
