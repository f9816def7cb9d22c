import type { ReviewQueueQuery } from '$lib/domain/sync/wire.js';

/** The queue's query as text values, only those set (what its URL carries). */
export type QueueParams = Partial<Record<keyof ReviewQueueQuery, string>>;

export function queueParamsOf(query: ReviewQueueQuery): QueueParams {
	const out: QueueParams = {};
	for (const [key, value] of Object.entries(query))
		if (value !== undefined && value !== '') out[key as keyof ReviewQueueQuery] = String(value);
	return out;
}

/**
 * The search part of a queue URL: `query` with `changes` applied (undefined or '' removes a
 * parameter). A change of filter or sort goes back to page 1.
 */
export function queueSearch(query: ReviewQueueQuery, changes: QueueParams = {}): string {
	const params = { ...queueParamsOf(query) };
	if (!('page' in changes)) delete params.page;
	for (const [key, value] of Object.entries(changes)) {
		if (value === undefined || value === '') delete params[key as keyof QueueParams];
		else params[key as keyof QueueParams] = value;
	}
	const search = new URLSearchParams(params as Record<string, string>).toString();
	return search ? `?${search}` : '';
}

/** Form values as a queue URL's search part: empty fields are left out. */
export function formSearch(data: FormData): string {
	const params = new URLSearchParams();
	for (const [key, value] of data)
		if (typeof value === 'string' && value !== '') params.set(key, value);
	const search = params.toString();
	return search ? `?${search}` : '';
}
