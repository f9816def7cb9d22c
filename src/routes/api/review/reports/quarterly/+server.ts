import { json } from '@sveltejs/kit';
import type { QuarterlyReport } from '$lib/domain/quarterly.js';
import { app } from '$lib/server/instance.js';
import { allowQuery, endpoint, HttpError, requireUser } from '$lib/server/http.js';
import { quarterlyFor } from '$lib/server/stats/quarterly-request.js';

/** The quarterly progress report (contract §3 *Quarterly report*) as JSON. */
export const GET = endpoint(async (event) => {
	const user = requireUser(event);
	allowQuery(event.url, ['quarter', 'county']);
	const outcome = await quarterlyFor(app().store, user, event.url.searchParams);
	if (!outcome.ok) throw new HttpError(outcome.status, outcome.error);
	return json(outcome.report satisfies QuarterlyReport);
});
