import type { RequestHandler } from './$types';

/** Search engines may read the public registry; the sitemap lists its pages. */
export const GET: RequestHandler = ({ url }) =>
	new Response(
		`User-agent: *\nAllow: /registry\nDisallow: /review\nDisallow: /api/\nSitemap: ${url.origin}/sitemap.xml\n`,
		{ headers: { 'Content-Type': 'text/plain; charset=utf-8' } }
	);
