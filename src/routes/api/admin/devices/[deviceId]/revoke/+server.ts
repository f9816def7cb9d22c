import { json } from '@sveltejs/kit';
import type { RequestEvent } from './$types';
import { app } from '$lib/server/instance.js';
import { revokeDevice } from '$lib/server/admin.js';
import { endpoint, HttpError, requireUser } from '$lib/server/http.js';

/** Ends every login of one device (a lost tablet). Its local data stays where it is. */
export const POST = endpoint(async (event: RequestEvent) => {
	const outcome = await revokeDevice(app().store, requireUser(event), event.params.deviceId);
	if (!outcome.ok) throw new HttpError(outcome.status, outcome.error);
	return json(outcome.value);
});
