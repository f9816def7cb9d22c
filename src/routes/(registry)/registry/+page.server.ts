import type { PageServerLoad } from './$types';
import { app } from '$lib/server/instance.js';
import { parsePublicQuery, publicQueryString } from '$lib/domain/registry/public-search.js';
import { searchPublic } from '$lib/server/registry/public/registry.js';

/**
 * The public search page: one page of public entries (searchPublic, made of publicSite output:
 * the data SvelteKit serializes into the page holds nothing more than the JSON API gives).
 */
export const load: PageServerLoad = async ({ url }) => {
	const parsed = parsePublicQuery(url.searchParams);
	if (!parsed.ok) {
		return { error: parsed.error, filters: {}, query: '', search: null };
	}
	return {
		error: null,
		filters: parsed.filters,
		query: publicQueryString(parsed.filters),
		search: await searchPublic(app().store, parsed.filters, parsed.page)
	};
};
