import type { RequestHandler } from './$types';
import { app } from '$lib/server/instance.js';
import { publicIndex } from '$lib/server/registry/public/registry.js';

const escape = (s: string) =>
	s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

/**
 * The public registry's pages for search engines: their addresses alone, no coordinates or
 * other content (contract §5). 50,000 addresses at most, as the sitemap protocol allows.
 */
export const GET: RequestHandler = async ({ url }) => {
	const index = await publicIndex(app().store);
	const base = url.origin;
	const lines = [`<url><loc>${escape(`${base}/registry`)}</loc></url>`];
	for (const entry of index.entries.slice(0, 49_999)) {
		lines.push(
			`<url><loc>${escape(`${base}/registry/${encodeURIComponent(entry.code)}`)}</loc></url>`
		);
	}
	const body = `<?xml version="1.0" encoding="UTF-8"?>\n<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n${lines.join('\n')}\n</urlset>\n`;
	return new Response(body, {
		headers: { 'Content-Type': 'application/xml; charset=utf-8', 'Cache-Control': 'no-cache' }
	});
};
