import { json } from '@sveltejs/kit';
import type { RequestEvent } from './$types';
import { app } from '$lib/server/instance.js';
import { allowQuery, endpoint, HttpError, readJson, requireUser } from '$lib/server/http.js';
import { cityOnly, publish } from '$lib/server/registry/publish.js';

/** Publishes every accepted record as the next registry version (city reviewers only). */
export const POST = endpoint(async (event: RequestEvent) => {
	const user = requireUser(event);
	allowQuery(event.url, []);
	const refused = cityOnly(user);
	if (refused && !refused.ok) throw new HttpError(refused.status, refused.error);
	const outcome = await publish(app().store, user, await readJson(event.request, 16 * 1024));
	if (!outcome.ok) throw new HttpError(outcome.status, outcome.error, outcome.issues);
	app().published(outcome.value.version);
	return json(outcome.value);
});
