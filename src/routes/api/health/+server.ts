import { json } from '@sveltejs/kit';
import { app } from '$lib/server/instance.js';
import { endpoint } from '$lib/server/http.js';
import type { HealthResponse } from '$lib/domain/sync/wire.js';

/**
 * Liveness for a load balancer or a monitor (no login): `200 {ok, api}` once the server has
 * read its database and written to its data directory, so a stalled disk shows here too.
 */
export const GET = endpoint(async () => {
	const server = app();
	await server.probe();
	return json({ ok: true, api: 1 } satisfies HealthResponse);
});
