import { error } from '@sveltejs/kit';
import type { PageServerLoad } from './$types';
import { m } from '$lib/paraglide/messages.js';
import { app } from '$lib/server/instance.js';

/** Importing a device backup is the city's; the upload itself goes to /api/imports. */
export const load: PageServerLoad = async ({ locals }) => {
	if (locals.user?.role !== 'city_reviewer') error(403, m.review_imports_forbidden());
	const surveyors = (await app().users.list())
		.filter((u) => u.role === 'surveyor' && !u.disabled)
		.map((u) => ({ username: u.username, displayName: u.displayName }));
	return { surveyors };
};
