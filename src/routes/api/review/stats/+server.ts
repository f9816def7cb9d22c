import { json } from '@sveltejs/kit';
import type { CensusStats } from '$lib/domain/stats.js';
import { app } from '$lib/server/instance.js';
import { allowQuery, endpoint, HttpError, requireUser } from '$lib/server/http.js';
import { censusStats, statsScope } from '$lib/server/stats/index.js';

/** The census statistics of the reviewer's counties, or of `?county=` (contract §3 statistics). */
export const GET = endpoint(async (event) => {
	const user = requireUser(event);
	allowQuery(event.url, ['county']);
	const scope = statsScope(user, event.url.searchParams.get('county'));
	if (!scope.ok) throw new HttpError(scope.status, scope.error);
	return json((await censusStats(app().store, scope.counties)) satisfies CensusStats);
});
