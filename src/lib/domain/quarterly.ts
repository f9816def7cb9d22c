import { CATEGORIES } from './codelists/index.js';
import { CENSUS_START_DATE } from './qc/context.js';
import type { BreakdownRow } from './stats.js';

/**
 * The quarterly progress report (季度工作进展情况表, issue 14 point 3): a quarter's figures per
 * county as a bureau sends them upward. What `GET /api/review/reports/quarterly` answers, the page
 * /review/stats/quarterly shows and the XLSX holds.
 *
 * Quarters are calendar quarters in China Standard Time (UTC+8, no daylight saving): 2026Q4 runs
 * from 2026-10-01 00:00 to 2027-01-01 00:00 in Beijing. The server's times are ISO 8601 UTC text
 * (`toISOString`), so a quarter's bounds MUST be compared as that same text.
 */

/** A calendar quarter: `year` and `q` (1–4). */
export type Quarter = { year: number; q: 1 | 2 | 3 | 4 };

const KEY = /^(\d{4})Q([1-4])$/;
const CHINA_OFFSET_MS = 8 * 3_600_000;

/** `2026Q4` as a quarter; undefined for any other text. */
export function parseQuarter(text: string): Quarter | undefined {
	const match = KEY.exec(text);
	if (!match) return undefined;
	return { year: Number(match[1]), q: Number(match[2]) as Quarter['q'] };
}

/** The quarter as its key, `2026Q4`. */
export const quarterKey = (quarter: Quarter): string => `${quarter.year}Q${quarter.q}`;

/** The quarter (China Standard Time) of an instant. */
export function quarterOf(instant: Date | string): Quarter {
	const ms =
		(typeof instant === 'string' ? Date.parse(instant) : instant.getTime()) + CHINA_OFFSET_MS;
	const china = new Date(ms);
	return {
		year: china.getUTCFullYear(),
		q: (Math.floor(china.getUTCMonth() / 3) + 1) as Quarter['q']
	};
}

/** The first quarter of the census: the one it began in (2023-11-01, so 2023Q4). */
export const FIRST_QUARTER: Quarter = quarterOf(`${CENSUS_START_DATE}T00:00:00+08:00`);

/** A number that orders quarters: year × 4 + (q − 1). */
const ordinal = (quarter: Quarter) => quarter.year * 4 + quarter.q - 1;
const fromOrdinal = (n: number): Quarter => ({
	year: Math.floor(n / 4),
	q: ((n % 4) + 1) as Quarter['q']
});

/**
 * The quarter's bounds as the server's time text (UTC, `toISOString`): `start` included, `end`
 * excluded. A time `t` of the server lies in the quarter exactly when `start <= t < end` as text.
 */
export function quarterBounds(quarter: Quarter): { start: string; end: string } {
	const at = (year: number, month: number) =>
		new Date(Date.UTC(year, month, 1) - CHINA_OFFSET_MS).toISOString();
	return {
		start: at(quarter.year, (quarter.q - 1) * 3),
		end: at(quarter.year, quarter.q * 3)
	};
}

/** The quarters a report may be asked for at `now`: from the census's first to now's, newest first. */
export function reportQuarters(now: Date): Quarter[] {
	const out: Quarter[] = [];
	for (let n = ordinal(quarterOf(now)); n >= ordinal(FIRST_QUARTER); n--) out.push(fromOrdinal(n));
	return out;
}

export type QuarterCheck =
	{ ok: true; quarter: Quarter } | { ok: false; reason: 'malformed' | 'before_census' | 'future' };

/**
 * Whether `text` names a quarter a report may be made of at `now`: `YYYYQn`, not before the
 * census's first quarter and not after now's (the current quarter is allowed: its figures run up
 * to the moment of the report).
 */
export function checkQuarter(text: string, now: Date): QuarterCheck {
	const quarter = parseQuarter(text);
	if (!quarter) return { ok: false, reason: 'malformed' };
	if (ordinal(quarter) < ordinal(FIRST_QUARTER)) return { ok: false, reason: 'before_census' };
	if (ordinal(quarter) > ordinal(quarterOf(now))) return { ok: false, reason: 'future' };
	return { ok: true, quarter };
}

/** The Chinese numeral of a quarter's number (第四季度). */
export const QUARTER_NUMERALS = { 1: '一', 2: '二', 3: '三', 4: '四' } as const;

