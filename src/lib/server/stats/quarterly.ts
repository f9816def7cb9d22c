import { sql } from 'kysely';
import { COUNTY_CODES } from '../../domain/codelists/index.js';
import {
	checkQuarter,
	emptyRow,
	FIRST_QUARTER,
	quarterBounds,
	quarterKey,
	quarterOf,
	REPORT_CATEGORIES,
	sumRows,
	type Quarter,
	type QuarterlyReport,
	type QuarterlyRow
} from '../../domain/quarterly.js';
import type { BreakdownRow } from '../../domain/stats.js';
import type { Db } from '../db/connection.js';
import type { DataStore } from '../db/store.js';

export type QuarterOutcome = { ok: true; quarter: Quarter } | { ok: false; error: string };

/**
 * The quarter of a report's `quarter` parameter at `now`: the current quarter when it is not
 * given; a malformed quarter, one before the census or one not yet begun is refused (400).
 */
export function quarterParam(text: string | null, now = new Date()): QuarterOutcome {
	if (text === null || text === '') return { ok: true, quarter: quarterOf(now) };
	const check = checkQuarter(text, now);
	if (check.ok) return check;
	const shown = text.slice(0, 20);
	const first = quarterKey(FIRST_QUARTER);
	switch (check.reason) {
		case 'malformed':
			return {
				ok: false,
				error: `季度（quarter）“${shown}” 无效：应写作年份、字母 Q 和季度数 1–4，例如 2026Q4`
			};
		case 'before_census':
			return {
				ok: false,
				error: `季度 ${shown} 早于第四次全国文物普查开始的季度（${first}）：没有可统计的工作`
			};
		case 'future':
			return {
				ok: false,
				error: `季度 ${shown} 尚未开始：只能查看本季度（${quarterKey(quarterOf(now))}）及以前的季度`
			};
	}
}

const n = (v: unknown) => Number(v ?? 0);

/** `AND <column> IN (…)` unless the scope is every county. */
function inScope(column: string, scope: readonly string[], every: boolean) {
	return every ? sql`` : sql`AND ${sql.ref(column)} IN (${sql.join(scope.map((c) => sql.lit(c)))})`;
}

/**
 * The quarterly progress report of `counties` for `quarter` (issue 14 point 3), read in one
 * snapshot (a read transaction on either database). Every figure is an aggregate query grouped by
 * county: no record's row is read into JavaScript. The definitions are the 说明 sheet's
 * (quarterly-xlsx.ts) and contract §3 *Quarterly report*.
 */
export async function quarterlyReport(
	store: DataStore,
	counties: readonly string[],
	quarter: Quarter,
	now = new Date()
): Promise<QuarterlyReport> {
	const scope = COUNTY_CODES.filter((c) => counties.includes(c));
	const { start, end } = quarterBounds(quarter);
	const generatedAt = now.toISOString();
	const report = (rows: QuarterlyRow[], categories: BreakdownRow[]): QuarterlyReport => ({
		quarter: quarterKey(quarter),
		start,
		end,
		counties: scope,
		generatedAt,
		partial: generatedAt < end,
		rows,
		total: sumRows(rows),
		categories
	});
	if (scope.length === 0) return report([], categoryRows([], []));
	const every = COUNTY_CODES.every((c) => scope.includes(c));
	return store.read(async (tx) => {
		const byCounty = new Map(scope.map((c) => [c, emptyRow(c)]));
		const categories = await figures(tx.db, scope, every, start, end, byCounty);
		return report([...byCounty.values()], categoryRows(scope, categories));
	});
}

type CategoryGroup = { county_code: string; category: string | null; n: unknown };

