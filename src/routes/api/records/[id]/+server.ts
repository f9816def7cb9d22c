import { json } from '@sveltejs/kit';
import type { RequestEvent } from './$types';
import { app } from '$lib/server/instance';
import { inScope } from '$lib/server/auth/roles';
import { endpoint, HttpError, requireUser } from '$lib/server/http';

/** One record with its status, revision, QC findings and history; 404 outside the user's counties. */
export const GET = endpoint((event: RequestEvent) => {
	const user = requireUser(event);
	const server = app();
	const row = server.records.get(event.params.id);
	if (!row || !inScope(user, row.countyCode)) throw new HttpError(404, '没有这条记录');
	return json({
		record: row.record,
		status: row.status,
		revision: row.revision,
		findings: server.records.findings(row.id),
		history: server.records.history(row.id),
		comments: server.records.returnComments(row.id)
	});
});
