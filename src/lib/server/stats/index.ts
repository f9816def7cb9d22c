import { sql, type RawBuilder } from 'kysely';
import { COUNTY_CODES, RECORD_STATUSES, type RecordStatus } from '../../domain/codelists/index.js';
import {
	emptyFigures,
	STAT_DIMENSION_NAMES,
	STAT_DIMENSIONS,
	sumFigures,
	type BreakdownRow,
	type CountyFigures,
	type CensusStats,
	type StatDimension,
	type WeekFigures
} from '../../domain/stats.js';
import type { Db, DialectName } from '../db/connection.js';
import type { DataStore } from '../db/store.js';
import { countiesFor, inScope, type Principal } from '../auth/roles.js';

export type StatsScopeOutcome =
	{ ok: true; counties: string[] } | { ok: false; status: 400 | 403; error: string };

/**
 * The counties the statistics of `user` cover: `county` (when given, it MUST be the user's, as in
 * the queue), else all of the user's. Only reviewers have statistics.
 */
export function statsScope(user: Principal, county: string | null): StatsScopeOutcome {
	if (user.role === 'surveyor')
		return {
			ok: false,
			status: 403,
			error: `账号 ${user.username} 是调查员账号：统计只对审核员开放`
		};
	if (county !== null && county !== '') {
		if (!(COUNTY_CODES as readonly string[]).includes(county))
			return {
				ok: false,
				status: 400,
				error: `旗区（county）“${county.slice(0, 20)}” 无效：旗区代码不存在`
			};
		if (!inScope(user, county))
			return {
				ok: false,
				status: 403,
				error: `账号 ${user.username} 无权查看旗区 ${county} 的统计`
			};
		return { ok: true, counties: [county] };
	}
	return { ok: true, counties: countiesFor(user.role, user.counties) };
}

const n = (v: unknown) => Number(v ?? 0);

/** The Monday (China Standard Time) of the ISO time text `column`, as YYYY-MM-DD. */
function weekOf(dialect: DialectName, column: RawBuilder<unknown>): RawBuilder<string> {
	return dialect === 'postgres'
		? sql<string>`to_char(date_trunc('week', (${column})::timestamptz AT TIME ZONE 'Asia/Shanghai'), 'YYYY-MM-DD')`
		: sql<string>`date(${column}, '+8 hours', 'weekday 0', '-6 days')`;
}

/**
 * The census statistics of `counties` (issue 14 point 2), in one read snapshot: each figure is an
 * aggregate query (no record's row is read into JavaScript), so the cost grows with the records
 * only as far as the database's scans do.
 */
export async function censusStats(
	store: DataStore,
	counties: readonly string[]
): Promise<CensusStats> {
	const scope = COUNTY_CODES.filter((c) => counties.includes(c));
	const generatedAt = new Date().toISOString();
	if (scope.length === 0)
		return {
			counties: [],
			generatedAt,
			perCounty: [],
			total: sumFigures([]),
			breakdowns: Object.fromEntries(STAT_DIMENSION_NAMES.map((d) => [d, []])) as unknown as Record<
				StatDimension,
				BreakdownRow[]
			>,
			weekly: []
		};
	const every = COUNTY_CODES.every((c) => scope.includes(c));
	const dialect = store.dialect;
	// PostgreSQL: the three parts side by side, each over a connection of its own (as the queue
	// page's reads; a record arriving meanwhile shows in the next view); SQLite: one snapshot
	const parts = (db: Db) =>
		Promise.all([
			termGroups(db, scope, every),
			countyFigures(db, scope, every),
			weeklyOf(db, dialect, scope, every)
		]);
	const [groups, figures, weekly] =
		dialect === 'postgres' ? await parts(store.db) : await store.read((tx) => parts(tx.db));
	foldRecords(figures, groups);
	const breakdowns = breakdownsOf(groups, scope);
	return {
		counties: scope,
		generatedAt,
		perCounty: figures,
		total: sumFigures(figures),
		breakdowns,
		weekly
	};
}

/** `AND county_code IN (…)` on `column` unless the scope is every county. */
function countyCondition(column: string, scope: readonly string[], every: boolean) {
	return every ? sql`` : sql`AND ${sql.ref(column)} IN (${sql.join(scope.map((c) => sql.lit(c)))})`;
}

/**
 * A count of the records per combination of county, kind, status and statistics' terms, in one
 * pass over the statistics' index (records_stats, 0015) in its own order: the groups come out of
 * the index as it is read (no sort), and every count of the records — per county, kind and
 * status, the 消失, each breakdown — is folded out of them here. The combinations are few: they
 * are bounded by the code lists' terms that occur together, not by the records.
 */
