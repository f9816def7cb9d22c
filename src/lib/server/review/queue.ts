import { COUNTY_CODES } from '../../domain/codelists/index.js';
import {
	QUEUE_PARAMS,
	queueParams,
	ReviewQueueQuerySchema,
	type ReviewQueueQuery
} from '../../domain/sync/wire.js';
import { inScope, type Principal } from '../auth/roles.js';

const PARAM_WORDS: Record<string, string> = {
	county: '旗区',
	status: '状态',
	severity: '质检',
	category: '类别',
	surveyor: '调查人',
	from: '起始日期',
	to: '结束日期',
	kind: '调查类型',
	change: '变化情况',
	era: '统计年代',
	level: '保护级别',
	condition: '现状评估',
	threat: '影响因素',
	receivedWeek: '收到新记录的周',
	acceptedWeek: '市级通过的周',
	perSite: '每处文物一条',
	sort: '排序',
	order: '顺序',
	page: '页码',
	limit: '每页条数'
};

export type QueueQueryOutcome =
	| { ok: true; query: ReviewQueueQuery; counties: string[] }
	| { ok: false; status: 400 | 403; error: string };

/**
 * Reads the review queue's query parameters for `user` (the API and the review page alike): what
 * the queue shows and of which counties. Only reviewers have a queue; a county named in the URL
 * MUST be one of the user's (contract §1), and without one the queue is all of the user's.
 */
export function readQueueQuery(user: Principal, params: URLSearchParams): QueueQueryOutcome {
	if (user.role === 'surveyor')
		return {
			ok: false,
			status: 403,
			error: `账号 ${user.username} 是调查员账号：审核队列只对审核员开放`
		};
	const raw = queueParams(params);
	if ('repeated' in raw)
		return {
			ok: false,
			status: 400,
			error: `查询参数 “${raw.repeated.slice(0, 50)}” 只能出现一次`
		};
	for (const key of Object.keys(raw)) {
		if (!QUEUE_PARAMS.includes(key))
			return {
				ok: false,
				status: 400,
				error: `未知的查询参数 “${key.slice(0, 50)}”：可用的有 ${QUEUE_PARAMS.join('、')}`
			};
	}
	const parsed = ReviewQueueQuerySchema.safeParse(raw);
	if (!parsed.success) {
		const issue = parsed.error.issues[0];
		const key = String(issue?.path[0] ?? '');
		const value = (raw[key] ?? '').slice(0, 30);
		return {
			ok: false,
			status: 400,
			error: `${PARAM_WORDS[key] ?? key}（${key}）“${value}” 无效：${issue?.message ?? ''}`
		};
	}
	const query = parsed.data;
	if (query.county !== undefined && !inScope(user, query.county))
		return {
			ok: false,
			status: 403,
			error: `账号 ${user.username} 无权查看旗区 ${query.county} 的记录`
		};
	const counties = query.county ? [query.county] : COUNTY_CODES.filter((c) => inScope(user, c));
	return { ok: true, query, counties };
}
