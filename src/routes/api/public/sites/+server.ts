import { json } from '@sveltejs/kit';
import { app } from '$lib/server/instance.js';
import { endpoint, HttpError } from '$lib/server/http.js';
import { parsePublicQuery } from '$lib/domain/registry/public-search.js';
import { searchPublic } from '$lib/server/registry/public/registry.js';

/** The public registry's search (contract §3 *Public registry*): a page of public entries. */
export const GET = endpoint(async ({ url }) => {
	const parsed = parsePublicQuery(url.searchParams);
	if (!parsed.ok) throw new HttpError(400, parsed.error);
	return json(await searchPublic(app().store, parsed.filters, parsed.page), {
		headers: { 'Cache-Control': 'no-cache' }
	});
});
