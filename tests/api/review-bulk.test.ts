/**
 * Bulk approval (issue 12 point 5, `POST /api/review/bulk-approve`): each record is decided on its
 * own, in request order, as an approve with no comment; a refused record stays as it was.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RegisteredSite, SurveyRecord } from '$lib/domain/schemas/index.js';
import { BULK_MAX_RECORDS } from '$lib/domain/sync/wire.js';
import { newFind, recheckOf, TestServer, type ApiResponse } from './harness.js';
import { offset } from '../fixtures/builders.js';

const COUNTY = '150602';
const OTHER = '150603';

let server: TestServer;
let surveyor: string;
let reviewer: string;
let city: string;
const sites: Partial<Record<string, RegisteredSite[]>> = {};
const next: Record<string, number> = {};

beforeAll(async () => {
	server = await TestServer.start();
	surveyor = await server.as(`surveyor-${COUNTY}`);
	reviewer = await server.as(`reviewer-${COUNTY}`);
	city = await server.as('city');
	sites[COUNTY] = await server.sites(COUNTY);
	sites[OTHER] = await server.sites(OTHER);
});
afterAll(async () => {
	await server?.stop();
});

function nextSite(county: string): RegisteredSite {
	const index = next[county] ?? 0;
	next[county] = index + 1;
	return sites[county]![index]!;
}

/** A clean 复查 of the next site of `county`, pushed: revision 1, no findings. */
async function pushedClean(county = COUNTY): Promise<SurveyRecord> {
	const token = county === COUNTY ? surveyor : await server.as(`surveyor-${county}`);
	const record = recheckOf(nextSite(county), await server.uploadPhotos(token, 2));
	expect(await server.pushOne(token, record)).toMatchObject({
		status: 'accepted',
		revision: 1,
		findings: []
	});
	return record;
}

/** A 新发现 without photos or description: it carries error findings. */
async function pushedWithErrors(): Promise<SurveyRecord> {
	const record = newFind(COUNTY, offset(nextSite(COUNTY).location, 1500, 1500), [], {
		description: ''
	});
	const result = await server.pushOne(surveyor, record);
	expect(result.status).toBe('accepted');
	expect(result.findings?.some((f) => f.severity === 'error')).toBe(true);
	return record;
}

const bulk = (body: unknown, token: string) => server.post('/api/review/bulk-approve', body, token);

type Result = { id: string; outcome: 'approved' | number; status?: string; error?: string };
const resultsOf = (response: ApiResponse): Result[] =>
	(response.json as { results: Result[] }).results;

function expectError(response: ApiResponse, status: number) {
	expect(response.status, response.text).toBe(status);
	expect(response.json).toMatchObject({ error: expect.any(String) });
}

/** What a client reads of a record: its status, revision and how many steps its history has. */
async function state(id: string, token = city) {
	const { body } = await server.record(id, token);
	return { status: body.status, revision: body.revision, steps: body.history.length };
}

