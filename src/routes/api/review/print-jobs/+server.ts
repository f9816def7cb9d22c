import { json } from '@sveltejs/kit';
import type { RequestEvent } from './$types';
import { app } from '$lib/server/instance.js';
import {
	allowQuery,
	endpoint,
	errorResponse,
	HttpError,
	readJson,
	requireUser
} from '$lib/server/http.js';
import { tokenOf } from '$lib/server/auth/session.js';
import { reviewersOnly, startPrintJob } from '$lib/server/print/service.js';

/**
 * Starts a batch print of a county's registration forms (contract §3 *Batch print*): `202` with
 * the queued job; the PDF is made in the background.
 */
export const POST = endpoint(async (event: RequestEvent) => {
	const user = requireUser(event);
	allowQuery(event.url, []);
	const refused = reviewersOnly(user);
	if (refused && !refused.ok) throw new HttpError(refused.status, refused.error);
	const body = await readJson(event.request, 16 * 1024);
	const outcome = await startPrintJob(app(), user, tokenOf(event.request, event.cookies), body);
	if (!outcome.ok) {
		const { status, error, issues, id } = outcome;
		if (id === undefined) return errorResponse(status, error, issues);
		return json({ error, id }, { status });
	}
	return json(outcome.value, {
		status: 202,
		headers: { location: `/api/review/print-jobs/${outcome.value.id}` }
	});
});
