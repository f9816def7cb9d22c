import { json } from '@sveltejs/kit';
import type { RequestEvent } from './$types';
import { app } from '$lib/server/instance.js';
import { allowQuery, endpoint, HttpError, requireUser } from '$lib/server/http.js';
import { listVersions } from '$lib/server/registry/publish.js';

/** Every published registry version, newest first (reviewers). */
export const GET = endpoint(async (event: RequestEvent) => {
	const user = requireUser(event);
	allowQuery(event.url, []);
	const outcome = await listVersions(app().store, user);
	if (!outcome.ok) throw new HttpError(outcome.status, outcome.error);
	return json(outcome.value);
});
