import { json } from '@sveltejs/kit';
import type { RequestEvent } from './$types';
import { app } from '$lib/server/instance.js';
import { allowQuery, endpoint, HttpError, requireUser } from '$lib/server/http.js';
import { readVersion } from '$lib/server/registry/publish.js';

/** One version and a page of its sites (exact geometry), of the reviewer's counties. */
export const GET = endpoint(async (event: RequestEvent) => {
	const user = requireUser(event);
	allowQuery(event.url, ['county', 'after', 'limit']);
	const outcome = await readVersion(app().store, user, event.params.n, event.url.searchParams);
	if (!outcome.ok) throw new HttpError(outcome.status, outcome.error, outcome.issues);
	return json(outcome.value);
});
