import { error } from '@sveltejs/kit';
import type { PageServerLoad } from './$types';
import { m } from '$lib/paraglide/messages.js';
import { app } from '$lib/server/instance.js';
import { readVersionSite } from '$lib/server/registry/publish.js';

/** One site of a version and where it came from (its record revision and decisions). */
export const load: PageServerLoad = async (event) => {
	const user = event.locals.user;
	if (!user || user.role === 'surveyor') error(403, m.review_registry_forbidden());
	const outcome = await readVersionSite(app().store, user, event.params.n, event.params.code);
	if (!outcome.ok)
		error(outcome.status, outcome.status === 404 ? m.review_registry_missing() : outcome.error);
	return outcome.value;
};
