/**
 * Teammates' records on the device (issue 13 point 2, device side; contract §3 *Teams*): a pull
 * that sends `team` brings a surveyor its own records and those its current teammates wrote in
 * the team's county, never those of a non-teammate, a former teammate or another county; a
 * device that joined late gets the teammates' older records through `team.records`; photo GET
 * answers as §1 says. Own county is 150621; the other is 150622.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_PASSWORD, newFind, TestServer, type County } from './harness.js';
import { offset } from '../fixtures/builders.js';
import type { PullResponse, Team } from '$lib/domain/sync/wire.js';
import type { RegisteredSite, SurveyRecord } from '$lib/domain/schemas/index.js';

const OWN: County = '150621';
const OTHER: County = '150622';
const ME = `surveyor-${OWN}`;
const MATE = `surveyor-${OWN}-2`;
const OUTSIDER = `surveyor-${OWN}-3`;
const FORMER = `surveyor-${OWN}-4`;
/** a teammate whose counties are both: its record of OTHER is not the team's */
const DUAL = `surveyor-${OWN}-5`;
const FAR = `surveyor-${OTHER}`;

let server: TestServer;
let city: string;
const tokens: Record<string, string> = {};
let team: Team;
let sites: Record<string, RegisteredSite[]>;
/** each account's record, pushed before the roster changed, and its photo */
const written: Record<string, { record: SurveyRecord; photo: string }> = {};

let n = 0;
async function write(
	username: string,
	county: County
): Promise<{ record: SurveyRecord; photo: string }> {
	const token = tokens[username]!;
	const photos = await server.uploadPhotos(token, 2);
	const record = newFind(county, offset(sites[county]![0]!.location, 900, 20 + ++n * 11), photos);
	expect(await server.pushOne(token, record)).toMatchObject({ status: 'accepted', revision: 1 });
	return { record, photo: photos[0]! };
}

async function setMembers(id: number, members: string[]) {
	const response = await server.request('PATCH', `/api/teams/${id}`, {
		token: city,
		json: { members }
	});
	expect(response.status, response.text).toBe(200);
}

type Pulled = PullResponse & { changes: { type: string; id?: string; author?: string }[] };

async function pull(token: string, query: string): Promise<Pulled> {
	const response = await server.get(`/api/sync/pull${query}`, token);
	expect(response.status, response.text).toBe(200);
	return response.json as Pulled;
}

/** Every page from `since` with `team`, as a device reads it: the changes and the last answer. */
async function pullAll(token: string, since = '', team?: string) {
	const changes: Pulled['changes'] = [];
	let cursor = since;
	let first: Pulled | undefined;
	for (;;) {
		const params = new URLSearchParams();
		if (cursor) params.set('since', cursor);
		if (team !== undefined) params.set('team', team);
		const page = await pull(token, `?${params}`);
		first ??= page;
		changes.push(...page.changes);
		cursor = page.cursor;
		if (!page.more) return { changes, cursor, first, last: page };
	}
}

const recordIds = (changes: Pulled['changes']) =>
	new Set(changes.filter((c) => c.type === 'record').map((c) => c.id));

beforeAll(async () => {
	server = await TestServer.start();
	city = await server.as('city');
	for (const [username, counties] of [
		[OUTSIDER, [OWN]],
		[FORMER, [OWN]],
		[DUAL, [OWN, OTHER]]
	] as const) {
		const created = await server.post(
			'/api/admin/users',
			{ username, role: 'surveyor', counties, password: DEMO_PASSWORD },
			city
		);
		expect(created.status, created.text).toBe(201);
	}
	tokens[ME] = await server.as(ME);
	tokens[MATE] = await server.secondSurveyor(OWN);
	for (const u of [OUTSIDER, FORMER, DUAL, FAR]) tokens[u] = await server.as(u);
	sites = { [OWN]: await server.sites(OWN), [OTHER]: await server.sites(OTHER) };
	const made = await server.post(
		'/api/teams',
		{ countyCode: OWN, name: '队友同步测试队', members: [ME, MATE, FORMER, DUAL] },
		city
	);
	expect(made.status, made.text).toBe(201);
	team = (made.json as { team: Team }).team;

	written[ME] = await write(ME, OWN);
	written[MATE] = await write(MATE, OWN);
	written[OUTSIDER] = await write(OUTSIDER, OWN);
	written[FORMER] = await write(FORMER, OWN);
	written[DUAL] = await write(DUAL, OTHER);
	written[FAR] = await write(FAR, OTHER);
	// FORMER leaves the team after writing
	await setMembers(team.id, [ME, MATE, DUAL]);
});
afterAll(async () => {
	await server?.stop();
});

