import { json } from '@sveltejs/kit';
import type { RequestEvent } from './$types';
import { app } from '$lib/server/instance.js';
import { allowQuery, endpoint, HttpError, requireUser } from '$lib/server/http.js';
import { cancelPrintJob, publicView, readPrintJob } from '$lib/server/print/service.js';

/** How far a batch print has got (its owner only; 404 for anyone else). */
export const GET = endpoint(async (event: RequestEvent) => {
	const user = requireUser(event);
	allowQuery(event.url, []);
	const outcome = readPrintJob(app().printJobs, user, event.params.id);
	if (!outcome.ok) throw new HttpError(outcome.status, outcome.error);
	return json(publicView(outcome.value));
});

/** Cancels a batch print that waits or runs (`200` with it), or removes an ended one (`204`). */
export const DELETE = endpoint(async (event: RequestEvent) => {
	const user = requireUser(event);
	allowQuery(event.url, []);
	const outcome = await cancelPrintJob(app().printJobs, user, event.params.id);
	if (!outcome.ok) throw new HttpError(outcome.status, outcome.error);
	return outcome.value ? json(outcome.value) : new Response(null, { status: 204 });
});
