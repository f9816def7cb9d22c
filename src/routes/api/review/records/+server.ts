import { json } from '@sveltejs/kit';
import { app } from '$lib/server/instance.js';
import { allowQuery, endpoint, HttpError, requireUser } from '$lib/server/http.js';
import { readQueueQuery } from '$lib/server/review/queue.js';
import { QUEUE_PAGE_SIZE, QUEUE_PARAMS, type ReviewQueueResponse } from '$lib/domain/sync/wire.js';

export const GET = endpoint(async (event) => {
	const user = requireUser(event);
	allowQuery(event.url, QUEUE_PARAMS);
	const read = readQueueQuery(user, event.url.searchParams);
	if (!read.ok) throw new HttpError(read.status, read.error);
	const { query, counties } = read;
	// without `page` or `limit` the whole list comes in one answer, as before the filters
	const paged = query.page !== undefined || query.limit !== undefined;
	const result = await app().store.read((tx) =>
		tx.reviewQueue.page(counties, query, paged ? (query.limit ?? QUEUE_PAGE_SIZE) : null)
	);
	const body: ReviewQueueResponse = {
		records: result.rows.map((row) => ({
			...row.record,
			status: row.status,
			revision: row.revision,
			receivedAt: row.receivedAt,
			qc: { errors: row.errors, warnings: row.warnings },
			nearSite: row.nearSite,
			surveyor: row.surveyor
		})),
		total: result.total,
		counts: result.counts,
		page: result.page,
		pageSize: result.pageSize
	};
	return json(body);
});
