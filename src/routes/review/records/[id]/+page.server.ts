import { error } from '@sveltejs/kit';
import type { PageServerLoad } from './$types';
import { m } from '$lib/paraglide/messages.js';
import { app } from '$lib/server/instance.js';
import { inScope } from '$lib/server/auth/roles.js';

/** A read-only preview of one record (the record page of issue 12 comes in another step). */
export const load: PageServerLoad = async ({ locals, params }) => {
	const user = locals.user;
	if (!user || user.role === 'surveyor') return { record: null };
	const found = await app().store.read(async ({ records }) => {
		const row = await records.get(params.id);
		if (!row || !inScope(user, row.countyCode)) return undefined;
		return { row, findings: await records.findings(row.id) };
	});
	if (!found) error(404, m.review_not_found_body());
	const { row, findings } = found;
	return {
		record: {
			id: row.id,
			status: row.status,
			revision: row.revision,
			receivedAt: row.updatedAt,
			content: row.record
		},
		findings
	};
};
