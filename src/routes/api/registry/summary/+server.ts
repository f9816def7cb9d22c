import { json } from '@sveltejs/kit';
import type { RegistrySummary } from '$lib/domain/sync/wire.js';
import { app } from '$lib/server/instance.js';
import { allowQuery, endpoint, requireUser } from '$lib/server/http.js';
import { registrySummary } from '$lib/server/team-registry.js';

/** What a download of the county's registry, or of the team's assignment, would bring. */
export const GET = endpoint(async (event) => {
	const user = requireUser(event);
	allowQuery(event.url, []);
	return json((await registrySummary(app().store, user)) satisfies RegistrySummary);
});
