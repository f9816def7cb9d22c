import type { QuarterlyReport } from '../../domain/quarterly.js';
import type { Principal } from '../auth/roles.js';
import type { DataStore } from '../db/store.js';
import { statsScope } from './index.js';
import { quarterlyReport, quarterParam } from './quarterly.js';

export type QuarterlyOutcome =
	{ ok: true; report: QuarterlyReport } | { ok: false; status: 400 | 403; error: string };

/**
 * The quarterly report a request asks for: the scope as the statistics' (a surveyor 403, a county
 * not the user's 403, an unknown one 400), then the quarter (400 malformed, before the census or
 * not yet begun; the current quarter without one).
 */
export async function quarterlyFor(
	store: DataStore,
	user: Principal,
	params: URLSearchParams,
	now = new Date()
): Promise<QuarterlyOutcome> {
	const scope = statsScope(user, params.get('county'));
	if (!scope.ok) return scope;
	const quarter = quarterParam(params.get('quarter'), now);
	if (!quarter.ok) return { ok: false, status: 400, error: quarter.error };
	return { ok: true, report: await quarterlyReport(store, scope.counties, quarter.quarter, now) };
}