describe('who sees what: surveyor × teammate / non-teammate / former teammate / other county', () => {
	it('pull with team: own and current teammates’ records of the team’s county, nothing else', async () => {
		const all = await pullAll(tokens[ME]!, '', '');
		const ids = recordIds(all.changes);
		expect(ids.has(written[ME]!.record.id)).toBe(true);
		expect(ids.has(written[MATE]!.record.id)).toBe(true);
		for (const u of [OUTSIDER, FORMER, DUAL, FAR])
			expect(ids.has(written[u]!.record.id), u).toBe(false);
		// a teammate's change names its author; the own record's does not
		const mine = all.changes.find((c) => c.id === written[ME]!.record.id)!;
		const mates = all.changes.find((c) => c.id === written[MATE]!.record.id)!;
		expect(mine.author).toBeUndefined();
		expect(mates.author).toBe(MATE);

		// the roster: the other current members, and the index of their records of the team's county
		const roster = all.first.team!;
		expect(roster).toMatchObject({ id: team.id, name: team.name, countyCode: OWN });
		expect(roster.members.map((m) => m.username).sort()).toEqual([DUAL, MATE].sort());
		expect(roster.records).toEqual([
			{ id: written[MATE]!.record.id, revision: 1, status: 'submitted', author: MATE }
		]);
		// a device that holds this token gets no index again
		const again = await pull(tokens[ME]!, `?since=${all.cursor}&team=${roster.token}`);
		expect(again.team).toMatchObject({ token: roster.token });
		expect(again.team!.records).toBeUndefined();
		expect(again.changes).toEqual([]);
	});

	it('pull without team is the own-records pull, unchanged', async () => {
		const all = await pullAll(tokens[ME]!);
		const ids = recordIds(all.changes);
		expect(ids.has(written[ME]!.record.id)).toBe(true);
		for (const u of [MATE, OUTSIDER, FORMER, DUAL, FAR])
			expect(ids.has(written[u]!.record.id), u).toBe(false);
		expect('team' in all.first).toBe(false);
	});

	it('the teammate sees mine too, the outsider and the former teammate only their own', async () => {
		const mate = await pullAll(tokens[MATE]!, '', '');
		expect(recordIds(mate.changes).has(written[ME]!.record.id)).toBe(true);
		expect(mate.first.team!.records!.map((r) => r.author).sort()).toEqual([ME]);

		for (const u of [OUTSIDER, FORMER]) {
			const own = await pullAll(tokens[u]!, '', '');
			const ids = recordIds(own.changes);
			expect([...ids].filter((id) => id !== written[u]!.record.id)).toEqual([]);
			expect(own.first.team).toBeNull();
		}
		// DUAL's pull: mine and MATE's (OWN), its own of OTHER; FAR's never
		const dual = recordIds((await pullAll(tokens[DUAL]!, '', '')).changes);
		expect([...dual].sort()).toEqual(
			[written[ME]!.record.id, written[MATE]!.record.id, written[DUAL]!.record.id].sort()
		);
	});

	it('photo GET: a record of the user’s counties is readable (§1), another county’s is 404', async () => {
		const photo = async (owner: string) =>
			(await server.request('GET', `/api/photos/${written[owner]!.photo}`, { token: tokens[ME] }))
				.status;
		expect(await photo(MATE)).toBe(200);
		// not in the pull, but a surveyor may read any record of its counties (GET /api/records/{id})
		expect(await photo(OUTSIDER)).toBe(200);
		expect(await photo(FORMER)).toBe(200);
		// another county: neither pull nor photo, whatever the team
		expect(await photo(DUAL)).toBe(404);
		expect(await photo(FAR)).toBe(404);
		expect((await server.record(written[DUAL]!.record.id, tokens[ME]!)).status).toBe(404);
	});

	it('a reviewer’s pull has no team; a bad team token is 400', async () => {
		const reviewer = await server.as(`reviewer-${OWN}`);
		const page = await pull(reviewer, '?team=');
		expect('team' in page).toBe(false);
		const bad = await server.get(`/api/sync/pull?team=${'x'.repeat(201)}`, tokens[ME]);
		expect(bad.status).toBe(400);
	});
});