/**
 * The report's figures: the registered sites, teams and members as the database holds them at the
 * time of the report; what happened within the quarter; and what happened from the start up to
 * the quarter's end (…ToDate). Every figure counts one county, or the report's scope (the sum).
 */
export const QUARTERLY_FIGURES = [
	// now
	'sites',
	'teams',
	'members',
	// the quarter
	'rechecked',
	'newFinds',
	'lost',
	'received',
	'countyApproved',
	'cityApproved',
	'returned',
	// up to the quarter's end
	'recheckedToDate',
	'newFindsToDate',
	'lostToDate',
	'cityApprovedToDate'
] as const;
export type QuarterlyFigure = (typeof QUARTERLY_FIGURES)[number];

/**
 * The report's columns after the county, in order: each figure, and the re-check rate (复查完成率
 * = recheckedToDate / sites) right after recheckedToDate.
 */
export type QuarterlyColumn = QuarterlyFigure | 'recheckRate';

/**
 * The heading groups: `registry` (the registered sites alone: its heading spans both heading
 * rows), `force` (普查力量: teams and members now), `quarter` (本季度), `cumulative` (累计, up to
 * the quarter's end).
 */
export type QuarterlyGroup = 'registry' | 'force' | 'quarter' | 'cumulative';

export const QUARTERLY_GROUPS: readonly { group: QuarterlyGroup; columns: QuarterlyColumn[] }[] = [
	{ group: 'registry', columns: ['sites'] },
	{ group: 'force', columns: ['teams', 'members'] },
	{
		group: 'quarter',
		columns: [
			'rechecked',
			'newFinds',
			'lost',
			'received',
			'countyApproved',
			'cityApproved',
			'returned'
		]
	},
	{
		group: 'cumulative',
		columns: [
			'recheckedToDate',
			'recheckRate',
			'newFindsToDate',
			'lostToDate',
			'cityApprovedToDate'
		]
	}
];

export const QUARTERLY_COLUMNS: readonly QuarterlyColumn[] = QUARTERLY_GROUPS.flatMap(
	(g) => g.columns
);

/** The group of each column. */
export const COLUMN_GROUP = Object.fromEntries(
	QUARTERLY_GROUPS.flatMap((g) => g.columns.map((c) => [c, g.group]))
) as Record<QuarterlyColumn, QuarterlyGroup>;

/** One county's row (or the sum of the rows: county ''). */
export type QuarterlyRow = { county: string } & Record<QuarterlyFigure, number>;

/** The report (issue 14 point 3). */
export type QuarterlyReport = {
	/** `2026Q4` */
	quarter: string;
	/** the quarter's bounds, as quarterBounds gives them */
	start: string;
	end: string;
	/** the counties of the scope, in code-list order */
	counties: string[];
	/** when the figures were read (ISO 8601 UTC) */
	generatedAt: string;
	/** the quarter had not ended at generatedAt: its figures run up to then */
	partial: boolean;
	/** one row per county of `counties`, in their order */
	rows: QuarterlyRow[];
	/** the rows' sum */
	total: QuarterlyRow;
	/**
	 * Records received within the quarter by category (code-list order, then '' not filled in):
	 * per county and their sum (the 分类统计 sheet).
	 */
	categories: BreakdownRow[];
};

/** A row with every figure 0. */
export function emptyRow(county: string): QuarterlyRow {
	return {
		county,
		...(Object.fromEntries(QUARTERLY_FIGURES.map((f) => [f, 0])) as Record<QuarterlyFigure, number>)
	};
}

/** The sum of `rows` (county ''). */
export function sumRows(rows: readonly QuarterlyRow[]): QuarterlyRow {
	const total = emptyRow('');
	for (const row of rows) for (const f of QUARTERLY_FIGURES) total[f] += row[f];
	return total;
}

/** The re-check rate of a row, 0–1; null when it has no registered site. */
export function recheckRate(row: QuarterlyRow): number | null {
	return row.sites > 0 ? row.recheckedToDate / row.sites : null;
}

/** A rate as the report prints it: one decimal of a percent (`37.5%`), `—` without one. */
export function percentText(rate: number | null): string {
	return rate === null ? '—' : `${(Math.round(rate * 1000) / 10).toFixed(1)}%`;
}

/** The category rows of a report: every category, then '' (not filled in). */
export const REPORT_CATEGORIES: readonly string[] = [...CATEGORIES, ''];
