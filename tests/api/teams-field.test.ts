/**
 * Teams in the field (issue 13 point 2, contract §3 *Teams*): a device downloads only its team's
 * assignment (`GET /api/registry?scope=team`, its token, `GET /api/registry/summary`), and the
 * members of a team revise each other's records (the authorship rule of §1 widened). Own county
 * is 150621; the other is 150622.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_PASSWORD, newFind, TestServer, type ApiResponse, type County } from './harness.js';
import { offset } from '../fixtures/builders.js';
import type { RegistryAssignment, RegistrySummary, Team } from '$lib/domain/sync/wire.js';
import type { RegisteredSite, SurveyRecord } from '$lib/domain/schemas/index.js';

const OWN: County = '150621';
const OTHER: County = '150622';

let server: TestServer;
let city: string;
/** surveyor-150621 and surveyor-150621-2: one team of OWN */
let author: string;
let teammate: string;
/** surveyor-150621-3: in no team */
let outsider: string;
let ownSites: RegisteredSite[];
let team: Team;

const TEAMMATE = `surveyor-${OWN}-2`;

async function addSurveyor(username: string, counties: string[]): Promise<string> {
	const created = await server.post(
		'/api/admin/users',
		{ username, role: 'surveyor', counties, password: DEMO_PASSWORD },
		city
	);
	expect(created.status, created.text).toBe(201);
	return server.as(username);
}

let made = 0;
async function makeTeam(county: string, members: string[]): Promise<Team> {
	const response = await server.post(
		'/api/teams',
		{ countyCode: county, name: `外业队 ${++made}`, members },
		city
	);
	expect(response.status, response.text).toBe(201);
	return (response.json as { team: Team }).team;
}

const assign = async (id: number, body: object) => {
	const response = await server.post(`/api/teams/${id}/sites`, body, city);
	expect(response.status, response.text).toBe(200);
};

const teamRegistry = async (token: string, since?: string) => {
	const response = await server.get(
		`/api/registry?scope=team${since === undefined ? '' : `&since=${since}`}`,
		token
	);
	expect(response.status, response.text).toBe(200);
	return response.json as {
		sites: RegisteredSite[];
		cursor: string;
		assignment: RegistryAssignment;
	};
};

const summary = async (token: string) => {
	const response = await server.get('/api/registry/summary', token);
	expect(response.status, response.text).toBe(200);
	return response.json as RegistrySummary;
};

function expectError(response: ApiResponse, status: number) {
	expect(response.status, response.text).toBe(status);
	expect(response.json).toMatchObject({ error: expect.any(String) });
}

const bytes = (response: ApiResponse) => Buffer.byteLength(response.text, 'utf8');

beforeAll(async () => {
	server = await TestServer.start();
	city = await server.as('city');
	author = await server.as(`surveyor-${OWN}`);
	teammate = await server.secondSurveyor(OWN);
	outsider = await addSurveyor(`surveyor-${OWN}-3`, [OWN]);
	ownSites = await server.sites(OWN);
	team = await makeTeam(OWN, [`surveyor-${OWN}`, TEAMMATE]);
});
afterAll(async () => {
	await server?.stop();
});

