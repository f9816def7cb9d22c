import { json } from '@sveltejs/kit';
import type { RequestEvent } from './$types';
import { app } from '$lib/server/instance.js';
import { assignSites, readTeam, teamIdOf } from '$lib/server/teams.js';
import { endpoint, HttpError, readJson, requireUser } from '$lib/server/http.js';

/** The registered sites assigned to the team, in code order. */
export const GET = endpoint(async (event: RequestEvent) => {
	const actor = requireUser(event);
	const store = app().store;
	const outcome = await readTeam(store, actor, teamIdOf(event.params.id));
	if (!outcome.ok) throw new HttpError(outcome.status, outcome.error);
	const codes = await store.read((tx) => tx.teams.siteCodes(outcome.value.id));
	return json({ sites: codes });
});

/** Assign sites (by code or whole townships) to the team, or take them off it. */
export const POST = endpoint(async (event: RequestEvent) => {
	const actor = requireUser(event);
	const id = teamIdOf(event.params.id);
	const outcome = await assignSites(
		app().store,
		actor,
		id,
		await readJson(event.request, 1024 * 1024)
	);
	if (!outcome.ok) throw new HttpError(outcome.status, outcome.error, outcome.issues);
	return json(outcome.value);
});
