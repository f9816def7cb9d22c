import { json } from '@sveltejs/kit';
import { app } from '$lib/server/instance.js';
import { endpoint, HttpError, readJson, requireUser } from '$lib/server/http.js';
import { bulkApprove, readBulkBody } from '$lib/server/review/bulk.js';

/** A bulk approval's JSON: 200 records of at most 100-character ids fit well within this. */
const BULK_MAX_BYTES = 64 * 1024;

export const POST = endpoint(async (event) => {
	const user = requireUser(event);
	if (user.role === 'surveyor')
		throw new HttpError(403, `账号 ${user.username} 是调查员账号：只有审核员能通过记录`);
	const read = readBulkBody(await readJson(event.request, BULK_MAX_BYTES));
	if (!read.ok) throw new HttpError(read.status, read.error, read.issues);
	const outcome = await bulkApprove(app().store, user, read.value);
	if (!outcome.ok) throw new HttpError(outcome.status, outcome.error, outcome.issues);
	return json(outcome.response);
});
