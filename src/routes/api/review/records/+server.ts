import { app } from '$lib/server/instance.js';
import { allowQuery, endpoint, HttpError, requireUser } from '$lib/server/http.js';
import { readQueueQuery } from '$lib/server/review/queue.js';
import type { QueueRow } from '$lib/server/db/review-queue.js';
import {
	QUEUE_PAGE_SIZE,
	QUEUE_PARAMS,
	type ReviewQueueEntry,
	type ReviewQueueResponse
} from '$lib/domain/sync/wire.js';

/** What the queue adds to each record's own fields. */
type Added = Pick<
	ReviewQueueEntry,
	'status' | 'revision' | 'receivedAt' | 'qc' | 'nearSite' | 'surveyor' | 'team'
>;

/**
 * One entry as JSON: the record's own fields, then what the queue adds (`{...record, ...added}`).
 * The stored content is JSON.stringify of a SurveyRecord, a strict object without any of the
 * added keys, so the entry is its text with the added fields appended: the same text as parsing
 * and serializing it again, without the cost of that for every record of the page.
 */
function entryJson(row: QueueRow): string {
	const added: Added = {
		status: row.status,
		revision: row.revision,
		receivedAt: row.receivedAt,
		qc: { errors: row.errors, warnings: row.warnings },
		nearSite: row.nearSite,
		surveyor: row.surveyor,
		team: row.team
	};
	const content = row.content;
	if (content.length > 2 && content.startsWith('{') && content.endsWith('}'))
		return `${content.slice(0, -1)},${JSON.stringify(added).slice(1)}`;
	const entry: ReviewQueueEntry = { ...row.record, ...added };
	return JSON.stringify(entry);
}

export const GET = endpoint(async (event) => {
	const user = requireUser(event);
	allowQuery(event.url, QUEUE_PARAMS);
	const read = readQueueQuery(user, event.url.searchParams);
	if (!read.ok) throw new HttpError(read.status, read.error);
	const { query, counties } = read;
	// without `page` or `limit` the whole list comes in one answer, as before the filters
	const paged = query.page !== undefined || query.limit !== undefined;
	// outside a transaction: the counts and the page are read side by side (ReviewQueueRepository)
	const result = await app().store.reviewQueue.page(
		counties,
		query,
		paged ? (query.limit ?? QUEUE_PAGE_SIZE) : null
	);
	const rest: Omit<ReviewQueueResponse, 'records'> = {
		total: result.total,
		counts: result.counts,
		page: result.page,
		pageSize: result.pageSize
	};
	// ReviewQueueResponse as json() would write it: {records, total, counts, page, pageSize}
	const body = `{"records":[${result.rows.map(entryJson).join(',')}],${JSON.stringify(rest).slice(1)}`;
	return new Response(body, {
		headers: {
			'content-type': 'application/json',
			'content-length': String(Buffer.byteLength(body))
		}
	});
});
