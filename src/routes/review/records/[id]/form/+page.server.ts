import { error } from '@sveltejs/kit';
import type { PageServerLoad } from './$types';
import { m } from '$lib/paraglide/messages.js';
import { app } from '$lib/server/instance.js';
import { readRecordForReview } from '$lib/server/review/record.js';

/**
 * The registration form (登记表) of a record, for print (issue 14 point 1): reviewers of its
 * county and the city, exact geometry. Outside the user's counties a record is missing (404),
 * as on the record page; a surveyor gets the layout's note.
 */
export const load: PageServerLoad = async ({ locals, params }) => {
	const user = locals.user;
	if (!user || user.role === 'surveyor') return { record: null };
	const found = await readRecordForReview(app().store, user, params.id);
	if (!found) error(404, m.review_not_found_body());
	return {
		record: { id: found.record.id, status: found.status, content: found.record },
		history: found.history,
		site: found.site
	};
};
