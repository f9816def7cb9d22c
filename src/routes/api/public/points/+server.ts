import { json } from '@sveltejs/kit';
import { app } from '$lib/server/instance.js';
import { endpoint, HttpError } from '$lib/server/http.js';
import { parsePublicQuery } from '$lib/domain/registry/public-search.js';
import { publicPoints } from '$lib/server/registry/public/registry.js';

/**
 * The public map layer (contract §3 *Public registry*): every matching site's public point
 * (generalized for a protected site) and the frame the map may take (`maxZoom` 14 when it holds
 * a generalized point). `page` is ignored: the map shows every result.
 */
export const GET = endpoint(async ({ url }) => {
	const parsed = parsePublicQuery(url.searchParams);
	if (!parsed.ok) throw new HttpError(400, parsed.error);
	return json(await publicPoints(app().store, parsed.filters), {
		headers: { 'Cache-Control': 'no-cache' }
	});
});
