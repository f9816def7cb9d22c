import { json } from '@sveltejs/kit';
import { app } from '$lib/server/instance';

/** Public facts about this server (extension): whether demo accounts exist, the API version. */
export const GET = () =>
	json({ api: 1, demo: app().demo }, { headers: { 'Cache-Control': 'no-store' } });
