import type { SurveyRecord } from '$lib/domain/schemas/survey-record.js';
import { m } from '$lib/paraglide/messages.js';

/**
 * The sections of the record form, in the order of the registration form. `label` is a message:
 * call it at render time, so it follows the UI language.
 */
export const STEPS = [
	{ id: 'change', label: m.step_change },
	{ id: 'basic', label: m.step_basic },
	{ id: 'location', label: m.step_location },
	{ id: 'condition', label: m.step_condition },
	{ id: 'photos', label: m.step_photos },
	{ id: 'people', label: m.step_people },
	{ id: 'review', label: m.step_review }
] as const;
export type StepId = (typeof STEPS)[number]['id'];

/** The steps a record shows: 变更情况 only for a 复查. */
export function stepsFor(record: Pick<SurveyRecord, 'kind'>): (typeof STEPS)[number][] {
	return STEPS.filter((s) => s.id !== 'change' || record.kind === '复查');
}

const FIELD_STEP: Record<string, StepId> = {
	siteCode: 'change',
	changeType: 'change',
	lostReason: 'change',
	name: 'basic',
	township: 'basic',
	village: 'basic',
	address: 'basic',
	category: 'basic',
	subcategory: 'basic',
	era: 'basic',
	eraGroup: 'basic',
	protectionLevel: 'basic',
	ownership: 'basic',
	usage: 'basic',
	usageNote: 'basic',
	industry: 'basic',
	openStatus: 'basic',
	specialLists: 'basic',
	location: 'location',
	boundary: 'location',
	areaM2: 'location',
	condition: 'condition',
	threats: 'condition',
	description: 'condition',
	photos: 'photos',
	surveyors: 'people',
	surveyedOn: 'people',
	qcNotes: 'review'
};

/** The step holding the field of a QC finding's path (e.g. `photos.2.direction` → photos). */
export function stepOfPath(path: string | undefined): StepId {
	const head = (path ?? '').split('.')[0] ?? '';
	return FIELD_STEP[head] ?? 'review';
}

/** The id of the form element for a path: `photos.2.direction` → `field-photos-2`. */
export function fieldId(path: string | undefined): string {
	const parts = (path ?? '').split('.');
	return `field-${parts[0] === 'photos' && parts[1] ? `photos-${parts[1]}` : (parts[0] ?? '')}`;
}
