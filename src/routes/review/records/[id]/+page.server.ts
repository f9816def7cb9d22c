import { error, fail } from '@sveltejs/kit';
import type { Actions, PageServerLoad, RequestEvent } from './$types';
import { m } from '$lib/paraglide/messages.js';
import { app } from '$lib/server/instance.js';
import type { Principal } from '$lib/server/auth/roles.js';
import { readRecordForReview } from '$lib/server/review/record.js';
import { decide } from '$lib/server/review/decision.js';
import { correct } from '$lib/server/review/correction.js';
import { correctionChanges, type CorrectionEntered } from '$lib/review/correction-form.js';
import { recordFieldLabel } from '$lib/review/record-fields.js';
import { decisionTurn, nearbyOf, queuePlace } from '$lib/server/review/record-page.js';
import {
	CorrectionBodySchema,
	DecisionBodySchema,
	type NewComment
} from '$lib/domain/sync/wire.js';

/**
 * The reviewer's record page (issue 12 point 2): the record, its findings and history, the
 * registry entry it re-checks, its neighbours, and its place in the queue the reviewer came from.
 * A record outside the user's counties is missing (404); a surveyor gets the layout's note.
 */
export const load: PageServerLoad = async ({ locals, params, url }) => {
	const user = locals.user;
	if (!user || user.role === 'surveyor') return { record: null };
	const store = app().store;
	const found = await readRecordForReview(store, user, params.id);
	if (!found) error(404, m.review_not_found_body());
	const { record, history } = found;
	const pushes = history.filter((h) => h.action === 'push');
	const contents = history.filter((h) => h.action === 'push' || h.action === 'correct');
	const [queue, nearby] = await Promise.all([
		queuePlace(store, user, url, params.id),
		nearbyOf(store, user, { id: record.id, lat: record.location.lat, lon: record.location.lon })
	]);
	return {
		record: {
			id: record.id,
			status: found.status,
			revision: found.revision,
			/** When the surveyor last sent it. */
			receivedAt: pushes.at(-1)?.at ?? record.updatedAt,
			/** The account that wrote it. */
			owner: pushes[0]?.by ?? null,
			content: record
		},
		findings: found.findings,
		history,
		site: found.site,
		/** The content revision before the current content, when there is one. */
		previous:
			found.previous && contents.length > 1
				? { revision: contents.at(-2)!.revision, content: found.previous }
				: null,
		nearby,
		queue,
		turn: decisionTurn(user.role, found.status),
		role: user.role
	};
};

/** What a decision action answers: the page shows it beside the decision form. */
export type DecisionResult = {
	action: 'approve' | 'return';
	ok: boolean;
	message: string;
	/** 409: the record changed since the page was read; a reload shows the new revision. */
	stale?: boolean;
	/** What was entered, to show again after a refusal. */
	reason?: string;
	comments?: { path: string; severity: string; message: string }[];
};

const text = (data: FormData, name: string): string => {
	const value = data.get(name);
	return typeof value === 'string' ? value : '';
};
const texts = (data: FormData, name: string): string[] =>
	data.getAll(name).map((v) => (typeof v === 'string' ? v : ''));

/** Only a reviewer reaches a decision; a surveyor or a visitor is refused before anything is read. */
function reviewer(event: RequestEvent): Principal {
	const user = event.locals.user;
	if (!user) error(401, m.review_rec_login_needed());
	if (user.role === 'surveyor') error(403, m.review_rec_surveyor_refused());
	return user;
}

async function decideFrom(
	event: RequestEvent,
	decision: 'approve' | 'return',
	comments: NewComment[] | unknown[],
	kept: Omit<DecisionResult, 'action' | 'ok' | 'message'>
) {
	const user = reviewer(event);
	const data = await event.request.clone().formData();
	const parsed = DecisionBodySchema.safeParse({
		decision,
		revision: Number(text(data, 'revision')),
		comments
	});
	if (!parsed.success) {
		const issue = parsed.error.issues[0];
		return fail(400, {
			action: decision,
			ok: false,
			message: issue?.message ?? m.review_rec_bad_form(),
			...kept
		} satisfies DecisionResult);
	}
	const outcome = await decide(app().store, user, event.params.id, parsed.data);
	if (!outcome.ok) {
		if (outcome.status === 404) error(404, m.review_not_found_body());
		if (outcome.status === 403) error(403, outcome.error);
		return fail(outcome.status, {
			action: decision,
			ok: false,
			message: outcome.error,
			stale: outcome.status === 409,
			...kept
		} satisfies DecisionResult);
	}
	return {
		action: decision,
		ok: true,
		message:
			decision === 'approve'
				? m.review_rec_approved({ revision: outcome.revision })
				: m.review_rec_returned({ revision: outcome.revision })
	} satisfies DecisionResult;
}

/** What the correction action answers: shown beside the correction form. */
export type CorrectionResult = {
	action: 'correct';
	ok: boolean;
	message: string;
	stale?: boolean;
	/** Field → what is wrong with its corrected value. */
	issues?: Record<string, string>;
	entered?: CorrectionEntered;
};

export const actions: Actions = {
	correct: async (event) => {
		const user = reviewer(event);
		const data = await event.request.formData();
		const { changes, entered } = correctionChanges(data);
		const parsed = CorrectionBodySchema.safeParse({
			revision: Number(text(data, 'revision')),
			changes,
			reason: entered.reason
		});
		if (!parsed.success) {
			const issue = parsed.error.issues[0];
			const field = String(issue?.path[1] ?? '');
			return fail(400, {
				action: 'correct',
				ok: false,
				message: field
					? `${recordFieldLabel(field)}：${issue?.message ?? ''}`
					: (issue?.message ?? m.review_rec_bad_form()),
				entered
			} satisfies CorrectionResult);
		}
		const outcome = await correct(app(), user, event.params.id, parsed.data);
		if (!outcome.ok) {
			if (outcome.status === 404) error(404, m.review_not_found_body());
			if (outcome.status === 403) error(403, outcome.error);
			const issues: Record<string, string> = {};
			for (const issue of outcome.issues ?? []) {
				const field = issue.path.split('.')[0] ?? '';
				issues[field] ??= issue.message;
			}
			return fail(outcome.status, {
				action: 'correct',
				ok: false,
				message: outcome.error,
				stale: outcome.status === 409,
				issues,
				entered
			} satisfies CorrectionResult);
		}
		return {
			action: 'correct',
			ok: true,
			message: m.review_rec_corrected({
				revision: outcome.revision,
				fields: outcome.changed.map(recordFieldLabel).join('、')
			})
		} satisfies CorrectionResult;
	},
	approve: async (event) => {
		reviewer(event);
		const data = await event.request.clone().formData();
		const reason = text(data, 'reason').trim();
		const comments = reason ? [{ message: reason, severity: '建议' }] : [];
		return decideFrom(event, 'approve', comments, { reason });
	},
	return: async (event) => {
		reviewer(event);
		const data = await event.request.clone().formData();
		const paths = texts(data, 'path');
		const severities = texts(data, 'severity');
		const messages = texts(data, 'message');
		const entered = messages.map((message, i) => ({
			path: paths[i] ?? '',
			severity: severities[i] ?? '必须修改',
			message
		}));
		// a comment row left empty is no comment; at least one must remain (decide says so)
		const comments = entered
			.filter((c) => c.message.trim() !== '')
			.map((c) => ({
				...(c.path ? { path: c.path } : {}),
				severity: c.severity,
				message: c.message
			}));
		return decideFrom(event, 'return', comments, { comments: entered });
	}
};
