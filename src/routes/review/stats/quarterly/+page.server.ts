import { error } from '@sveltejs/kit';
import type { PageServerLoad } from './$types';
import { m } from '$lib/paraglide/messages.js';
import { quarterKey, reportQuarters } from '$lib/domain/quarterly.js';
import { app } from '$lib/server/instance.js';
import { countiesFor } from '$lib/server/auth/roles.js';
import { statsScope } from '$lib/server/stats/index.js';
import { quarterlyReport, quarterParam } from '$lib/server/stats/quarterly.js';

/**
 * The quarterly progress report (issue 14 point 3) of `?quarter=` (the current one without it)
 * for the reviewer's counties, or `?county=` (one of them). A surveyor is refused (403).
 */
export const load: PageServerLoad = async ({ locals, url }) => {
	const user = locals.user;
	if (!user || user.role === 'surveyor') error(403, m.quarter_forbidden());
	for (const key of url.searchParams.keys())
		if (key !== 'county' && key !== 'quarter')
			error(400, m.quarter_bad_query({ key: key.slice(0, 50) }));
	const county = url.searchParams.get('county');
	const scope = statsScope(user, county);
	if (!scope.ok) error(scope.status, m.quarter_bad_county({ detail: scope.error }));
	const now = new Date();
	const quarter = quarterParam(url.searchParams.get('quarter'), now);
	if (!quarter.ok) error(400, m.quarter_bad_quarter({ detail: quarter.error }));
	return {
		report: await quarterlyReport(app().store, scope.counties, quarter.quarter, now),
		/** the quarters to choose from, newest first */
		quarters: reportQuarters(now).map(quarterKey),
		/** the county chosen (null: all of the user's) */
		county: county || null,
		/** every county of the user, for the county choice */
		userCounties: countiesFor(user.role, user.counties) as string[]
	};
};
