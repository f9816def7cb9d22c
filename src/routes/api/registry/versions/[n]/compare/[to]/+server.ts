import { json } from '@sveltejs/kit';
import type { RequestEvent } from './$types';
import { app } from '$lib/server/instance.js';
import { allowQuery, endpoint, HttpError, requireUser } from '$lib/server/http.js';
import { compareVersions } from '$lib/server/registry/publish.js';

/** What version `to` holds differently from version `n`: sites added, lost and changed. */
export const GET = endpoint(async (event: RequestEvent) => {
	const user = requireUser(event);
	allowQuery(event.url, []);
	const outcome = await compareVersions(app().store, user, event.params.n, event.params.to);
	if (!outcome.ok) throw new HttpError(outcome.status, outcome.error, outcome.issues);
	return json(outcome.value);
});
