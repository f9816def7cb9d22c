import { json } from '@sveltejs/kit';
import type { RequestEvent } from './$types';
import { app } from '$lib/server/instance.js';
import { changeTeam, deleteTeam, readTeam, teamJson, teamIdOf } from '$lib/server/teams.js';
import { endpoint, HttpError, readJson, requireUser } from '$lib/server/http.js';

export const GET = endpoint(async (event: RequestEvent) => {
	const outcome = await readTeam(app().store, requireUser(event), teamIdOf(event.params.id));
	if (!outcome.ok) throw new HttpError(outcome.status, outcome.error);
	return json({ team: teamJson(outcome.value) });
});

/** A new name, or the whole list of members (usernames), or both. */
export const PATCH = endpoint(async (event: RequestEvent) => {
	const actor = requireUser(event);
	const id = teamIdOf(event.params.id);
	const outcome = await changeTeam(
		app().store,
		actor,
		id,
		await readJson(event.request, 16 * 1024)
	);
	if (!outcome.ok) throw new HttpError(outcome.status, outcome.error, outcome.issues);
	return json({ team: teamJson(outcome.value) });
});

/** Removes the team; its surveyors are in no team afterwards (their records stay theirs). */
export const DELETE = endpoint(async (event: RequestEvent) => {
	const outcome = await deleteTeam(app().store, requireUser(event), teamIdOf(event.params.id));
	if (!outcome.ok) throw new HttpError(outcome.status, outcome.error);
	return new Response(null, { status: 204 });
});
