import { json } from '@sveltejs/kit';
import type { RequestEvent } from './$types';
import { app } from '$lib/server/instance.js';
import { endpoint, HttpError, requireUser } from '$lib/server/http.js';
import { readRecordForReview } from '$lib/server/review/record.js';

/**
 * One record with its status, revision, QC findings and history, and what the record page
 * needs beside them (readRecordForReview); 404 outside the user's counties.
 */
export const GET = endpoint(async (event: RequestEvent) => {
	const user = requireUser(event);
	const body = await readRecordForReview(app().store, user, event.params.id);
	if (!body) throw new HttpError(404, '没有这条记录');
	return json(body);
});
