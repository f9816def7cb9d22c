import { json } from '@sveltejs/kit';
import type { RequestEvent } from './$types';
import { app } from '$lib/server/instance';
import { reinstateDevice } from '$lib/server/admin';
import { endpoint, HttpError, requireUser } from '$lib/server/http';

/** A revoked device found again: its own account may log in on it once more. City reviewers only. */
export const POST = endpoint(async (event: RequestEvent) => {
	const outcome = await reinstateDevice(app().store, requireUser(event), event.params.deviceId);
	if (!outcome.ok) throw new HttpError(outcome.status, outcome.error);
	return json(outcome.value);
});
