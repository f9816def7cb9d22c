import {
	ANSWER_REPLIES,
	CURRENT_SCHEMA_VERSION,
	type AnswerReply,
	type ReviewAnswer,
	type SurveyRecord
} from '$lib/domain/schemas/survey-record.js';
import type { ReviewComment } from '$lib/domain/sync/wire.js';

export { ANSWER_REPLIES, type AnswerReply, type ReviewAnswer };

/*
 * The surveyor's answers to a return's comments (schemaVersion 2, `record.answers`). A comment
 * without an `id` (from a server older than issue 12) cannot be answered. Answers MUST name only
 * the comments of the return being fixed: an answer to a comment that is no longer there (a
 * second return replaced the comments) is dropped before the record is sent.
 */

/** A comment's weight; comments from before issue 12 carry none and count as 必须修改. */
export function severityOf(comment: Pick<ReviewComment, 'severity'>): '必须修改' | '建议' {
	return comment.severity ?? '必须修改';
}

/** How many comments must be fixed and how many are suggestions. */
export function commentCounts(comments: readonly ReviewComment[]): {
	must: number;
	suggest: number;
} {
	let must = 0;
	for (const c of comments) if (severityOf(c) === '必须修改') must++;
	return { must, suggest: comments.length - must };
}

/** The answers that name one of `comments` (by id); the others are dropped. */
export function currentAnswers(
	answers: readonly ReviewAnswer[] | null | undefined,
	comments: readonly ReviewComment[]
): ReviewAnswer[] {
	const ids = new Set(comments.map((c) => c.id).filter((id): id is string => !!id));
	return (answers ?? []).filter((a) => ids.has(a.commentId));
}

/** The record with only the answers to `comments`; unchanged (same object) when none is dropped. */
export function withCurrentAnswers(
	record: SurveyRecord,
	comments: readonly ReviewComment[]
): SurveyRecord {
	const answers = record.answers ?? [];
	const kept = currentAnswers(answers, comments);
	if (kept.length === answers.length) return record;
	return { ...record, answers: kept };
}

/** The answer to one comment, if any. */
export function answerOf(
	answers: readonly ReviewAnswer[] | null | undefined,
	commentId: string
): ReviewAnswer | undefined {
	return (answers ?? []).find((a) => a.commentId === commentId);
}

/**
 * The record with the answer to `commentId` set (or removed with `reply` null). Answering
 * upgrades a v1 record to the current schemaVersion, which carries answers. A 说明 without
 * text is not an answer yet: it is removed, so what is stored always passes the schema.
 */
export function answered(
	record: SurveyRecord,
	commentId: string,
	reply: AnswerReply | null,
	text = ''
): SurveyRecord {
	const others = (record.answers ?? []).filter((a) => a.commentId !== commentId);
	const trimmed = text.slice(0, 20_000);
	const valid = reply === '已修改' || (reply === '说明' && trimmed.trim() !== '');
	const answers: ReviewAnswer[] = valid
		? [...others, { commentId, reply, ...(trimmed.trim() ? { text: trimmed } : {}) }]
		: others;
	return {
		...record,
		schemaVersion: valid ? CURRENT_SCHEMA_VERSION : record.schemaVersion,
		answers
	};
}

/** The 必须修改 comments with an id that have no answer yet (the finalize step reminds of them). */
export function unansweredMust(
	comments: readonly ReviewComment[],
	answers: readonly ReviewAnswer[] | null | undefined
): ReviewComment[] {
	return comments.filter((c) => c.id && severityOf(c) === '必须修改' && !answerOf(answers, c.id));
}
