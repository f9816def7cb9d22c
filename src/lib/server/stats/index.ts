import { sql, type RawBuilder } from 'kysely';
import { COUNTY_CODES, RECORD_STATUSES, type RecordStatus } from '../../domain/codelists/index.js';
import {
	emptyFigures,
	STAT_DIMENSION_NAMES,
	STAT_DIMENSIONS,
	sumFigures,
	type BreakdownRow,
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

/** The statements of one dialect: the JSON of a record's content, and the week of a time. */
function dialectSql(dialect: DialectName) {
	const pg = dialect === 'postgres';
	return {
		/** the text of `key` of the JSON `column` ('' when absent, null or empty) */
		text: (column: RawBuilder<unknown>, key: string): RawBuilder<string> =>
			pg
				? sql<string>`coalesce(${column}::json ->> ${sql.lit(key)}, '')`
				: sql<string>`coalesce(json_extract(${column}, ${sql.lit(`$.${key}`)}), '')`,
		/** the Monday (China Standard Time) of the ISO time text `column`, as YYYY-MM-DD */
		week: (column: RawBuilder<unknown>): RawBuilder<string> =>
			pg
				? sql<string>`to_char(date_trunc('week', (${column})::timestamptz AT TIME ZONE 'Asia/Shanghai'), 'YYYY-MM-DD')`
				: sql<string>`date(${column}, '+8 hours', 'weekday 0', '-6 days')`
	};
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
	return store.read(async (tx) => {
		const db = tx.db;
		const [figures, breakdowns, weekly] = [
			await countyFigures(db, dialect, scope, every),
			await breakdownsOf(db, dialect, scope, every),
			await weeklyOf(db, dialect, scope, every)
		];
		return {
			counties: scope,
			generatedAt,
			perCounty: figures,
			total: sumFigures(figures),
			breakdowns,
			weekly
		};
	});
}

/** `AND county_code IN (…)` on `column` unless the scope is every county. */
function countyCondition(column: string, scope: readonly string[], every: boolean) {
	return every ? sql`` : sql`AND ${sql.ref(column)} IN (${sql.join(scope.map((c) => sql.lit(c)))})`;
}

async function countyFigures(db: Db, dialect: DialectName, scope: string[], every: boolean) {
	const d = dialectSql(dialect);
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
			FROM records WHERE kind = '复查' AND site_code IS NOT NULL
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
	const records = await sql<{ county_code: string; kind: string; status: string; n: unknown }>`
		SELECT county_code, kind, status, count(*) AS n FROM records
		WHERE 1 = 1 ${countyCondition('county_code', scope, every)}
		GROUP BY county_code, kind, status`.execute(db);
	for (const row of records.rows) {
		const f = byCounty.get(row.county_code);
		if (!f) continue;
		const count = n(row.n);
		f.records += count;
		if (row.kind === '复查') f.rechecks += count;
		if (row.kind === '新发现') f.newFinds += count;
		if ((RECORD_STATUSES as readonly string[]).includes(row.status))
			f.byStatus[row.status as RecordStatus] += count;
		if (row.status === 'accepted' || row.status === 'published') f.accepted += count;
	}
	const lost = await sql<{ county_code: string; n: unknown }>`
		SELECT county_code, count(*) AS n FROM records
		WHERE kind = '复查' AND ${d.text(sql.ref('content'), 'changeType')} = '消失'
		${countyCondition('county_code', scope, every)}
		GROUP BY county_code`.execute(db);
	for (const row of lost.rows) {
		const f = byCounty.get(row.county_code);
		if (f) f.lost = n(row.n);
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

async function breakdownsOf(db: Db, dialect: DialectName, scope: string[], every: boolean) {
	const pg = dialect === 'postgres';
	// each record's content is parsed once (PostgreSQL: a lateral cast OFFSET 0 keeps from
	// inlining into each use; SQLite caches a parse within a statement), kept in a materialized
	// CTE, then grouped per breakdown
	const single = ['eraGroup', 'protectionLevel', 'condition'] as const;
	const term = (key: string) =>
		pg
			? sql`coalesce(p.j ->> ${sql.lit(key)}, '')`
			: sql`coalesce(json_extract(records.content, ${sql.lit(`$.${key}`)}), '')`;
	const grouped = await sql<{ dim: string; county_code: string; term: string | null; n: unknown }>`
		WITH x AS MATERIALIZED (
			SELECT county_code, coalesce(category, '') AS category,
				${sql.join(single.map((key) => sql`${term(key)} AS ${sql.ref(key)}`))}
			FROM records ${pg ? sql`CROSS JOIN LATERAL (SELECT records.content::jsonb AS j OFFSET 0) p` : sql``}
			WHERE 1 = 1 ${countyCondition('county_code', scope, every)}
		)
		SELECT 'category' AS dim, county_code, category AS term, count(*) AS n FROM x
			GROUP BY county_code, category
		${sql.join(
			single.map(
				(key) =>
					sql`UNION ALL SELECT ${sql.lit(key)} AS dim, county_code, ${sql.ref(key)} AS term, count(*) AS n
					FROM x GROUP BY county_code, ${sql.ref(key)}`
			),
			sql` `
		)}`.execute(db);
	// threats: a record counts once under each threat it names (none named: '')
	const threats = pg
		? await sql<{ county_code: string; term: string | null; n: unknown }>`
			SELECT r.county_code, coalesce(t.term, '') AS term, count(DISTINCT r.id) AS n
			FROM records r
			LEFT JOIN LATERAL jsonb_array_elements_text(
				CASE WHEN jsonb_typeof(r.content::jsonb -> 'threats') = 'array'
					THEN r.content::jsonb -> 'threats' ELSE '[]'::jsonb END
			) AS t(term) ON true
			WHERE 1 = 1 ${countyCondition('r.county_code', scope, every)}
			GROUP BY r.county_code, coalesce(t.term, '')`.execute(db)
		: await sql<{ county_code: string; term: string | null; n: unknown }>`
			SELECT r.county_code, coalesce(t.value, '') AS term, count(DISTINCT r.id) AS n
			FROM records r
			LEFT JOIN json_each(CASE WHEN json_type(r.content, '$.threats') = 'array'
				THEN json_extract(r.content, '$.threats') ELSE '[]' END) t
			WHERE 1 = 1 ${countyCondition('r.county_code', scope, every)}
			GROUP BY r.county_code, coalesce(t.value, '')`.execute(db);
	const out = {} as Record<StatDimension, BreakdownRow[]>;
	for (const dim of STAT_DIMENSION_NAMES) {
		const groups = dim === 'threats' ? threats.rows : grouped.rows.filter((g) => g.dim === dim);
		out[dim] = breakdownRows(STAT_DIMENSIONS[dim], scope, groups);
	}
	return out;
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
	const d = dialectSql(dialect);
	const received = await sql<{ week: string; n: unknown }>`
		SELECT ${d.week(sql.ref('created_at'))} AS week, count(*) AS n FROM records
		WHERE 1 = 1 ${countyCondition('county_code', scope, every)}
		GROUP BY 1`.execute(db);
	const accepted = await sql<{ week: string; n: unknown }>`
		SELECT ${d.week(sql.ref('v.at'))} AS week, count(DISTINCT v.record_id) AS n
		FROM revisions v INNER JOIN records r ON r.id = v.record_id
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