describe('a team’s registry (GET /api/registry?scope=team)', () => {
	it('without a team or an assignment: 409, and the summary has no team', async () => {
		expectError(await server.get('/api/registry?scope=team', outsider), 409);
		expect((await summary(outsider)).team).toBeNull();
		// in a team with nothing assigned yet
		expectError(await server.get('/api/registry?scope=team', author), 409);
		expect((await summary(author)).team).toBeNull();
		// the county download is what it was
		const county = await server.get('/api/registry', outsider);
		expect(county.status).toBe(200);
		expect(Object.keys(county.json as object).sort()).toEqual(['cursor', 'sites']);
	});

	it('answers exactly the assigned sites, and the token follows the assignment', async () => {
		const township = ownSites[0]!.township;
		const inTownship = ownSites.filter((s) => s.township === township).map((s) => s.code);
		await assign(team.id, { townships: [township] });

		const full = await teamRegistry(author);
		expect(full.sites.map((s) => s.code).sort()).toEqual([...inTownship].sort());
		expect(full.assignment).toMatchObject({
			teamId: team.id,
			teamName: team.name,
			sites: inTownship.length
		} satisfies Partial<RegistryAssignment>);
		// a teammate gets the same; the token does not depend on who asks
		expect((await teamRegistry(teammate)).assignment.token).toBe(full.assignment.token);

		// nothing changed since: no site, the same token
		const again = await teamRegistry(author, full.cursor);
		expect(again.sites).toEqual([]);
		expect(again.assignment.token).toBe(full.assignment.token);
		// assigning what the team holds changes nothing
		await assign(team.id, { assign: [inTownship[0]!] });
		expect((await teamRegistry(author, full.cursor)).assignment.token).toBe(full.assignment.token);

		// one site more: a new token; the incremental answer cannot bring the old site, a full one does
		const extra = ownSites.find((s) => s.township !== township)!;
		await assign(team.id, { assign: [extra.code] });
		const incremental = await teamRegistry(author, full.cursor);
		expect(incremental.assignment.token).not.toBe(full.assignment.token);
		expect(incremental.assignment.sites).toBe(inTownship.length + 1);
		expect(incremental.sites.map((s) => s.code)).not.toContain(extra.code);
		const refreshed = await teamRegistry(author);
		expect(refreshed.sites.map((s) => s.code).sort()).toEqual([...inTownship, extra.code].sort());

		// taken off: another token, and the full download no longer holds it
		await assign(team.id, { unassign: [extra.code, inTownship[0]!] });
		const smaller = await teamRegistry(author);
		expect(smaller.assignment.token).not.toBe(refreshed.assignment.token);
		expect(smaller.sites.map((s) => s.code).sort()).toEqual(inTownship.slice(1).sort());
		// back to the first set: the first token
		await assign(team.id, { assign: [inTownship[0]!] });
		expect((await teamRegistry(author)).assignment.token).toBe(full.assignment.token);
	});

	it('summary: the sites and about the bytes each download has', async () => {
		const county = await server.get('/api/registry', author);
		const teamAnswer = await server.get('/api/registry?scope=team', author);
		const s = await summary(author);
		const countySites = (county.json as { sites: unknown[] }).sites.length;
		const teamSites = (teamAnswer.json as { sites: unknown[] }).sites.length;
		expect(s.county.sites).toBe(countySites);
		expect(s.team).toMatchObject({ id: team.id, name: team.name, sites: teamSites });
		// within a few hundred bytes of the real answers (the cursor's and token's lengths vary)
		expect(Math.abs(s.county.bytes - bytes(county))).toBeLessThan(300);
		expect(Math.abs(s.team!.bytes - bytes(teamAnswer))).toBeLessThan(300);
		expect(s.team!.bytes).toBeLessThan(s.county.bytes);
	});

	it('refuses a bad scope, scope=team with a county, and anyone without a login', async () => {
		expectError(await server.get('/api/registry?scope=all', author), 400);
		expectError(await server.get(`/api/registry?scope=team&county=${OWN}`, author), 400);
		expectError(await server.get('/api/registry?scope=team'), 401);
		expectError(await server.get('/api/registry/summary'), 401);
		expectError(await server.get('/api/registry/summary?x=1', author), 400);
	});
});

/** The `record` change of `id` at `revision` in `token`'s pull, paging through the feed. */
async function pulledChange(token: string, id: string, revision: number) {
	let cursor = '';
	for (;;) {
		const response = await server.get(`/api/sync/pull${cursor ? `?since=${cursor}` : ''}`, token);
		expect(response.status, response.text).toBe(200);
		const body = response.json as {
			changes: { type: string; id?: string; revision?: number; [k: string]: unknown }[];
			cursor: string;
			more: boolean;
		};
		const found = body.changes.find(
			(c) => c.type === 'record' && c.id === id && c.revision === revision
		);
		if (found) return found;
		if (!body.more) throw new Error(`no change of ${id} at revision ${revision}`);
		cursor = body.cursor;
	}
}

