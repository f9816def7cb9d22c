import { distanceM } from '../geometry/measure.js';
import type { RegisteredSite } from '../schemas/site.js';
import type { SurveyRecord } from '../schemas/survey-record.js';
import { FIELD_LABELS } from './describe.js';

/** The descriptive fields a 复查 compares with its registry entry, in form order. */
export const SITE_DIFF_FIELDS = [
	'name',
	'township',
	'village',
	'address',
	'category',
	'subcategory',
	'era',
	'eraGroup',
	'protectionLevel',
	'ownership',
	'usage',
	'condition',
	'openStatus',
	'threats',
	'areaM2',
	'description'
] as const;
export type SiteDiffField = (typeof SITE_DIFF_FIELDS)[number];

/** A field value with emptiness normalized: blank text and [] become null, text is trimmed. */
export type SiteValue = string | number | readonly string[] | null;

export type SiteFieldChange =
	| { field: SiteDiffField; label: string; from: SiteValue; to: SiteValue }
	| { field: 'location'; label: string; movedM: number };

function normalize(value: unknown): SiteValue {
	if (value === undefined || value === null) return null;
	if (typeof value === 'string') return value.trim() === '' ? null : value.trim();
	if (typeof value === 'number') return value;
	if (Array.isArray(value)) {
		const items = value.filter((v): v is string => typeof v === 'string' && v.trim() !== '');
		return items.length === 0 ? null : items;
	}
	return null;
}

function same(a: SiteValue, b: SiteValue): boolean {
	if (Array.isArray(a) && Array.isArray(b)) {
		// code lists: order does not matter
		const left = new Set(a);
		const right = new Set(b);
		return left.size === right.size && [...left].every((v) => right.has(v));
	}
	return a === b;
}

/**
 * What a 复查 changes against its registry entry: each descriptive field whose value differs
 * (empty values compare equal; lists as sets), then `location` when the centre point moved at all,
 * with the distance in metres.
 */
export function diffAgainstSite(record: SurveyRecord, site: RegisteredSite): SiteFieldChange[] {
	const changes: SiteFieldChange[] = [];
	for (const field of SITE_DIFF_FIELDS) {
		const from = normalize(site[field]);
		const to = normalize(record[field]);
		if (!same(from, to)) changes.push({ field, label: FIELD_LABELS[field], from, to });
	}
	const movedM = distanceM(record.location, site.location);
	if (movedM > 0) changes.push({ field: 'location', label: FIELD_LABELS.location, movedM });
	return changes;
}