describe('joining late, leaving, a deleted team', () => {
	it('a device that pulled to its cursor receives a teammate’s older record when they join', async () => {
		// my device is up to date: its cursor and its token
		const before = await pullAll(tokens[ME]!, '', '');
		const token = before.first.team!.token;
		const cursor = before.cursor;
		expect(recordIds(before.changes).has(written[OUTSIDER]!.record.id)).toBe(false);

		// OUTSIDER (whose record is older than my cursor) joins my team
		await setMembers(team.id, [ME, MATE, DUAL, OUTSIDER]);
		const after = await pull(tokens[ME]!, `?since=${cursor}&team=${token}`);
		// no change since my cursor is the outsider's record…
		expect(recordIds(after.changes).has(written[OUTSIDER]!.record.id)).toBe(false);
		// …but the roster changed: its token differs and the index lists the joiner's record
		expect(after.team!.token).not.toBe(token);
		expect(after.team!.records).toContainEqual({
			id: written[OUTSIDER]!.record.id,
			revision: 1,
			status: 'submitted',
			author: OUTSIDER
		});
		// and the joiner's next push reaches me as a change naming its author
		const { record } = written[OUTSIDER]!;
		const revised = {
			...record,
			description: `${record.description}补记。`,
			updatedAt: new Date(Date.now() + 5000).toISOString(),
			baseRevision: 1
		};
		expect(await server.pushOne(tokens[OUTSIDER]!, revised)).toMatchObject({
			status: 'accepted',
			revision: 2
		});
		const next = await pull(tokens[ME]!, `?since=${after.cursor}&team=${after.team!.token}`);
		expect(next.changes).toContainEqual(
			expect.objectContaining({ id: record.id, revision: 2, author: OUTSIDER })
		);
		expect(next.team!.records).toBeUndefined();
	});

	it('a former teammate’s changes stop; a deleted team answers team null', async () => {
		const held = await pullAll(tokens[ME]!, '', '');
		await setMembers(team.id, [ME, MATE, DUAL]);
		const { record } = written[OUTSIDER]!;
		const third = {
			...record,
			description: `${record.description}再补记。`,
			updatedAt: new Date(Date.now() + 9000).toISOString(),
			baseRevision: 2
		};
		expect(await server.pushOne(tokens[OUTSIDER]!, third)).toMatchObject({ revision: 3 });
		const after = await pull(tokens[ME]!, `?since=${held.cursor}&team=${held.first.team!.token}`);
		expect(recordIds(after.changes).has(record.id)).toBe(false);
		expect(after.team!.token).not.toBe(held.first.team!.token);
		expect(after.team!.records!.map((r) => r.author)).not.toContain(OUTSIDER);

		const removed = await server.request('DELETE', `/api/teams/${team.id}`, { token: city });
		expect(removed.status).toBe(204);
		const gone = await pull(tokens[ME]!, `?since=${after.cursor}&team=${after.team!.token}`);
		expect(gone.team).toBeNull();
		const everything = await pullAll(tokens[ME]!, '', '');
		expect([...recordIds(everything.changes)]).toEqual([written[ME]!.record.id]);
	});
});
