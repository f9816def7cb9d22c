import { error, fail } from '@sveltejs/kit';
import type { Actions, PageServerLoad } from './$types';
import { m } from '$lib/paraglide/messages.js';
import { app } from '$lib/server/instance.js';
import { readQueueQuery } from '$lib/server/review/queue.js';
import {
	bulkApprovable,
	bulkApprove,
	readBulkBody,
	summarize,
	type BulkRecordSummary
} from '$lib/server/review/bulk.js';
import { QUEUE_PAGE_SIZE } from '$lib/domain/sync/wire.js';

/**
 * The review queue (issue 12 point 1). A surveyor gets the layout's note instead, and no query
 * runs. Every view of it is a visit: records that arrived after the previous visit are marked.
 */
export const load: PageServerLoad = async ({ locals, url }) => {
	const user = locals.user;
	if (!user || user.role === 'surveyor') return { queue: null };
	// an empty field of the filter form (sent without script) means no filter; `/name` is the
	// form action a page rendered after a bulk approval without script was posted to
	const params = new URLSearchParams(
		[...url.searchParams].filter(([key, value]) => value !== '' && !key.startsWith('/'))
	);
	const read = readQueueQuery(user, params);
	if (!read.ok) error(read.status, m.review_queue_bad_query({ detail: read.error }));
	const { query, counties } = read;
	const store = app().store;
	// the visit, the page (its counts and rows) and the accounts side by side: each is one
	// statement or two, and on PostgreSQL each goes over a connection of its own
	const [marksSince, result, users] = await Promise.all([
		store.reviewQueue.visit(user.id, new Date().toISOString()),
		store.reviewQueue.page(counties, query, QUEUE_PAGE_SIZE),
		app().users.list()
	]);
	const surveyors = users
		.filter((u) => u.role === 'surveyor' && u.counties.some((c) => counties.includes(c)))
		.map((u) => u.username)
		.sort();
	const teams = (await store.read((tx) => tx.teams.list(counties))).map((t) => ({
		id: t.id,
		countyCode: t.countyCode,
		name: t.name
	}));
	return {
		queue: {
			query,
			counties: user.counties,
			surveyors,
			teams,
			total: result.total,
			counts: result.counts,
			page: result.page,
			pages: Math.max(1, Math.ceil(result.total / QUEUE_PAGE_SIZE)),
			rows: result.rows.map((row) => ({
				id: row.id,
				name: row.record.name?.trim() || null,
				kind: row.record.kind,
				siteCode: row.record.siteCode ?? null,
				countyCode: row.countyCode,
				category: row.record.category ?? null,
				surveyor: row.surveyor,
				team: row.team?.name ?? null,
				surveyors: row.record.surveyors ?? [],
				surveyedOn: row.record.surveyedOn ?? null,
				receivedAt: row.receivedAt,
				status: row.status,
				revision: row.revision,
				approvable: bulkApprovable(user, row),
				errors: row.errors,
				warnings: row.warnings,
				nearSite: row.nearSite,
				isNew: row.receivedAt > marksSince
			}))
		}
	};
};

/** The records a bulk form names: one `record` field per record, `<id>@<revision>`. */
function pickedRecords(form: FormData): unknown {
	return {
		records: form.getAll('record').map((value) => {
			const text = String(value);
			const at = text.lastIndexOf('@');
			return { id: text.slice(0, Math.max(0, at)), revision: Number(text.slice(at + 1)) };
		})
	};
}

/**
 * Bulk approval (issue 12 point 5) on the queue, through the same server function as the API.
 * `bulkConfirm` is the confirmation for a browser without script (with script the page lists the
 * selection itself); `bulkApprove` approves and answers each record's outcome.
 */
export const actions: Actions = {
	bulkConfirm: async ({ locals, request }) => {
		const user = locals.user;
		if (!user || user.role === 'surveyor')
			return fail(403, { bulkError: m.review_bulk_not_reviewer() });
		const read = readBulkBody(pickedRecords(await request.formData()));
		if (!read.ok) return fail(read.status, { bulkError: read.error });
		const found = await summarize(
			app().store,
			user,
			read.value.records.map((r) => r.id)
		);
		const confirm: BulkRecordSummary[] = [];
		for (const { id, revision } of read.value.records) {
			const summary = found.get(id);
			if (summary) confirm.push({ ...summary, revision });
		}
		return { confirm };
	},
	bulkApprove: async ({ locals, request }) => {
		const user = locals.user;
		if (!user || user.role === 'surveyor')
			return fail(403, { bulkError: m.review_bulk_not_reviewer() });
		const read = readBulkBody(pickedRecords(await request.formData()));
		if (!read.ok) return fail(read.status, { bulkError: read.error });
		const store = app().store;
		const outcome = await bulkApprove(store, user, read.value);
		if (!outcome.ok) return fail(outcome.status, { bulkError: outcome.error });
		const found = await summarize(
			store,
			user,
			read.value.records.map((r) => r.id)
		);
		return {
			outcomes: outcome.response.results.map((result) => ({
				...result,
				name: found.get(result.id)?.name ?? null,
				countyCode: found.get(result.id)?.countyCode ?? null
			}))
		};
	}
};