type TermGroup = {
	county_code: string;
	kind: string;
	status: string;
	category: string | null;
	stat_era: string | null;
	stat_level: string | null;
	stat_condition: string | null;
	stat_change: string | null;
	stat_threats: string | null;
	n: unknown;
};

async function termGroups(db: Db, scope: string[], every: boolean): Promise<TermGroup[]> {
	const columns = sql`county_code, kind, status, category, stat_era, stat_level, stat_condition,
		stat_change, stat_threats`;
	const result = await sql<TermGroup>`
		SELECT ${columns}, count(*) AS n
		FROM records WHERE 1 = 1 ${countyCondition('county_code', scope, every)}
		GROUP BY ${columns}`.execute(db);
	return result.rows;
}

/** The records' counts of each county's figures, out of the term groups. */
function foldRecords(figures: readonly CountyFigures[], groups: readonly TermGroup[]) {
	const byCounty = new Map(figures.map((f) => [f.county, f]));
	for (const row of groups) {
		const f = byCounty.get(row.county_code);
		if (!f) continue;
		const count = n(row.n);
		f.records += count;
		if (row.kind === '复查') f.rechecks += count;
		if (row.kind === '新发现') f.newFinds += count;
		if (row.kind === '复查' && row.stat_change === '消失') f.lost += count;
		if ((RECORD_STATUSES as readonly string[]).includes(row.status))
			f.byStatus[row.status as RecordStatus] += count;
		if (row.status === 'accepted' || row.status === 'published') f.accepted += count;
	}
}

/** Each county's registered sites and re-checked sites (the records' counts: foldRecords). */
async function countyFigures(db: Db, scope: string[], every: boolean) {
	const byCounty = new Map(scope.map((c) => [c, emptyFigures(c)]));
	const done = sql.join(['accepted', 'published'].map((s) => sql.lit(s)));
	const sites = await sql<{ county_code: string; n: unknown }>`
		SELECT county_code, count(*) AS n FROM sites WHERE 1 = 1 ${countyCondition('county_code', scope, every)}
		GROUP BY county_code`.execute(db);
	for (const row of sites.rows) {
		const f = byCounty.get(row.county_code);
		if (f) f.sites = n(row.n);
	}
	// a site is rechecked when a 复查 record names it; accepted when one of them is accepted
	const rechecked = await sql<{ county_code: string; rechecked: unknown; accepted: unknown }>`
		SELECT s.county_code, count(*) AS rechecked, sum(r.done) AS accepted
		FROM sites s
		INNER JOIN (
			SELECT site_code, max(CASE WHEN status IN (${done}) THEN 1 ELSE 0 END) AS done
			FROM records
			WHERE county_code IN (${sql.join(scope.map((c) => sql.lit(c)))})
				AND kind = '复查' AND site_code IS NOT NULL
			GROUP BY site_code
		) r ON r.site_code = s.code
		WHERE 1 = 1 ${countyCondition('s.county_code', scope, every)}
		GROUP BY s.county_code`.execute(db);
	for (const row of rechecked.rows) {
		const f = byCounty.get(row.county_code);
		if (f) {
			f.rechecked = n(row.rechecked);
			f.recheckedAccepted = n(row.accepted);
		}
	}
	return [...byCounty.values()];
}

/** The rows of one breakdown from (county, term, n) groups: code-list terms in order, then ''. */
function breakdownRows(
	terms: readonly string[],
	scope: readonly string[],
	groups: readonly { county_code: string; term: string | null; n: unknown }[]
): BreakdownRow[] {
	const rows = new Map<string, BreakdownRow>();
	for (const term of [...terms, '']) rows.set(term, { term, byCounty: {}, total: 0 });
	for (const row of rows.values()) for (const c of scope) row.byCounty[c] = 0;
	for (const g of groups) {
		const row = rows.get(g.term ?? '');
		// a term outside the code list cannot be stored (the schema refuses it); skip it if it were
		if (!row || !(g.county_code in row.byCounty)) continue;
		row.byCounty[g.county_code] = (row.byCounty[g.county_code] ?? 0) + n(g.n);
		row.total += n(g.n);
	}
	return [...rows.values()];
}

