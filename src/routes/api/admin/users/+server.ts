import { json } from '@sveltejs/kit';
import { app } from '$lib/server/instance.js';
import { addUser, listUsers } from '$lib/server/admin.js';
import { endpoint, HttpError, readJson, requireUser } from '$lib/server/http.js';

/** Users with their devices (city reviewer). Extension of contract §3, for issue 5. */
export const GET = endpoint(async (event) => {
	const outcome = await listUsers(app().store, requireUser(event));
	if (!outcome.ok) throw new HttpError(outcome.status, outcome.error);
	return json({ users: outcome.value });
});

export const POST = endpoint(async (event) => {
	const actor = requireUser(event);
	const outcome = await addUser(app().store, actor, await readJson(event.request, 16 * 1024));
	if (!outcome.ok) throw new HttpError(outcome.status, outcome.error, outcome.issues);
	return json({ user: outcome.value }, { status: 201 });
});
