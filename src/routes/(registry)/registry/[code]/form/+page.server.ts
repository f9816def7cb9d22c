import { error } from '@sveltejs/kit';
import type { PageServerLoad } from './$types';
import { m } from '$lib/paraglide/messages.js';
import { app } from '$lib/server/instance.js';
import { publicSiteDetail } from '$lib/server/registry/public/registry.js';

/**
 * The public registration form (登记表, issue 14 point 1) of a site of the latest published
 * version: made of `publicSiteDetail` alone, as the site page, so it holds nothing the public JSON
 * does not (a protected site's point generalized, no boundary, address or description).
 */
export const load: PageServerLoad = async ({ params }) => {
	const detail = await publicSiteDetail(app().store, params.code);
	if (!detail) error(404, m.public_not_found());
	return { detail };
};
