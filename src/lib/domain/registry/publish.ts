import { SITE_CODE_PATTERN, type SurveyRecord } from '../schemas/survey-record.js';
import type { RegisteredSite } from '../schemas/site.js';
import { SITE_DIFF_FIELDS } from '../qc/diff.js';

/*
 * How a registry version is composed (contract §5 *Publishing*). Pure: the server's publish
 * (server/registry/publish.ts) feeds it the records and the entries they change.
 *
 * - A version MUST hold every site of the version before it (none is ever left out), each
 *   registered site of the imported registry that version lacked, and one new site per accepted
 *   新发现.
 * - An accepted 复查 replaces its site's entry with what the record says (`siteOfRecord`): the
 *   record is what the county and the city approved.
 * - A 复查 with changeType 消失 keeps the site, marked lost with the record's lostReason.
 * - A new find gets the next code of its county (`nextCode`), after the highest code that county
 *   has in the imported registry and in every version; a code is never given twice.
 */

/** A site of a version: the fields of a registered site that are known (a new find may lack some). */
export type PublishedSiteData = Partial<RegisteredSite> &
	Pick<RegisteredSite, 'code' | 'countyCode' | 'location'>;

/** The fields a published site takes from its record, in form order, then its geometry. */
export const PUBLISHED_FIELDS = [...SITE_DIFF_FIELDS, 'location', 'boundary'] as const;

function filled(value: unknown): boolean {
	if (value === undefined || value === null) return false;
	if (typeof value === 'string') return value.trim() !== '';
	if (Array.isArray(value)) return value.length > 0;
	return true;
}

/**
 * The site an accepted record makes: its descriptive fields (those filled in; a field the record
 * leaves empty is empty in the site too, as the reviewers saw it in the 复查 comparison), its
 * centre point and, when it has one, its boundary (otherwise the entry's boundary stays). The
 * demo flag of the entry stays.
 */
export function siteOfRecord(
	record: SurveyRecord,
	code: string,
	entry?: PublishedSiteData
): PublishedSiteData {
	const site: Record<string, unknown> = {
		code,
		countyCode: entry?.countyCode ?? record.countyCode
	};
	for (const field of SITE_DIFF_FIELDS) {
		const value: unknown = record[field];
		if (filled(value)) site[field] = typeof value === 'string' ? value.trim() : value;
	}
	const { lat, lon, altitude } = record.location;
	site.location =
		altitude === undefined || altitude === null ? { lat, lon } : { lat, lon, altitude };
	const boundary = record.boundary ?? entry?.boundary;
	if (boundary) site.boundary = boundary;
	if (entry?.demo) site.demo = true;
	return site as PublishedSiteData;
}

/** Whether an accepted record marks its site lost, and why (`null` reason when not lost). */
export function lostOf(record: SurveyRecord): { lost: boolean; reason: string | null } {
	if (record.kind === '复查' && record.changeType === '消失')
		return { lost: true, reason: record.lostReason?.trim() || null };
	return { lost: false, reason: null };
}

/** The highest sequence number a code of `county` may carry: `<county>-9999`. */
export const MAX_SEQUENCE = 9999;

/**
 * The code after `highest` in `county` (`150627-0042` → `150627-0043`; `150627-0001` when the
 * county has none), or undefined when the county's four digits are used up.
 */
export function nextCode(county: string, highest: string | undefined): string | undefined {
	const last =
		highest && SITE_CODE_PATTERN.test(highest) && highest.startsWith(`${county}-`)
			? Number(highest.slice(county.length + 1))
			: 0;
	if (last >= MAX_SEQUENCE) return undefined;
	return `${county}-${String(last + 1).padStart(4, '0')}`;
}

/** A field of a version's site that two versions hold differently. */
export type SiteFieldChange = { field: string; from: unknown; to: unknown };

/** The fields two versions of a site are compared on, in form order. */
export const COMPARED_FIELDS = [
	'name',
	...SITE_DIFF_FIELDS.filter((f) => f !== 'name'),
	'location',
	'boundary',
	'lost',
	'lostReason'
] as const;

function normalized(value: unknown): unknown {
	if (!filled(value)) return null;
	if (typeof value === 'string') return value.trim();
	return value;
}

function sameValue(a: unknown, b: unknown): boolean {
	if (Array.isArray(a) && Array.isArray(b) && a.every((v) => typeof v === 'string')) {
		const left = new Set(a as string[]);
		const right = new Set(b as string[]);
		return left.size === right.size && [...left].every((v) => right.has(v));
	}
	return JSON.stringify(a) === JSON.stringify(b);
}

/**
 * Field by field, what changed between two versions of one site (`lost` and `lostReason`
 * included): empty values compare equal, lists of codes as sets, geometry exactly.
 */
export function compareSites(
	from: PublishedSiteData & { lost: boolean; lostReason: string | null },
	to: PublishedSiteData & { lost: boolean; lostReason: string | null }
): SiteFieldChange[] {
	const changes: SiteFieldChange[] = [];
	for (const field of COMPARED_FIELDS) {
		const a = normalized((from as Record<string, unknown>)[field]);
		const b = normalized((to as Record<string, unknown>)[field]);
		if (!sameValue(a, b)) changes.push({ field, from: a, to: b });
	}
	return changes;
}
