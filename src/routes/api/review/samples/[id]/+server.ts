import { json } from '@sveltejs/kit';
import type { RequestEvent } from './$types';
import { app } from '$lib/server/instance.js';
import { allowQuery, endpoint, HttpError, requireUser } from '$lib/server/http.js';
import { readSample } from '$lib/server/review/samples.js';

/** One spot check: the draw, its records and the results per county. */
export const GET = endpoint(async (event: RequestEvent) => {
	const user = requireUser(event);
	allowQuery(event.url, []);
	const outcome = await readSample(app().store, user, event.params.id);
	if (!outcome.ok) throw new HttpError(outcome.status, outcome.error, outcome.issues);
	return json(outcome.value);
});
