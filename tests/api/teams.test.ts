/**
 * Survey teams (issue 13 point 2, contract §3 *Teams*) and the review queue's `team` filter
 * (issue 12 point 1), against a real server: who may do what (roles × own county / other county ×
 * every team action), what a bad body gets, that every refusal changes nothing, and which
 * records the filter keeps. Own county is 150621 (surveyor-150621, reviewer-150621); the other is
 * 150622. The city reviewer has every county.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newFind, TestServer, type ApiResponse } from './harness.js';
import { offset } from '../fixtures/builders.js';
import type { Team } from '$lib/domain/sync/wire.js';

const OWN = '150621';
const OTHER = '150622';

let server: TestServer;
let city: string;
let reviewer: string;
let surveyor: string;

beforeAll(async () => {
	server = await TestServer.start();
	city = await server.as('city');
	reviewer = await server.as(`reviewer-${OWN}`);
	surveyor = await server.as(`surveyor-${OWN}`);
	// a second surveyor in each county, so teams have someone to choose between
	await server.secondSurveyor(OWN);
	await server.secondSurveyor(OTHER);
});
afterAll(async () => {
	await server?.stop();
});

function expectError(response: ApiResponse, status: number) {
	expect(response.status, response.text).toBe(status);
	expect(response.json).toMatchObject({ error: expect.any(String) });
}

const patch = (path: string, json: unknown, token: string) =>
	server.request('PATCH', path, { token, json });
const del = (path: string, token: string) => server.request('DELETE', path, { token });

let made = 0;
/** A new team of `county` made by the city reviewer. */
async function teamOf(county: string, members: string[] = []): Promise<Team> {
	const response = await server.post(
		'/api/teams',
		{ countyCode: county, name: `测试队 ${++made}`, members },
		city
	);
	expect(response.status, response.text).toBe(201);
	return (response.json as { team: Team }).team;
}

/** Runs `act`, which must be refused with `status`, and checks the database did not change. */
async function refusedUnchanged(status: number, act: () => Promise<ApiResponse>) {
	const before = await server.snapshot();
	expectError(await act(), status);
	expect(await server.snapshot()).toEqual(before);
}

describe('who may manage teams', () => {
	type Actor = 'surveyor' | 'reviewer' | 'city';
	const token = (actor: Actor) => ({ surveyor, reviewer, city })[actor];
	const cases: [Actor, 'own' | 'other'][] = (['surveyor', 'reviewer', 'city'] as const).flatMap(
		(actor) =>
			(['own', 'other'] as const).map((place) => [actor, place] as [Actor, 'own' | 'other'])
	);
	/** What an action on a team of `place` answers to `actor` when it is allowed to succeed. */
	const expected = (actor: Actor, place: 'own' | 'other', ok: number) =>
		actor === 'surveyor' ? 403 : actor === 'reviewer' && place === 'other' ? 404 : ok;

	it.each(cases)('%s, %s county: list, make, read, change, delete', async (actor, place) => {
		const county = place === 'own' ? OWN : OTHER;
		const t = token(actor);

		// list by county: a county outside the list is 403, as the queue's
		const list = await server.get(`/api/teams?county=${county}`, t);
		const listStatus =
			actor === 'surveyor' ? 403 : actor === 'reviewer' && place === 'other' ? 403 : 200;
		expect(list.status, list.text).toBe(listStatus);

		// make: outside the role or the counties, 403 and nothing written
		const body = { countyCode: county, name: `${actor}-${place} 队`, members: [] };
		const makeStatus =
			actor === 'surveyor' ? 403 : actor === 'reviewer' && place === 'other' ? 403 : 201;
		if (makeStatus === 201) {
			const made = await server.post('/api/teams', body, t);
			expect(made.status, made.text).toBe(201);
			expect((made.json as { team: Team }).team).toMatchObject({
				countyCode: county,
				name: body.name,
				members: []
			});
		} else await refusedUnchanged(makeStatus, () => server.post('/api/teams', body, t));

		// read, change, delete a team the city made
		const team = await teamOf(county);
		const path = `/api/teams/${team.id}`;
		const read = await server.get(path, t);
		expect(read.status, read.text).toBe(expected(actor, place, 200));

		const change = { name: `${team.name} 改` };
		if (expected(actor, place, 200) === 200) {
			const changed = await patch(path, change, t);
			expect(changed.status, changed.text).toBe(200);
			expect((changed.json as { team: Team }).team.name).toBe(change.name);
			const gone = await del(path, t);
			expect(gone.status, gone.text).toBe(204);
			expectError(await server.get(path, city), 404);
		} else {
			await refusedUnchanged(expected(actor, place, 200), () => patch(path, change, t));
			await refusedUnchanged(expected(actor, place, 200), () => del(path, t));
			expect((await server.get(path, city)).status).toBe(200);
		}
	});

	it('a county reviewer lists only its own counties’ teams', async () => {
		const own = await teamOf(OWN);
		const other = await teamOf(OTHER);
		const mine = await server.get('/api/teams', reviewer);
		expect(mine.status).toBe(200);
		const ids = (mine.json as { teams: Team[] }).teams.map((t) => t.id);
		expect(ids).toContain(own.id);
		expect(ids).not.toContain(other.id);
		const all = ((await server.get('/api/teams', city)).json as { teams: Team[] }).teams.map(
			(t) => t.id
		);
		expect(all).toEqual(expect.arrayContaining([own.id, other.id]));
	});

	it('without a login every call is 401', async () => {
		expectError(await server.get('/api/teams'), 401);
		expectError(await server.post('/api/teams', { countyCode: OWN, name: 'x' }), 401);
	});
});

