import { error } from '@sveltejs/kit';
import type { PageServerLoad } from './$types';
import { m } from '$lib/paraglide/messages.js';
import { app } from '$lib/server/instance.js';
import { publicSiteDetail } from '$lib/server/registry/public/registry.js';

/**
 * One site of the latest published version: `publicSiteDetail` alone (publicSite output), so the
 * page, its metadata and the data serialized into it hold only what the JSON API gives.
 */
export const load: PageServerLoad = async ({ params }) => {
	const detail = await publicSiteDetail(app().store, params.code);
	if (!detail) error(404, m.public_not_found());
	return { detail };
};
