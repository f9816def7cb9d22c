import { error } from '@sveltejs/kit';
import type { PageServerLoad } from './$types';
import { m } from '$lib/paraglide/messages.js';
import { app } from '$lib/server/instance.js';
import { censusStats, statsScope } from '$lib/server/stats/index.js';
import { countiesFor } from '$lib/server/auth/roles.js';

/**
 * The census statistics (issue 14 point 2) of the reviewer's counties, or of `?county=` (one of
 * them: another is refused as in the queue). A surveyor is refused (403).
 */
export const load: PageServerLoad = async ({ locals, url }) => {
	const user = locals.user;
	if (!user || user.role === 'surveyor') error(403, m.stats_forbidden());
	for (const key of url.searchParams.keys())
		if (key !== 'county') error(400, m.stats_bad_query({ key: key.slice(0, 50) }));
	const county = url.searchParams.get('county');
	const scope = statsScope(user, county);
	if (!scope.ok) error(scope.status, m.stats_bad_county({ detail: scope.error }));
	return {
		stats: await censusStats(app().store, scope.counties),
		/** the county chosen (null: all of the user's) */
		county: county || null,
		/** every county of the user, for the county links */
		userCounties: countiesFor(user.role, user.counties) as string[]
	};
};
