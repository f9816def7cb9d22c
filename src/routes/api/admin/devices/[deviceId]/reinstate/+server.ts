import { json } from '@sveltejs/kit';
import type { RequestEvent } from './$types';
import { app } from '$lib/server/instance.js';
import { reinstateDevice } from '$lib/server/admin.js';
import { endpoint, HttpError, requireUser } from '$lib/server/http.js';

/** A revoked device found again: its own account may log in on it once more. City reviewers only. */
export const POST = endpoint(async (event: RequestEvent) => {
	const outcome = await reinstateDevice(app().store, requireUser(event), event.params.deviceId);
	if (!outcome.ok) throw new HttpError(outcome.status, outcome.error);
	return json(outcome.value);
});