/** The breakdowns, folded out of the term groups: one table per breakdown. */
function breakdownsOf(groups: readonly TermGroup[], scope: string[]) {
	const folded: Record<StatDimension, { county_code: string; term: string; n: number }[]> = {
		category: [],
		eraGroup: [],
		protectionLevel: [],
		condition: [],
		threats: []
	};
	for (const g of groups) {
		const county = g.county_code;
		const count = n(g.n);
		folded.category.push({ county_code: county, term: g.category ?? '', n: count });
		folded.eraGroup.push({ county_code: county, term: g.stat_era ?? '', n: count });
		folded.protectionLevel.push({ county_code: county, term: g.stat_level ?? '', n: count });
		folded.condition.push({ county_code: county, term: g.stat_condition ?? '', n: count });
		// `|a|b|`: once under each threat named (a threat named twice counts once)
		const threats = new Set((g.stat_threats ?? '').split('|').filter((t) => t));
		if (threats.size === 0) folded.threats.push({ county_code: county, term: '', n: count });
		for (const t of threats) folded.threats.push({ county_code: county, term: t, n: count });
	}
	const out = {} as Record<StatDimension, BreakdownRow[]>;
	for (const dim of STAT_DIMENSION_NAMES)
		out[dim] = breakdownRows(STAT_DIMENSIONS[dim], scope, folded[dim]);
	return out;
}

/** A China Standard Time week: its Monday (YYYY-MM-DD) and its bounds as UTC ISO 8601 text. */
export type ChinaWeek = { week: string; start: string; stop: string };

const CST_MS = 8 * 3_600_000;
const WEEK_MS = 7 * 86_400_000;

/**
 * The China Standard Time weeks (Monday to Sunday) from the one holding the instant `first` to
 * the one holding `last` (ISO 8601 text), oldest first; none when `last` is before `first`.
 */
export function chinaWeeks(first: string, last: string): ChinaWeek[] {
	const from = Date.parse(first);
	const to = Date.parse(last);
	if (!Number.isFinite(from) || !Number.isFinite(to) || to < from) return [];
	// the Monday 00:00 in China of `first`'s week, as a UTC instant
	const local = new Date(from + CST_MS);
	const monday =
		Date.UTC(local.getUTCFullYear(), local.getUTCMonth(), local.getUTCDate()) -
		((local.getUTCDay() + 6) % 7) * 86_400_000;
	const weeks: ChinaWeek[] = [];
	for (let start = monday - CST_MS; start <= to; start += WEEK_MS)
		weeks.push({
			week: new Date(start + CST_MS).toISOString().slice(0, 10),
			start: new Date(start).toISOString(),
			stop: new Date(start + WEEK_MS).toISOString()
		});
	return weeks;
}

/**
 * Records received (first pushed: the record's creation) and accepted by the city (an approval
 * that made the status accepted; a record counts once a week) per week, oldest first.
 */
async function weeklyOf(
	db: Db,
	dialect: DialectName,
	scope: string[],
	every: boolean
): Promise<WeekFigures[]> {
	// the weeks from the first record received to the last (records_created, 0016: each end
	// read off the index on its own, then a range per week; the creation times are the server's ISO 8601 UTC text, so the
	// weeks' bounds compare as text)
	const ends = await sql<{ first: string | null; last: string | null }>`
		SELECT
			(SELECT min(created_at) FROM records WHERE 1 = 1 ${countyCondition('county_code', scope, every)}) AS first,
			(SELECT max(created_at) FROM records WHERE 1 = 1 ${countyCondition('county_code', scope, every)}) AS last`.execute(
		db
	);
	const { first, last } = ends.rows[0] ?? { first: null, last: null };
	const spans = first && last ? chinaWeeks(first, last) : [];
	const received = spans.length
		? await sql<{ week: string; n: unknown }>`
		SELECT w.column1 AS week, count(*) AS n
		FROM (VALUES ${sql.join(spans.map((w) => sql`(${w.week}, ${w.start}, ${w.stop})`))}) AS w
		INNER JOIN records r ON r.created_at >= w.column2 AND r.created_at < w.column3
		WHERE 1 = 1 ${countyCondition('r.county_code', scope, every)}
		GROUP BY w.column1`.execute(db)
		: { rows: [] };
	// the city's approvals out of their own index (0015); the records' counties only for a scope
	const accepted = await sql<{ week: string; n: unknown }>`
		SELECT ${weekOf(dialect, sql.ref('v.at'))} AS week, count(DISTINCT v.record_id) AS n
		FROM revisions v
		${every ? sql`` : sql`INNER JOIN records r ON r.id = v.record_id`}
		WHERE v.action = 'approve' AND v.status = 'accepted'
		${countyCondition('r.county_code', scope, every)}
		GROUP BY 1`.execute(db);
	const weeks = new Map<string, WeekFigures>();
	const week = (w: string) => {
		let entry = weeks.get(w);
		if (!entry) weeks.set(w, (entry = { week: w, received: 0, accepted: 0 }));
		return entry;
	};
	for (const row of received.rows) week(row.week).received = n(row.n);
	for (const row of accepted.rows) week(row.week).accepted = n(row.n);
	return [...weeks.values()].sort((a, b) => a.week.localeCompare(b.week));
}
