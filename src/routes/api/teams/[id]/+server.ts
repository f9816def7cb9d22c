import { json } from '@sveltejs/kit';
import type { RequestEvent } from './$types';
import { app } from '$lib/server/instance.js';
import { changeTeam, deleteTeam, readTeam, teamJson } from '$lib/server/teams.js';
import { endpoint, HttpError, readJson, requireUser } from '$lib/server/http.js';

/** The team of the path: a positive integer, or 404 as an unknown one. */
function teamId(event: RequestEvent): number {
	const id = /^[1-9]\d{0,9}$/.test(event.params.id) ? Number(event.params.id) : NaN;
	if (!Number.isSafeInteger(id)) throw new HttpError(404, '没有这个普查队');
	return id;
}

export const GET = endpoint(async (event: RequestEvent) => {
	const outcome = await readTeam(app().store, requireUser(event), teamId(event));
	if (!outcome.ok) throw new HttpError(outcome.status, outcome.error);
	return json({ team: teamJson(outcome.value) });
});

/** A new name, or the whole list of members (usernames), or both. */
export const PATCH = endpoint(async (event: RequestEvent) => {
	const actor = requireUser(event);
	const id = teamId(event);
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
	const outcome = await deleteTeam(app().store, requireUser(event), teamId(event));
	if (!outcome.ok) throw new HttpError(outcome.status, outcome.error);
	return new Response(null, { status: 204 });
});
