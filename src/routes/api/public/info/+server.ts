import { json } from '@sveltejs/kit';
import { app } from '$lib/server/instance.js';

/** Public facts about this server (extension): whether demo accounts exist, the API version. */
export const GET = async () =>
	json({ api: 1, demo: await app().demo() }, { headers: { 'Cache-Control': 'no-store' } });