/** Fills `byCounty` and answers the quarter's records per county and category. */
async function figures(
	db: Db,
	scope: string[],
	every: boolean,
	start: string,
	end: string,
	byCounty: Map<string, QuarterlyRow>
): Promise<CategoryGroup[]> {
	const row = (county: string) => byCounty.get(county);
	const scopeList = sql.join(scope.map((c) => sql.lit(c)));

	const sites = await sql<{ county_code: string; n: unknown }>`
		SELECT county_code, count(*) AS n FROM sites WHERE 1 = 1 ${inScope('county_code', scope, every)}
		GROUP BY county_code`.execute(db);
	for (const r of sites.rows) {
		const target = row(r.county_code);
		if (target) target.sites = n(r.n);
	}

	const teams = await sql<{ county_code: string; teams: unknown; members: unknown }>`
		SELECT t.county_code, count(DISTINCT t.id) AS teams, count(m.user_id) AS members
		FROM teams t LEFT JOIN team_members m ON m.team_id = t.id
		WHERE 1 = 1 ${inScope('t.county_code', scope, every)}
		GROUP BY t.county_code`.execute(db);
	for (const r of teams.rows) {
		const target = row(r.county_code);
		if (target) {
			target.teams = n(r.teams);
			target.members = n(r.members);
		}
	}

	// a registered site is re-checked (lost) from the first 复查 record (with 消失) that names it;
	// a record's time is its first push (created_at: the server's ISO text, compared as text)
	for (const lost of [false, true]) {
		const result = await sql<{ county_code: string; quarter: unknown; to_date: unknown }>`
			SELECT s.county_code, count(*) AS to_date,
				sum(CASE WHEN r.first_at >= ${start} THEN 1 ELSE 0 END) AS quarter
			FROM sites s
			INNER JOIN (
				SELECT site_code, min(created_at) AS first_at FROM records
				WHERE county_code IN (${scopeList}) AND kind = '复查' AND site_code IS NOT NULL
					AND created_at < ${end} ${lost ? sql`AND stat_change = '消失'` : sql``}
				GROUP BY site_code
			) r ON r.site_code = s.code
			WHERE 1 = 1 ${inScope('s.county_code', scope, every)}
			GROUP BY s.county_code`.execute(db);
		for (const r of result.rows) {
			const target = row(r.county_code);
			if (!target) continue;
			if (lost) {
				target.lost = n(r.quarter);
				target.lostToDate = n(r.to_date);
			} else {
				target.rechecked = n(r.quarter);
				target.recheckedToDate = n(r.to_date);
			}
		}
	}

	// records by county, kind and category up to the quarter's end (the statistics' index holds
	// every column read)
	const records = await sql<{
		county_code: string;
		kind: string;
		category: string | null;
		quarter: unknown;
		to_date: unknown;
	}>`
		SELECT county_code, kind, category, count(*) AS to_date,
			sum(CASE WHEN created_at >= ${start} THEN 1 ELSE 0 END) AS quarter
		FROM records
		WHERE created_at < ${end} ${inScope('county_code', scope, every)}
		GROUP BY county_code, kind, category`.execute(db);
	const categories: CategoryGroup[] = [];
	for (const r of records.rows) {
		const target = row(r.county_code);
		if (!target) continue;
		target.received += n(r.quarter);
		if (r.kind === '新发现') {
			target.newFinds += n(r.quarter);
			target.newFindsToDate += n(r.to_date);
		}
		if (n(r.quarter) > 0)
			categories.push({ county_code: r.county_code, category: r.category, n: r.quarter });
	}

	// decisions: each counts its records once (a record approved twice in a quarter is one)
	const decisions = await sql<{
		county_code: string;
		county_approved: unknown;
		city_approved: unknown;
		city_to_date: unknown;
		returned: unknown;
	}>`
		SELECT r.county_code,
			count(DISTINCT CASE WHEN v.action = 'approve' AND v.status = 'county_approved'
				AND v.at >= ${start} THEN v.record_id END) AS county_approved,
			count(DISTINCT CASE WHEN v.action = 'approve' AND v.status = 'accepted'
				AND v.at >= ${start} THEN v.record_id END) AS city_approved,
			count(DISTINCT CASE WHEN v.action = 'approve' AND v.status = 'accepted'
				THEN v.record_id END) AS city_to_date,
			count(DISTINCT CASE WHEN v.action = 'return' AND v.at >= ${start}
				THEN v.record_id END) AS returned
		FROM revisions v INNER JOIN records r ON r.id = v.record_id
		WHERE v.action IN ('approve', 'return') AND v.at < ${end}
			${inScope('r.county_code', scope, every)}
		GROUP BY r.county_code`.execute(db);
	for (const r of decisions.rows) {
		const target = row(r.county_code);
		if (!target) continue;
		target.countyApproved = n(r.county_approved);
		target.cityApproved = n(r.city_approved);
		target.cityApprovedToDate = n(r.city_to_date);
		target.returned = n(r.returned);
	}
	return categories;
}

/** The 分类统计 rows: every category (then '') with each county of the scope and the sum. */
function categoryRows(scope: readonly string[], groups: readonly CategoryGroup[]): BreakdownRow[] {
	const rows = new Map<string, BreakdownRow>();
	for (const term of REPORT_CATEGORIES) {
		const byCounty: Record<string, number> = {};
		for (const c of scope) byCounty[c] = 0;
		rows.set(term, { term, byCounty, total: 0 });
	}
	for (const g of groups) {
		const target = rows.get(g.category ?? '');
		// a category outside the code list cannot be stored (the schema refuses it)
		if (!target || !(g.county_code in target.byCounty)) continue;
		target.byCounty[g.county_code] = (target.byCounty[g.county_code] ?? 0) + n(g.n);
		target.total += n(g.n);
	}
	return [...rows.values()];
}