describe('teammates revise each other’s records (POST /api/sync/push)', () => {
	let n = 0;
	const revised = (record: SurveyRecord, baseRevision: number): SurveyRecord => ({
		...record,
		description: `${record.description}（第 ${++n} 次修订）`,
		updatedAt: new Date(Date.now() + n * 1000).toISOString(),
		baseRevision
	});
	const newRecord = async (token: string, county: County = OWN) => {
		const sites = county === OWN ? ownSites : await server.sites(county);
		const record = newFind(county, offset(sites[0]!.location, 700, 30 + n * 7));
		expect(await server.pushOne(token, record)).toMatchObject({ status: 'accepted', revision: 1 });
		return record;
	};

	it('a teammate’s revision is accepted; the record keeps its author, the revision is theirs', async () => {
		const record = await newRecord(author);
		const second = revised(record, 1);
		expect(await server.pushOne(teammate, second)).toMatchObject({
			status: 'accepted',
			revision: 2
		});
		const read = await server.record(record.id, city);
		expect(read.body.revision).toBe(2);
		expect(read.body.record.description).toBe(second.description);
		expect(read.body.history.map((h) => [h.revision, h.by, h.action])).toEqual([
			[1, `surveyor-${OWN}`, 'push'],
			[2, TEAMMATE, 'push']
		]);
		// still the author's record in the queue
		const queue = await server.get(
			`/api/review/records?surveyor=surveyor-${OWN}&county=${OWN}&limit=500`,
			city
		);
		expect((queue.json as { records: { id: string }[] }).records.map((r) => r.id)).toContain(
			record.id
		);
		// the author's device pulls the teammate's content, to replace its copy or meet a conflict
		const change = await pulledChange(author, record.id, 2);
		expect(change).toMatchObject({ status: 'submitted', revisedBy: TEAMMATE });
		expect((change.record as SurveyRecord).description).toBe(second.description);
		// and the author goes on from the teammate's revision
		expect(await server.pushOne(author, revised(record, 2))).toMatchObject({
			status: 'accepted',
			revision: 3
		});
	});

	it('someone outside the team gets not_author, and nothing is written', async () => {
		const record = await newRecord(author);
		const before = await server.snapshot();
		expect(await server.pushOne(outsider, revised(record, 1))).toMatchObject({
			status: 'rejected',
			code: 'not_author'
		});
		expect(await server.snapshot()).toEqual(before);
	});

	it('a teammate of a team of another county may not revise it', async () => {
		// both work in both counties, in a team of OTHER; the record is of OWN
		const a = await addSurveyor('surveyor-both-a', [OWN, OTHER]);
		const b = await addSurveyor('surveyor-both-b', [OWN, OTHER]);
		const otherTeam = await makeTeam(OTHER, ['surveyor-both-a', 'surveyor-both-b']);
		expect(otherTeam.members).toHaveLength(2);
		const record = await newRecord(a, OWN);
		expect(await server.pushOne(b, revised(record, 1))).toMatchObject({
			status: 'rejected',
			code: 'not_author'
		});
		// and a surveyor of OTHER only never reaches it
		const other = await server.as(`surveyor-${OTHER}`);
		expect(await server.pushOne(other, revised(record, 1))).toMatchObject({
			status: 'rejected',
			code: 'out_of_scope'
		});
		// in OTHER the same two revise each other
		const there = await newRecord(a, OTHER);
		expect(await server.pushOne(b, revised(there, 1))).toMatchObject({ status: 'accepted' });
	});

	it('a surveyor who left the team can no longer revise', async () => {
		const record = await newRecord(author);
		expect(await server.pushOne(teammate, revised(record, 1))).toMatchObject({
			status: 'accepted'
		});
		const changed = await server.request('PATCH', `/api/teams/${team.id}`, {
			token: city,
			json: { members: [`surveyor-${OWN}`] }
		});
		expect(changed.status, changed.text).toBe(200);
		try {
			expect(await server.pushOne(teammate, revised(record, 2))).toMatchObject({
				status: 'rejected',
				code: 'not_author'
			});
			// and the team's registry is no longer theirs
			expectError(await server.get('/api/registry?scope=team', teammate), 409);
		} finally {
			await server.request('PATCH', `/api/teams/${team.id}`, {
				token: city,
				json: { members: [`surveyor-${OWN}`, TEAMMATE] }
			});
		}
	});
});
