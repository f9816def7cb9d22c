import { json } from '@sveltejs/kit';
import type { RequestEvent } from './$types';
import { app } from '$lib/server/instance.js';
import { allowQuery, endpoint, HttpError, readJson, requireUser } from '$lib/server/http.js';
import { cityOnly, draw, listSamples } from '$lib/server/review/samples.js';

/** Every spot check, newest first (city reviewers only). */
export const GET = endpoint(async (event: RequestEvent) => {
	const user = requireUser(event);
	allowQuery(event.url, []);
	const outcome = await listSamples(app().store, user);
	if (!outcome.ok) throw new HttpError(outcome.status, outcome.error, outcome.issues);
	return json(outcome.value);
});

/** Draws a spot check: `201` with the draw, its records and the results per county. */
export const POST = endpoint(async (event: RequestEvent) => {
	const user = requireUser(event);
	const refused = cityOnly(user);
	if (refused) throw new HttpError(refused.status, refused.error);
	const outcome = await draw(app().store, user, await readJson(event.request, 64 * 1024));
	if (!outcome.ok) throw new HttpError(outcome.status, outcome.error, outcome.issues);
	return json(outcome.value, { status: 201 });
});
