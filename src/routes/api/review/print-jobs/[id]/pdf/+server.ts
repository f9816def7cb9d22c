import type { RequestEvent } from './$types';
import { app } from '$lib/server/instance.js';
import { allowQuery, endpoint, HttpError, requireUser } from '$lib/server/http.js';
import { pdfResponse } from '$lib/server/print/service.js';

/** The PDF of a finished batch print, to the user who started it (404 for anyone else). */
export const GET = endpoint(async (event: RequestEvent) => {
	const user = requireUser(event);
	allowQuery(event.url, []);
	const outcome = await pdfResponse(app().printJobs, user, event.params.id);
	if (!outcome.ok) throw new HttpError(outcome.status, outcome.error);
	return outcome.value;
});
