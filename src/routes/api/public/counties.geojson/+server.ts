import { json } from '@sveltejs/kit';
import { app } from '$lib/server/instance.js';

/** The county boundaries in force: the bureau's last confirmed import, or the bundled ones. */
export const GET = () =>
	json(app().counties, {
		headers: { 'Cache-Control': 'no-cache', 'Content-Type': 'application/geo+json; charset=utf-8' }
	});
