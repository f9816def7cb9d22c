import { getContext, setContext } from 'svelte';
import type { ReviewComment } from '$lib/db/index.js';
import { m } from '$lib/paraglide/messages.js';

/** The field a comment path names: `photos.2.direction` → `photos`, `description` → itself. */
export function fieldOfPath(path: string | undefined): string {
	return (path ?? '').split('.')[0] ?? '';
}

/** The photo index a comment path names (`photos.2…` → 2), or null. */
export function photoOfPath(path: string | undefined): number | null {
	const [head, index] = (path ?? '').split('.');
	if (head !== 'photos' || index === undefined || !/^\d+$/.test(index)) return null;
	return Number(index);
}

/** A form label for each field a reviewer may comment on; other paths show as they are. */
const FIELD_LABELS: Record<string, () => string> = {
	changeType: m.change_title,
	lostReason: m.change_lost_reason,
	name: m.basic_name,
	township: m.basic_township,
	village: m.basic_village,
	address: m.basic_address,
	category: m.basic_category,
	subcategory: m.basic_subcategory,
	era: m.basic_era,
	eraGroup: m.basic_era_group,
	protectionLevel: m.basic_level,
	ownership: m.basic_ownership,
	usage: m.basic_usage,
	usageNote: m.basic_usage_note,
	industry: m.basic_industry,
	openStatus: m.basic_open_status,
	location: m.location_center,
	boundary: m.location_boundary,
	areaM2: m.location_area,
	condition: m.cond_condition,
	threats: m.threats,
	description: m.cond_description,
	photos: m.photo_title,
	surveyors: m.people_surveyors,
	surveyedOn: m.people_surveyed_on,
	qcNotes: m.qc_title
};

/** True when the form shows this field, so its comments sit beside it. */
export function isFormField(path: string | undefined): boolean {
	return fieldOfPath(path) in FIELD_LABELS;
}

export function fieldLabel(path: string): string {
	const photo = photoOfPath(path);
	if (photo !== null) return `${m.photo_title()} Z${String(photo + 1).padStart(3, '0')}`;
	return FIELD_LABELS[fieldOfPath(path)]?.() ?? path;
}

/**
 * The comments shown beside one form field: those whose path is the field or inside it. Photo
 * comments with an index belong to their photo (`forPhoto`), not to the photo section.
 */
export function commentsOfField(comments: readonly ReviewComment[], name: string): ReviewComment[] {
	return comments.filter(
		(c) =>
			c.path !== undefined &&
			fieldOfPath(c.path) === name &&
			!(name === 'photos' && photoOfPath(c.path) !== null)
	);
}

export function commentsOfPhoto(
	comments: readonly ReviewComment[],
	index: number
): ReviewComment[] {
	return comments.filter((c) => photoOfPath(c.path) === index);
}

/** Comments that belong to no field on the form: shown at the top of the record. */
export function generalComments(comments: readonly ReviewComment[]): ReviewComment[] {
	return comments.filter((c) => !c.path || !isFormField(c.path));
}

const KEY = Symbol('review-comments');
type Getter = () => readonly ReviewComment[];

/** The record page gives its form fields the reviewer's comments of the record it shows. */
export const provideComments = (get: Getter) => setContext(KEY, get);
export const useComments = (): Getter => getContext<Getter | undefined>(KEY) ?? (() => []);
