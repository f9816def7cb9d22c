import { json } from '@sveltejs/kit';
import { app } from '$lib/server/instance.js';
import { allowQuery, endpoint, requireUser } from '$lib/server/http.js';
import { parseCursor } from '$lib/server/sync/cursor.js';

/** At most this many changes per call (contract §3). */
const PULL_LIMIT = 500;

/**
 * What changed for me since the cursor. A surveyor gets its own records' outcomes and its
 * counties' registry; a reviewer every record and site of its counties.
 */
export const GET = endpoint(async (event) => {
	const user = requireUser(event);
	allowQuery(event.url, ['since', 'limit']);
	const since = parseCursor(event.url.searchParams.get('since'));
	const limitParam = Number(event.url.searchParams.get('limit') ?? PULL_LIMIT);
	const limit =
		Number.isInteger(limitParam) && limitParam >= 1 && limitParam <= PULL_LIMIT
			? limitParam
			: PULL_LIMIT;
	const server = app();
	// one snapshot: the feed and its end are read at one moment (DataStore.read)
	const page = await server.store.read(async ({ feed }) => {
		const found = await feed.since(
			{ id: user.id, counties: user.counties, ownRecordsOnly: user.role === 'surveyor' },
			since,
			limit
		);
		const cursor = found.more ? found.changes.at(-1)!.seq : Math.max(since, await feed.last());
		return {
			changes: found.changes.map((c) => c.payload),
			cursor: String(cursor),
			more: found.more
		};
	});
	return json(page);
});