describe('what a team may hold', () => {
	it('members are the county’s surveyors, each in one team; names are unique per county', async () => {
		const first = await teamOf(OWN, [`surveyor-${OWN}`]);
		expect(first.members.map((m) => m.username)).toEqual([`surveyor-${OWN}`]);

		// a surveyor already in a team: 409, naming the team, nothing written
		await refusedUnchanged(409, () =>
			server.post(
				'/api/teams',
				{ countyCode: OWN, name: '另一队', members: [`surveyor-${OWN}`] },
				city
			)
		);
		const conflict = await server.post(
			'/api/teams',
			{ countyCode: OWN, name: '另一队', members: [`surveyor-${OWN}`] },
			city
		);
		expect(conflict.json).toMatchObject({
			error: expect.stringContaining(first.name),
			issues: [{ path: 'members.0' }]
		});

		// the same name in the same county: 409; in another county it is fine
		await refusedUnchanged(409, () =>
			server.post('/api/teams', { countyCode: OWN, name: first.name }, city)
		);
		expect(
			(await server.post('/api/teams', { countyCode: OTHER, name: first.name }, city)).status
		).toBe(201);

		// not a surveyor, a surveyor of another county, an unknown account: 400 naming each
		const bad = await server.post(
			'/api/teams',
			{
				countyCode: OWN,
				name: '坏名单',
				members: [`reviewer-${OWN}`, `surveyor-${OTHER}`, 'nobody-here']
			},
			city
		);
		expectError(bad, 400);
		expect((bad.json as { issues: { path: string }[] }).issues.map((i) => i.path)).toEqual([
			'members.0',
			'members.1',
			'members.2'
		]);

		// a rename that is fine with members that are not: nothing of it is written
		await refusedUnchanged(400, () =>
			patch(`/api/teams/${first.id}`, { name: '新名字', members: ['nobody-here'] }, city)
		);
		expect(
			((await server.get(`/api/teams/${first.id}`, city)).json as { team: Team }).team.name
		).toBe(first.name);

		// moving a surveyor: out of the first team, then into a second
		const second = await teamOf(OWN);
		expect((await patch(`/api/teams/${first.id}`, { members: [] }, city)).status).toBe(200);
		const moved = await patch(`/api/teams/${second.id}`, { members: [`surveyor-${OWN}`] }, city);
		expect(moved.status, moved.text).toBe(200);
		expect((moved.json as { team: Team }).team.members.map((m) => m.username)).toEqual([
			`surveyor-${OWN}`
		]);
		// deleting the team frees its surveyor
		expect((await del(`/api/teams/${second.id}`, city)).status).toBe(204);
		expect(
			(await patch(`/api/teams/${first.id}`, { members: [`surveyor-${OWN}`] }, city)).status
		).toBe(200);
		await patch(`/api/teams/${first.id}`, { members: [] }, city);
	});

	it.each([
		['no name', { countyCode: OWN }],
		['an empty name', { countyCode: OWN, name: '   ' }],
		['a name of 41 characters', { countyCode: OWN, name: '队'.repeat(41) }],
		['an unknown county', { countyCode: '150699', name: '甲队' }],
		['a member twice', { countyCode: OWN, name: '甲队', members: ['a', 'a'] }],
		['an unknown field', { countyCode: OWN, name: '甲队', leader: 'x' }],
		['members not a list', { countyCode: OWN, name: '甲队', members: 'surveyor-150621' }]
	])('a body with %s is 400 and changes nothing', async (_what, body) => {
		await refusedUnchanged(400, () => server.post('/api/teams', body, city));
	});

	it('a change naming nothing, an unknown team and a malformed id', async () => {
		const team = await teamOf(OWN);
		await refusedUnchanged(400, () => patch(`/api/teams/${team.id}`, {}, city));
		expectError(await patch('/api/teams/999999', { name: '无' }, city), 404);
		expectError(await server.get('/api/teams/abc', city), 404);
		expectError(await server.get('/api/teams?county=150699', city), 400);
		expectError(await server.get('/api/teams?leader=x', city), 400);
	});
});

