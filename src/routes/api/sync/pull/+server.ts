import { json } from '@sveltejs/kit';
import { app } from '$lib/server/instance.js';
import { allowQuery, endpoint, HttpError, requireUser } from '$lib/server/http.js';
import { parseCursor } from '$lib/server/sync/cursor.js';
import type { TeamPull } from '$lib/domain/sync/wire.js';

/** At most this many changes per call (contract §3). */
const PULL_LIMIT = 500;

/**
 * What changed for me since the cursor. A surveyor gets its own records' outcomes and its
 * counties' registry; a reviewer every record and site of its counties. A surveyor's device
 * that sends `team` (the roster token it holds, or empty) also gets its teammates' records
 * (contract §3 *Teams*, issue 13): their changes, each naming its `author`, and the roster
 * `team`; when the token it sent is not the roster's now, `team.records` lists every record of
 * the teammates, so a device that joined a team late holds their older records too.
 */
export const GET = endpoint(async (event) => {
	const user = requireUser(event);
	allowQuery(event.url, ['since', 'limit', 'team']);
	const since = parseCursor(event.url.searchParams.get('since'));
	const limitParam = Number(event.url.searchParams.get('limit') ?? PULL_LIMIT);
	const limit =
		Number.isInteger(limitParam) && limitParam >= 1 && limitParam <= PULL_LIMIT
			? limitParam
			: PULL_LIMIT;
	const heldToken = event.url.searchParams.get('team');
	if (heldToken !== null && heldToken.length > 200)
		throw new HttpError(400, '参数 team 无效：请使用上次响应中 team.token 的值');
	const withTeam = heldToken !== null && user.role === 'surveyor';
	const server = app();
	// one snapshot: the feed, its end and the roster are read at one moment (DataStore.read)
	const page = await server.store.read(async ({ feed, teams }) => {
		const roster = withTeam ? await teams.roster(user.id, user.counties) : undefined;
		const authors = new Map(roster?.members.map((m) => [m.id, m.username]));
		const found = await feed.since(
			{
				id: user.id,
				counties: user.counties,
				ownRecordsOnly: user.role === 'surveyor',
				...(roster
					? { teammates: { ids: roster.members.map((m) => m.id), county: roster.countyCode } }
					: {})
			},
			since,
			limit
		);
		const cursor = found.more ? found.changes.at(-1)!.seq : Math.max(since, await feed.last());
		let team: TeamPull | null = null;
		if (roster) {
			team = {
				id: roster.id,
				name: roster.name,
				countyCode: roster.countyCode,
				token: roster.token,
				members: roster.members.map((m) => ({ username: m.username, displayName: m.displayName }))
			};
			if (heldToken !== roster.token) {
				const records = await teams.recordsOfOwners([...authors.keys()], roster.countyCode);
				team.records = records.map((r) => ({
					id: r.id,
					revision: r.revision,
					status: r.status as TeamRecordStatus,
					author: authors.get(r.ownerId)!
				}));
			}
		}
		return {
			changes: found.changes.map((c) => {
				const author = c.ownerId !== null ? authors.get(c.ownerId) : undefined;
				return author ? { ...c.payload, author } : c.payload;
			}),
			cursor: String(cursor),
			more: found.more,
			...(withTeam ? { team } : {})
		};
	});
	return json(page);
});

type TeamRecordStatus = NonNullable<TeamPull['records']>[number]['status'];
