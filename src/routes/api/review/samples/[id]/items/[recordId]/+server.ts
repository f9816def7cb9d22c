import { json } from '@sveltejs/kit';
import type { RequestEvent } from './$types';
import { app } from '$lib/server/instance.js';
import { endpoint, HttpError, readJson, requireUser } from '$lib/server/http.js';
import { cityOnly, conclude } from '$lib/server/review/samples.js';

/** The conclusion on one sampled record; a later one replaces it. */
export const POST = endpoint(async (event: RequestEvent) => {
	const user = requireUser(event);
	const refused = cityOnly(user);
	if (refused) throw new HttpError(refused.status, refused.error);
	const outcome = await conclude(
		app().store,
		user,
		event.params.id,
		event.params.recordId,
		await readJson(event.request, 16 * 1024)
	);
	if (!outcome.ok) throw new HttpError(outcome.status, outcome.error, outcome.issues);
	return json(outcome.value);
});
