/**
 * The record page's fields: every field of a survey record in the order of the registration form
 * (the device form's sections), with its label, its value as text, and what changed against a
 * base (the registry entry of a 复查, or the previous content revision).
 */
import { isEmpty } from '$lib/domain/schemas/common.js';
import { changedFields } from '$lib/domain/records/identity.js';
import { SITE_DIFF_FIELDS, type SiteDiffField } from '$lib/domain/qc/diff.js';
import type { RegisteredSite } from '$lib/domain/schemas/site.js';
import type { SurveyRecord } from '$lib/domain/schemas/survey-record.js';
import { LOCATION_SOURCE_LABEL } from '$lib/domain/codelists/index.js';
import { fieldLabel } from '$lib/records/comments.js';
import { STEPS, stepOfPath, type StepId } from '$lib/records/steps.js';
import { m } from '$lib/paraglide/messages.js';
import { metresBetween } from './record-geo.js';

/** The top-level fields of a record as the form asks them, section by section. */
export const FIELD_ORDER = [
	'siteCode',
	'changeType',
	'lostReason',
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
	'usageNote',
	'industry',
	'openStatus',
	'specialLists',
	'location',
	'boundary',
	'areaM2',
	'condition',
	'threats',
	'description',
	'photos',
	'surveyors',
	'surveyedOn',
	'qcNotes'
] as const satisfies readonly (keyof SurveyRecord)[];
export type RecordField = (typeof FIELD_ORDER)[number];

/** What a 复查 shares with its registry entry: the fields QC compares (SITE_DIFF_FIELDS), the point and boundary. */
type SiteField = SiteDiffField | 'location' | 'boundary';
const SITE_COMPARED = new Set<string>([...SITE_DIFF_FIELDS, 'location', 'boundary']);

/** The fields of a 复查 the registry entry also holds, compared one by one, in form order. */
export const SITE_FIELDS: readonly SiteField[] = FIELD_ORDER.filter((f): f is SiteField =>
	SITE_COMPARED.has(f)
);

const OWN_LABELS: Partial<Record<string, () => string>> = {
	siteCode: m.review_rec_f_site_code,
	specialLists: m.review_rec_f_special_lists
};

/** A field's label in the UI language (the form's own label where the form has the field). */
export function recordFieldLabel(field: string): string {
	return OWN_LABELS[field]?.() ?? fieldLabel(field);
}

/** The form section of a field. */
export function sectionOf(field: string): StepId {
	return stepOfPath(field);
}

/** The sections of the form with their fields, in order, for a record of `kind`. */
export function fieldSections(
	kind: SurveyRecord['kind']
): { id: StepId; label: () => string; fields: RecordField[] }[] {
	return STEPS.filter((s) => s.id !== 'change' || kind === '复查')
		.map((s) => ({
			id: s.id,
			label: s.label,
			fields: FIELD_ORDER.filter((f) => sectionOf(f) === s.id)
		}))
		.filter((s) => s.fields.length > 0);
}

type Location = { lat: number; lon: number };

function boundaryText(value: unknown): string {
	if (typeof value !== 'object' || value === null || !('type' in value)) return String(value);
	const geometry = value as { type: string; coordinates: unknown };
	const polygons = (
		geometry.type === 'MultiPolygon' ? geometry.coordinates : [geometry.coordinates]
	) as number[][][][];
	const vertices = polygons.reduce((sum, polygon) => sum + (polygon[0]?.length ?? 1) - 1, 0);
	return m.review_rec_boundary_text({ parts: polygons.length, vertices });
}

/** A field's value as text ('' when not filled in). */
export function fieldText(field: string, value: unknown): string {
	if (isEmpty(value)) return '';
	switch (field) {
		case 'location': {
			const l = value as Partial<SurveyRecord['location']>;
			const at = `${l.lat?.toFixed(6)}, ${l.lon?.toFixed(6)}`;
			return l.source ? `${at}（${LOCATION_SOURCE_LABEL[l.source]}）` : at;
		}
		case 'boundary':
			return boundaryText(value);
		case 'photos':
			return m.review_rec_photo_count({ count: (value as unknown[]).length });
		case 'qcNotes':
			return (value as SurveyRecord['qcNotes'] & object)
				.map((n) => `${n.rule}：${n.note}`)
				.join('\n');
		case 'areaM2':
			return `${value as number} m²`;
		default:
			if (Array.isArray(value)) return value.map(String).join('、');
			return typeof value === 'object' ? JSON.stringify(value) : String(value as string);
	}
}

/** The registry entry as the fields of a 复查 of it (for the field-by-field comparison). */
export function siteAsRecord(site: RegisteredSite): Partial<Record<RecordField, unknown>> {
	const out: Partial<Record<RecordField, unknown>> = {};
	for (const field of SITE_FIELDS) {
		if (field === 'location') out.location = { lat: site.location.lat, lon: site.location.lon };
		else out[field] = site[field];
	}
	return out;
}

/** One changed field: its value before and after, as text; a moved point says how far. */
export type FieldChange = { field: RecordField; before: string; after: string; movedM?: number };

/**
 * The fields of `record` that differ from `base` (a registry entry as `siteAsRecord`, or the
 * previous revision's content), in form order. Only `fields` are compared (the registry holds
 * fewer than a record); empty values are equal however they are written; a location is compared
 * by its point alone against the registry, by all its values against a revision.
 */
export function compareFields(
	record: SurveyRecord,
	base: Partial<Record<string, unknown>>,
	fields: readonly RecordField[] = FIELD_ORDER
): FieldChange[] {
	const pick = (source: Partial<Record<string, unknown>>, pointOnly: boolean) => {
		const out: Record<string, unknown> = {};
		for (const f of fields) {
			const value = source[f];
			if (f === 'location' && pointOnly && value && typeof value === 'object') {
				const { lat, lon } = value as Location;
				out[f] = { lat, lon };
			} else out[f] = value;
		}
		return out;
	};
	const pointOnly = !(
		base.location &&
		typeof base.location === 'object' &&
		'source' in base.location
	);
	const before = pick(base, pointOnly);
	const after = pick(record as unknown as Record<string, unknown>, pointOnly);
	const changed = new Set(changedFields(before, after));
	return fields
		.filter((f) => changed.has(f))
		.map((field) => {
			const change: FieldChange = {
				field,
				before: fieldText(field, before[field]),
				after: fieldText(field, after[field])
			};
			if (field === 'location' && before.location && after.location) {
				change.movedM = metresBetween(before.location as Location, after.location as Location);
			}
			return change;
		});
}
