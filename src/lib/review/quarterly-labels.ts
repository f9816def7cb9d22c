/**
 * The words of the quarterly report (issue 14 point 3), for the page in the reader's language and
 * for the XLSX, which is always Chinese (the form a bureau sends upward): one set of messages.
 */
import { m } from '$lib/paraglide/messages.js';
import { getLocale, type Locale } from '$lib/paraglide/runtime.js';
import { COUNTY_CODES, countyName } from '$lib/domain/codelists/index.js';
import { chinaDate } from '$lib/domain/records/drafts.js';
import { chinaDateTime } from './format.js';
import {
	parseQuarter,
	QUARTER_NUMERALS,
	type Quarter,
	type QuarterlyColumn,
	type QuarterlyGroup,
	type QuarterlyReport
} from '$lib/domain/quarterly.js';

type Words = (inputs?: Record<string, never>, options?: { locale?: Locale }) => string;

const HEADINGS: Record<QuarterlyColumn, Words> = {
	sites: m.quarter_col_sites,
	teams: m.quarter_col_teams,
	members: m.quarter_col_members,
	rechecked: m.quarter_col_rechecked,
	newFinds: m.quarter_col_new_finds,
	lost: m.quarter_col_lost,
	received: m.quarter_col_received,
	countyApproved: m.quarter_col_county_approved,
	cityApproved: m.quarter_col_city_approved,
	returned: m.quarter_col_returned,
	recheckedToDate: m.quarter_col_rechecked,
	recheckRate: m.quarter_col_recheck_rate,
	newFindsToDate: m.quarter_col_new_finds,
	lostToDate: m.quarter_col_lost,
	cityApprovedToDate: m.quarter_col_city_approved
};

const DEFINITIONS: Record<QuarterlyColumn, Words> = {
	sites: m.quarter_def_sites,
	teams: m.quarter_def_teams,
	members: m.quarter_def_members,
	rechecked: m.quarter_def_rechecked,
	newFinds: m.quarter_def_new_finds,
	lost: m.quarter_def_lost,
	received: m.quarter_def_received,
	countyApproved: m.quarter_def_county_approved,
	cityApproved: m.quarter_def_city_approved,
	returned: m.quarter_def_returned,
	recheckedToDate: m.quarter_def_rechecked_to_date,
	recheckRate: m.quarter_def_recheck_rate,
	newFindsToDate: m.quarter_def_new_finds_to_date,
	lostToDate: m.quarter_def_lost_to_date,
	cityApprovedToDate: m.quarter_def_city_approved_to_date
};

/** The groups' headings (`registry` has none of its own: its one column spans both rows). */
const GROUPS: Record<QuarterlyGroup, Words> = {
	registry: m.quarter_col_sites,
	force: m.quarter_group_force,
	quarter: m.quarter_group_quarter,
	cumulative: m.quarter_group_cumulative
};

const options = (locale: Locale | undefined) => (locale ? { locale } : {});

/** A column's heading under its group (the two 复查文物 columns differ by their group). */
export const columnHeading = (column: QuarterlyColumn, locale?: Locale): string =>
	HEADINGS[column]({}, options(locale));

/** What a column counts (the 说明 sheet and the page's notes). */
export const columnDefinition = (column: QuarterlyColumn, locale?: Locale): string =>
	DEFINITIONS[column]({}, options(locale));

export const groupHeading = (group: QuarterlyGroup, locale?: Locale): string =>
	GROUPS[group]({}, options(locale));

/** `2026年第四季度` / `Q4 2026`; a text that is no quarter as it is. */
export function quarterName(quarter: Quarter | string, locale?: Locale): string {
	const q = typeof quarter === 'string' ? parseQuarter(quarter) : quarter;
	if (!q) return String(quarter);
	return m.quarter_name({ year: q.year, cn: QUARTER_NUMERALS[q.q], n: q.q }, options(locale));
}

/** A day as the report prints it: `2026年12月8日` (zh) or `2026-12-08`. */
export function reportDay(day: string, locale?: Locale): string {
	const [y, mo, d] = day.split('-');
	if ((locale ?? getLocale()) === 'en' || !y || !mo || !d) return day;
	return `${y}年${Number(mo)}月${Number(d)}日`;
}

/** The reporting unit: the city bureau for all nine counties, else the counties' names. */
export function reportingUnit(counties: readonly string[], locale?: Locale): string {
	return COUNTY_CODES.every((c) => counties.includes(c))
		? m.quarter_unit_city({}, options(locale))
		: counties.map(countyName).join('、');
}

/** 鄂尔多斯市第四次全国文物普查工作进展情况表（2026年第四季度） */
export const reportTitle = (quarter: string, locale?: Locale): string =>
	m.quarter_report_title({ quarter: quarterName(quarter, locale) }, options(locale));

/** The quarter's first and last day (China Standard Time), `YYYY-MM-DD`. */
export function quarterDays(report: Pick<QuarterlyReport, 'start' | 'end'>): {
	first: string;
	last: string;
} {
	return { first: chinaDate(report.start), last: chinaDate(new Date(Date.parse(report.end) - 1)) };
}

/** 统计期：2026-10-01 至 2026-12-31（北京时间）, and how far a quarter not yet ended runs. */
export function periodText(
	report: Pick<QuarterlyReport, 'start' | 'end' | 'partial' | 'generatedAt'>,
	locale?: Locale
): string {
	const { first, last } = quarterDays(report);
	const period = m.quarter_period({ start: first, end: last }, options(locale));
	if (!report.partial) return period;
	const partial = m.quarter_partial({ at: chinaDateTime(report.generatedAt) }, options(locale));
	return `${period}${(locale ?? getLocale()) === 'en' ? ' ' : '\u3000'}${partial}`;
}