describe('the review queue by team', () => {
	it('keeps the records of the team’s members, and names the team on each', async () => {
		const sites = await server.sites(OWN);
		const first = newFind(OWN, offset(sites[0]!.location, 700, 10));
		const second = newFind(OWN, offset(sites[0]!.location, 700, 200));
		expect(await server.pushOne(surveyor, first)).toMatchObject({ status: 'accepted' });
		const other = await server.secondSurveyor(OWN);
		expect(await server.pushOne(other, second)).toMatchObject({ status: 'accepted' });

		const team = await teamOf(OWN, [`surveyor-${OWN}-2`]);
		const queue = await server.get(`/api/review/records?team=${team.id}&limit=500`, reviewer);
		expect(queue.status, queue.text).toBe(200);
		const body = queue.json as {
			records: { id: string; surveyor: string; team: { id: number; name: string } | null }[];
			total: number;
		};
		const ids = body.records.map((r) => r.id);
		expect(ids).toContain(second.id);
		expect(ids).not.toContain(first.id);
		expect(body.records.every((r) => r.surveyor === `surveyor-${OWN}-2`)).toBe(true);
		expect(body.records.find((r) => r.id === second.id)?.team).toEqual({
			id: team.id,
			name: team.name
		});
		expect(body.total).toBe(body.records.length);

		// unfiltered, the record of a surveyor in no team says so
		const all = (
			(await server.get(`/api/review/records?county=${OWN}&limit=500`, reviewer)).json as {
				records: { id: string; team: unknown }[];
			}
		).records;
		expect(all.find((r) => r.id === first.id)?.team).toBeNull();

		// with the surveyor filter too: both must hold
		const both = await server.get(
			`/api/review/records?team=${team.id}&surveyor=surveyor-${OWN}`,
			reviewer
		);
		expect((both.json as { records: unknown[] }).records).toEqual([]);

		// a team of another county matches none of this reviewer's records; a bad id is 400
		const elsewhere = await teamOf(OTHER, [`surveyor-${OTHER}-2`]);
		const none = await server.get(`/api/review/records?team=${elsewhere.id}`, reviewer);
		expect(none.status).toBe(200);
		expect((none.json as { records: unknown[] }).records).toEqual([]);
		expectError(await server.get('/api/review/records?team=abc', reviewer), 400);
		expectError(await server.get('/api/review/records?team=0', reviewer), 400);
	});
});

describe('sites assigned to teams (POST /api/teams/{id}/sites)', () => {
	const assign = (id: number, body: unknown, token = city) =>
		server.post(`/api/teams/${id}/sites`, body, token);
	const held = async (id: number) =>
		((await server.get(`/api/teams/${id}/sites`, city)).json as { sites: string[] }).sites;

	it('assigns by code and by township, moves sites between teams, takes them off', async () => {
		const sites = await server.sites(OWN);
		const township = sites[0]!.township;
		const inTownship = sites.filter((s) => s.township === township).map((s) => s.code);
		const a = await teamOf(OWN);
		const b = await teamOf(OWN);

		const byTownship = await assign(a.id, { townships: [township] }, reviewer);
		expect(byTownship.status, byTownship.text).toBe(200);
		expect(byTownship.json).toEqual({
			sites: inTownship.length,
			added: inTownship.length,
			moved: 0,
			removed: 0
		});
		expect(await held(a.id)).toEqual([...inTownship].sort());

		// one of them to team b: it moves
		const moved = await assign(b.id, { assign: [inTownship[0]!] });
		expect(moved.json).toEqual({ sites: 1, added: 1, moved: 1, removed: 0 });
		expect(await held(a.id)).not.toContain(inTownship[0]);

		// taking off a site of another team leaves it there
		const off = await assign(a.id, { unassign: [inTownship[0]!] });
		expect(off.json).toMatchObject({ removed: 0 });
		expect(await held(b.id)).toEqual([inTownship[0]]);

		// deleting team b frees its site
		expect((await del(`/api/teams/${b.id}`, city)).status).toBe(204);
		const again = await assign(a.id, { assign: [inTownship[0]!] });
		expect(again.json).toMatchObject({ added: 1, moved: 0 });
	});

	it('refuses what is not the team’s county, and outsiders, changing nothing', async () => {
		const team = await teamOf(OWN);
		const other = await server.sites(OTHER);
		await refusedUnchanged(400, () => assign(team.id, { assign: [other[0]!.code] }));
		const refused = await assign(team.id, {
			assign: [other[0]!.code, 'no-such-code'],
			townships: ['没有这个乡镇']
		});
		expect((refused.json as { issues: { path: string }[] }).issues.map((i) => i.path)).toEqual([
			'assign.0',
			'assign.1',
			'townships.0'
		]);
		await refusedUnchanged(400, () => assign(team.id, {}));
		const own = await server.sites(OWN);
		await refusedUnchanged(403, () => assign(team.id, { assign: [own[0]!.code] }, surveyor));
		const elsewhere = await teamOf(OTHER);
		await refusedUnchanged(404, () => assign(elsewhere.id, { assign: [other[0]!.code] }, reviewer));
		expectError(await server.get(`/api/teams/${elsewhere.id}/sites`, reviewer), 404);
	});
});
