import { error } from '@sveltejs/kit';
import type { PageServerLoad } from './$types';
import { m } from '$lib/paraglide/messages.js';
import { app } from '$lib/server/instance.js';

/** Importing the registry is the city's; the calls go to /api/registry/imports and /boundaries. */
export const load: PageServerLoad = async ({ locals }) => {
	if (locals.user?.role !== 'city_reviewer') error(403, m.regimport_forbidden());
	const { imports, counties } = await app().store.read(async (tx) => ({
		imports: await tx.registryImports.list('sites', 10),
		counties: await tx.registryImports.latestCounties()
	}));
	return {
		imports: imports.map((r) => ({
			id: r.id,
			at: r.at,
			by: r.by_user,
			fileName: r.file_name,
			counts: JSON.parse(r.counts) as Record<string, number>
		})),
		counties: counties
			? { fileName: counties.file_name, at: counties.at, by: counties.by_user }
			: null
	};
};
