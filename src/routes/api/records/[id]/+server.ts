import { json } from '@sveltejs/kit';
import type { RequestEvent } from './$types';
import { app } from '$lib/server/instance.js';
import { inScope } from '$lib/server/auth/roles.js';
import { endpoint, HttpError, requireUser } from '$lib/server/http.js';

/** One record with its status, revision, QC findings and history; 404 outside the user's counties. */
export const GET = endpoint(async (event: RequestEvent) => {
	const user = requireUser(event);
	const server = app();
	// one snapshot: the row, its findings and its history are of the same revision
	const body = await server.store.read(async ({ records }) => {
		const row = await records.get(event.params.id);
		if (!row || !inScope(user, row.countyCode)) return undefined;
		return {
			record: row.record,
			status: row.status,
			revision: row.revision,
			findings: await records.findings(row.id),
			history: await records.history(row.id),
			comments: await records.returnComments(row.id)
		};
	});
	if (!body) throw new HttpError(404, '没有这条记录');
	return json(body);
});
