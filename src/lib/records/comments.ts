import { getContext, setContext } from 'svelte';
import type { ReviewComment } from '$lib/db/index.js';
import { m } from '$lib/paraglide/messages.js';
import type { AnswerReply, ReviewAnswer } from './answers.js';
import { STEPS, stepOfPath } from './steps.js';

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

const STEP_ORDER: readonly string[] = STEPS.map((s) => s.id);

/**
 * The path the record opens at for its comments: the first commented form field in the order
 * of the form (then in the reviewer's order); null when every comment is on the whole record.
 */
export function firstCommentedPath(comments: readonly ReviewComment[]): string | null {
	let best: { path: string; rank: number } | null = null;
	for (const c of comments) {
		if (!c.path || !isFormField(c.path)) continue;
		const rank = STEP_ORDER.indexOf(stepOfPath(c.path));
		if (!best || rank < best.rank) best = { path: c.path, rank };
	}
	return best?.path ?? null;
}

/** What the record page gives its form: the comments, and the answers to them. */
export type CommentContext = {
	comments: () => readonly ReviewComment[];
	answers: () => readonly ReviewAnswer[];
	/** False while the record cannot be edited (sent, in review). */
	canAnswer: () => boolean;
	answer: (commentId: string, reply: AnswerReply | null, text?: string) => void;
};

const KEY = Symbol('review-comments');
const NONE: CommentContext = {
	comments: () => [],
	answers: () => [],
	canAnswer: () => false,
	answer: () => undefined
};

/** The record page gives its form fields the reviewer's comments of the record it shows. */
export const provideComments = (context: CommentContext) => setContext(KEY, context);
export const useCommentContext = (): CommentContext =>
	getContext<CommentContext | undefined>(KEY) ?? NONE;
/** The comments of the record on the page (none outside a record page). */
export const useComments = (): (() => readonly ReviewComment[]) => useCommentContext().comments;