describe('bulk approval', () => {
	it('approves each record it may and refuses the others alone, in request order', async () => {
		const clean = [await pushedClean(), await pushedClean(), await pushedClean()];
		const withErrors = await pushedWithErrors();
		const stale = await pushedClean();
		await server.pushOne(surveyor, { ...stale, baseRevision: 1, address: `${stale.address}。` });
		const returned = await pushedClean();
		const returnDecision = await server.post(
			`/api/records/${returned.id}/decision`,
			{ decision: 'return', revision: 1, comments: [{ message: '请补充照片' }] },
			reviewer
		);
		expect(returnDecision.status).toBe(200);
		const unknown = '00000000-0000-4000-8000-000000000000';
		const before = {
			withErrors: await state(withErrors.id),
			stale: await state(stale.id),
			returned: await state(returned.id)
		};

		const response = await bulk(
			{
				records: [
					{ id: clean[0]!.id, revision: 1 },
					{ id: withErrors.id, revision: 1 },
					{ id: clean[1]!.id, revision: 1 },
					{ id: stale.id, revision: 1 },
					{ id: returned.id, revision: 2 },
					{ id: unknown, revision: 1 },
					{ id: clean[2]!.id, revision: 1 }
				]
			},
			reviewer
		);
		expect(response.status, response.text).toBe(200);
		const results = resultsOf(response);
		expect(results.map((r) => [r.id, r.outcome])).toEqual([
			[clean[0]!.id, 'approved'],
			[withErrors.id, 422],
			[clean[1]!.id, 'approved'],
			[stale.id, 409],
			[returned.id, 422],
			[unknown, 404],
			[clean[2]!.id, 'approved']
		]);
		for (const r of results.filter((r) => r.outcome === 'approved'))
			expect(r).toMatchObject({ status: 'county_approved', revision: 2 });
		// each refusal says why, as the single decision would
		expect(results[1]!.error).toMatch(/质检错误/);
		expect(results[3]!.error).toMatch(/第 2 版/);
		expect(results[4]!.error).toMatch(/已退回/);
		expect(results[5]!.error).toBe('没有这条记录');

		for (const record of clean)
			expect(await state(record.id)).toEqual({ status: 'county_approved', revision: 2, steps: 2 });
		expect(await state(withErrors.id)).toEqual(before.withErrors);
		expect(await state(stale.id)).toEqual(before.stale);
		expect(await state(returned.id)).toEqual(before.returned);
		expect(before.withErrors).toMatchObject({ status: 'submitted', revision: 1 });
		// the history names the reviewer, as for a single approval
		const history = (await server.record(clean[0]!.id, city)).body.history;
		expect(history.map((h) => [h.revision, h.action, h.by])).toEqual([
			[1, 'push', `surveyor-${COUNTY}`],
			[2, 'approve', `reviewer-${COUNTY}`]
		]);
		// a second request with the same revisions approves nothing twice
		const again = await bulk({ records: [{ id: clean[0]!.id, revision: 1 }] }, reviewer);
		expect(resultsOf(again).map((r) => r.outcome)).toEqual([409]);
	});

	it('answers 404 for a record of another county, exactly as for an unknown one, and leaves it alone', async () => {
		const mine = await pushedClean();
		const theirs = await pushedClean(OTHER);
		const before = await state(theirs.id);
		const response = await bulk(
			{
				records: [
					{ id: theirs.id, revision: 1 },
					{ id: mine.id, revision: 1 },
					{ id: '00000000-0000-4000-8000-000000000001', revision: 1 }
				]
			},
			reviewer
		);
		expect(response.status, response.text).toBe(200);
		const [hidden, approved, missing] = resultsOf(response);
		expect(hidden).toMatchObject({ id: theirs.id, outcome: 404 });
		expect(missing).toMatchObject({ outcome: 404 });
		// nothing tells the other county's record from one that does not exist
		expect(Object.keys(hidden!).sort()).toEqual(Object.keys(missing!).sort());
		expect(hidden!.error).toBe(missing!.error);
		expect(approved).toMatchObject({ id: mine.id, outcome: 'approved' });
		expect(await state(theirs.id)).toEqual(before);
		expect(before).toMatchObject({ status: 'submitted', revision: 1, steps: 1 });
	});

	it('lets the city accept county_approved records, and not submitted ones', async () => {
		const [a, b, c] = [await pushedClean(), await pushedClean(), await pushedClean()];
		const county = await bulk(
			{
				records: [
					{ id: a.id, revision: 1 },
					{ id: b.id, revision: 1 }
				]
			},
			reviewer
		);
		expect(resultsOf(county).map((r) => r.outcome)).toEqual(['approved', 'approved']);
		const response = await bulk(
			{
				records: [
					{ id: a.id, revision: 2 },
					{ id: c.id, revision: 1 },
					{ id: b.id, revision: 2 }
				]
			},
			city
		);
		expect(response.status, response.text).toBe(200);
		expect(resultsOf(response)).toMatchObject([
			{ id: a.id, outcome: 'approved', status: 'accepted', revision: 3 },
			{ id: c.id, outcome: 422 },
			{ id: b.id, outcome: 'approved', status: 'accepted', revision: 3 }
		]);
		expect(await state(a.id)).toEqual({ status: 'accepted', revision: 3, steps: 3 });
		expect(await state(c.id)).toEqual({ status: 'submitted', revision: 1, steps: 1 });
		// the county reviewer cannot take an accepted record further
		const late = await bulk({ records: [{ id: a.id, revision: 3 }] }, reviewer);
		expect(resultsOf(late)).toMatchObject([{ id: a.id, outcome: 422 }]);
	});

	it('refuses a surveyor (403), and changes nothing', async () => {
		const record = await pushedClean();
		const before = await server.snapshot();
		expectError(await bulk({ records: [{ id: record.id, revision: 1 }] }, surveyor), 403);
		expect(await server.snapshot()).toEqual(before);
	});

	it('refuses a request as a whole when it is malformed, names an id twice or is over the cap', async () => {
		const [a, b] = [await pushedClean(), await pushedClean()];
		const before = await server.snapshot();
		const twice = await bulk(
			{
				records: [
					{ id: a.id, revision: 1 },
					{ id: b.id, revision: 1 },
					{ id: a.id, revision: 1 }
				]
			},
			reviewer
		);
		expectError(twice, 400);
		expect((twice.json as { error: string }).error).toContain(a.id);
		expectError(await bulk({ records: [] }, reviewer), 400);
		expectError(await bulk({ records: [{ id: a.id }] }, reviewer), 400);
		expectError(await bulk({ records: [{ id: a.id, revision: 1 }], extra: 1 }, reviewer), 400);
		expectError(await bulk([{ id: a.id, revision: 1 }], reviewer), 400);
		const over = Array.from({ length: BULK_MAX_RECORDS + 1 }, (_, i) => ({
			id: i === 0 ? a.id : `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`,
			revision: 1
		}));
		const tooMany = await bulk({ records: over }, reviewer);
		expectError(tooMany, 413);
		expect((tooMany.json as { error: string }).error).toContain(String(BULK_MAX_RECORDS));
		expect(await server.snapshot()).toEqual(before);
		// the cap itself is allowed: every unknown id refused alone, the one known approved
		const atCap = await bulk({ records: over.slice(0, BULK_MAX_RECORDS) }, reviewer);
		expect(atCap.status, atCap.text).toBe(200);
		const outcomes = resultsOf(atCap).map((r) => r.outcome);
		expect(outcomes[0]).toBe('approved');
		expect(new Set(outcomes.slice(1))).toEqual(new Set([404]));
		expect(await state(b.id)).toEqual({ status: 'submitted', revision: 1, steps: 1 });
	});

	it('refuses a cross-site request from a browser session (403)', async () => {
		const record = await pushedClean();
		const session = await server.login(`reviewer-${COUNTY}`);
		const response = await server.request('POST', '/api/review/bulk-approve', {
			json: { records: [{ id: record.id, revision: 1 }] },
			headers: { cookie: session.cookie!, origin: 'http://evil.example' }
		});
		expectError(response, 403);
		expect(await state(record.id)).toEqual({ status: 'submitted', revision: 1, steps: 1 });
	});
});
