import type { RequestHandler } from './$types';
import { discardBody, errorResponse } from '$lib/server/http.js';

/**
 * Any other path under /api/: a JSON 404 in the contract's error shape, instead of the app's HTML
 * error page (which the API cannot render: it answered 500).
 */
export const fallback: RequestHandler = async ({ request, url }) => {
	await discardBody(request);
	return errorResponse(404, `没有这个接口：${request.method} ${url.pathname.slice(0, 200)}`);
};
