import { json } from '@sveltejs/kit';
import type { RequestEvent } from './$types';
import { app } from '$lib/server/instance.js';
import { changeUser } from '$lib/server/admin.js';
import { endpoint, HttpError, readJson, requireUser } from '$lib/server/http.js';

/** Change role, counties, name, disabled or password (city reviewer). */
export const PATCH = endpoint(async (event: RequestEvent) => {
	const actor = requireUser(event);
	const outcome = await changeUser(
		app().store,
		actor,
		event.params.username,
		await readJson(event.request, 16 * 1024)
	);
	if (!outcome.ok) throw new HttpError(outcome.status, outcome.error, outcome.issues);
	return json({ user: outcome.value });
});
