import { json } from '@sveltejs/kit';
import type { RequestEvent } from './$types';
import { app } from '$lib/server/instance.js';
import { endpoint, HttpError } from '$lib/server/http.js';
import { publicSiteDetail } from '$lib/server/registry/public/registry.js';

/** One site of the latest published version, as the public may see it (contract §5). */
export const GET = endpoint(async ({ params }: RequestEvent) => {
	const detail = await publicSiteDetail(app().store, params.code);
	if (!detail) throw new HttpError(404, `最新公布的名录中没有编号为 ${params.code} 的文物点`);
	return json(detail, { headers: { 'Cache-Control': 'no-cache' } });
});
