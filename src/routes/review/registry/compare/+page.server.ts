import { error } from '@sveltejs/kit';
import type { PageServerLoad } from './$types';
import { m } from '$lib/paraglide/messages.js';
import { app } from '$lib/server/instance.js';
import { compareVersions, listVersions } from '$lib/server/registry/publish.js';

/** Two versions side by side: `?from=a&to=b`, by default the newest and the one before it. */
export const load: PageServerLoad = async (event) => {
	const user = event.locals.user;
	if (!user || user.role === 'surveyor') error(403, m.review_registry_forbidden());
	const store = app().store;
	const list = await listVersions(store, user);
	if (!list.ok) error(list.status, list.error);
	const versions = list.value.versions.map((v) => v.version);
	const newest = versions[0] ?? 0;
	const to = event.url.searchParams.get('to') ?? String(newest);
	const from = event.url.searchParams.get('from') ?? String(Number(to) - 1);
	if (versions.length < 2 && !event.url.searchParams.has('from'))
		return { versions, from, to, comparison: null };
	const outcome = await compareVersions(store, user, from, to);
	if (!outcome.ok)
		error(outcome.status, outcome.status === 404 ? m.review_registry_missing() : outcome.error);
	return { versions, from, to, comparison: outcome.value };
};
