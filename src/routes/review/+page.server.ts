import { error } from '@sveltejs/kit';
import type { PageServerLoad } from './$types';
import { m } from '$lib/paraglide/messages.js';
import { app } from '$lib/server/instance.js';
import { readQueueQuery } from '$lib/server/review/queue.js';
import { QUEUE_PAGE_SIZE } from '$lib/domain/sync/wire.js';

/**
 * The review queue (issue 12 point 1). A surveyor gets the layout's note instead, and no query
 * runs. Every view of it is a visit: records that arrived after the previous visit are marked.
 */
export const load: PageServerLoad = async ({ locals, url }) => {
	const user = locals.user;
	if (!user || user.role === 'surveyor') return { queue: null };
	// an empty field of the filter form (sent without script) means no filter
	const params = new URLSearchParams([...url.searchParams].filter(([, value]) => value !== ''));
	const read = readQueueQuery(user, params);
	if (!read.ok) error(read.status, m.review_queue_bad_query({ detail: read.error }));
	const { query, counties } = read;
	const store = app().store;
	const marksSince = await store.write((tx) =>
		tx.reviewQueue.visit(user.id, new Date().toISOString())
	);
	const result = await store.read((tx) => tx.reviewQueue.page(counties, query, QUEUE_PAGE_SIZE));
	const surveyors = (await app().users.list())
		.filter((u) => u.role === 'surveyor' && u.counties.some((c) => counties.includes(c)))
		.map((u) => u.username)
		.sort();
	return {
		queue: {
			query,
			counties: user.counties,
			surveyors,
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
				surveyors: row.record.surveyors ?? [],
				surveyedOn: row.record.surveyedOn ?? null,
				receivedAt: row.receivedAt,
				status: row.status,
				errors: row.errors,
				warnings: row.warnings,
				nearSite: row.nearSite,
				isNew: row.receivedAt > marksSince
			}))
		}
	};
};
