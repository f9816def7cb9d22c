/**
 * The authorization matrix of the review API (issue 12, contract §1 and §3): each role (surveyor,
 * county reviewer, city reviewer) × a record of its own county or of another × every review
 * action. Own county is 150602 (surveyor-150602, reviewer-150602); the other county is 150603.
 * The city reviewer has every county, so both are its own.
 *
 * Expected, as the contract says:
 * - a record of a county outside the user's list answers 404, exactly as a missing one (so a
 *   surveyor deciding a record of another county gets 404, not 403);
 * - an action outside the role answers 403 (a surveyor deciding or correcting its own county's
 *   record; any queue for a surveyor);
 * - a county outside the list named as `?county=` answers 403;
 * - a reviewer acts only on the status it decides (county: `submitted`; city: `county_approved`),
 *   422 otherwise;
 * - every refused action leaves the database as it was.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RegisteredSite } from '$lib/domain/schemas/index.js';
import { newFind, TestServer, type ApiResponse } from './harness.js';
import { offset } from '../fixtures/builders.js';

type Actor = 'surveyor' | 'reviewer' | 'city';
type Place = 'own' | 'other';
type State = 'submitted' | 'county_approved';

const COUNTY: Record<Place, '150602' | '150603'> = { own: '150602', other: '150603' };
const USERNAME: Record<Actor, string> = {
	surveyor: 'surveyor-150602',
	reviewer: 'reviewer-150602',
	city: 'city'
};
const ACTORS: Actor[] = ['surveyor', 'reviewer', 'city'];
const PLACES: Place[] = ['own', 'other'];
const STATES: State[] = ['submitted', 'county_approved'];

let server: TestServer;
let city: string;
const tokens = {} as Record<Actor, string>;
const sites = {} as Record<Place, RegisteredSite[]>;
const used: Record<Place, number> = { own: 0, other: 0 };

beforeAll(async () => {
	server = await TestServer.start();
	for (const actor of ACTORS) tokens[actor] = await server.as(USERNAME[actor]);
	city = tokens.city;
	for (const place of PLACES) sites[place] = await server.sites(COUNTY[place]);
});
afterAll(async () => {
	await server?.stop();
});

/**
 * A 新发现 near the county's first registered site (30 m apart from the one before), pushed by
 * the county's surveyor and brought to `state`. It has no photos, so it carries QC errors: every
 * approval here gives its reason.
 */
async function recordIn(place: Place, state: State): Promise<{ id: string; revision: number }> {
	const at = offset(sites[place][0]!.location, 500, 30 * used[place]++);
	const author = await server.as(`surveyor-${COUNTY[place]}`);
	const record = newFind(COUNTY[place], at);
	expect(await server.pushOne(author, record)).toMatchObject({ status: 'accepted', revision: 1 });
	if (state === 'submitted') return { id: record.id, revision: 1 };
	const approved = await server.post(
		`/api/records/${record.id}/decision`,
		{ decision: 'approve', revision: 1, comments: [{ message: '照片另行提交' }] },
		await server.as(`reviewer-${COUNTY[place]}`)
	);
	expect(approved.json).toEqual({ status: 'county_approved', revision: 2 });
	return { id: record.id, revision: 2 };
}

async function stateOf(id: string): Promise<{ status: string; revision: number }> {
	const { body } = await server.record(id, city);
	return { status: body.status, revision: body.revision };
}

function expectError(response: ApiResponse, status: number) {
	expect(response.status, response.text).toBe(status);
	expect(response.json).toMatchObject({ error: expect.any(String) });
}

/** What a decision or a correction answers to `actor` on a record of `place` in `state`. */
function expectedAction(actor: Actor, place: Place, state: State): 200 | 403 | 404 | 422 {
	if (actor === 'surveyor') return place === 'own' ? 403 : 404;
	if (actor === 'reviewer') {
		if (place === 'other') return 404;
		return state === 'submitted' ? 200 : 422;
	}
	return state === 'county_approved' ? 200 : 422;
}

/** Where each allowed action leaves the record. */
const AFTER: Record<'approve' | 'return' | 'correct', Record<State, string>> = {
	approve: { submitted: 'county_approved', county_approved: 'accepted' },
	return: { submitted: 'returned', county_approved: 'returned' },
	correct: { submitted: 'submitted', county_approved: 'county_approved' }
};

const ACTIONS = {
	approve: (id: string, revision: number) => ({
		path: `/api/records/${id}/decision`,
		body: { decision: 'approve', revision, comments: [{ message: '照片另行提交' }] }
	}),
	return: (id: string, revision: number) => ({
		path: `/api/records/${id}/decision`,
		body: {
			decision: 'return',
			revision,
			comments: [{ path: 'description', message: '简介请补充保存现状' }]
		}
	}),
	correct: (id: string, revision: number) => ({
		path: `/api/records/${id}/correction`,
		body: { revision, changes: { era: '清' }, reason: '据地表遗物订正年代' }
	})
};

describe('the review queue (GET /api/review/records?county=)', () => {
	it.each(ACTORS.flatMap((actor) => PLACES.map((place) => [actor, place] as const)))(
		'%s, %s county',
		async (actor, place) => {
			const record = await recordIn(place, 'submitted');
			const response = await server.get(
				`/api/review/records?county=${COUNTY[place]}`,
				tokens[actor]
			);
			const allowed = actor === 'city' || (actor === 'reviewer' && place === 'own');
			if (!allowed) {
				expectError(response, 403);
				return;
			}
			expect(response.status, response.text).toBe(200);
			const ids = (response.json as { records: { id: string }[] }).records.map((r) => r.id);
			expect(ids).toContain(record.id);
		}
	);

	it('without ?county=, a county reviewer’s queue holds no record of another county', async () => {
		const other = await recordIn('other', 'submitted');
		const own = await recordIn('own', 'submitted');
		const queue = (await server.get('/api/review/records', tokens.reviewer)).json as {
			records: { id: string; countyCode: string }[];
		};
		const ids = queue.records.map((r) => r.id);
		expect(ids).toContain(own.id);
		expect(ids).not.toContain(other.id);
		expect(new Set(queue.records.map((r) => r.countyCode))).toEqual(new Set(['150602']));
		expectError(await server.get('/api/review/records', tokens.surveyor), 403);
	});
});

describe('the record (GET /api/records/{id})', () => {
	it.each(ACTORS.flatMap((actor) => PLACES.map((place) => [actor, place] as const)))(
		'%s, %s county',
		async (actor, place) => {
			const record = await recordIn(place, 'submitted');
			const response = await server.get(`/api/records/${record.id}`, tokens[actor]);
			if (actor !== 'city' && place === 'other') {
				expectError(response, 404);
				const missing = await server.get(
					'/api/records/00000000-0000-4000-8000-00000000beef',
					tokens[actor]
				);
				expect(response.json).toEqual(missing.json);
				return;
			}
			expect(response.status, response.text).toBe(200);
			expect(response.json).toMatchObject({ status: 'submitted', revision: 1 });
		}
	);
});

describe.each(Object.keys(ACTIONS) as (keyof typeof ACTIONS)[])('%s', (action) => {
	const cells = ACTORS.flatMap((actor) =>
		PLACES.flatMap((place) => STATES.map((state) => [actor, place, state] as const))
	);
	it.each(cells)('%s, %s county, %s record', async (actor, place, state) => {
		const record = await recordIn(place, state);
		const { path, body } = ACTIONS[action](record.id, record.revision);
		const expected = expectedAction(actor, place, state);
		const before = expected === 200 ? undefined : await server.snapshot();
		const response = await server.post(path, body, tokens[actor]);
		if (expected === 200) {
			expect(response.status, response.text).toBe(200);
			expect(response.json).toMatchObject({
				status: AFTER[action][state],
				revision: record.revision + 1
			});
			expect(await stateOf(record.id)).toEqual({
				status: AFTER[action][state],
				revision: record.revision + 1
			});
			return;
		}
		expectError(response, expected);
		// refused: the record and every table are as they were
		expect(await stateOf(record.id)).toEqual({ status: state, revision: record.revision });
		expect(await server.snapshot()).toEqual(before);
	});
});

/**
 * Bulk approval (`POST /api/review/bulk-approve`): one request names a record of every place and
 * state. A surveyor is refused as a whole (403). For a reviewer each record gets the outcome a
 * single approval without a comment would get: these records carry QC errors (no photos), so a
 * record the reviewer may decide is refused with 422 (a bulk approval gives no reason), one it
 * may not decide in its county 422, one of another county 404. Nothing is written for any of
 * them. (tests/api/review-bulk.test.ts approves clean records.)
 */
describe('bulk approval', () => {
	it.each(ACTORS)('%s', async (actor) => {
		const cells = PLACES.flatMap((place) => STATES.map((state) => [place, state] as const));
		const records = [];
		for (const [place, state] of cells) records.push(await recordIn(place, state));
		const before = await server.snapshot();
		const response = await server.post(
			'/api/review/bulk-approve',
			{ records: records.map(({ id, revision }) => ({ id, revision })) },
			tokens[actor]
		);
		if (actor === 'surveyor') {
			expectError(response, 403);
		} else {
			expect(response.status, response.text).toBe(200);
			const outcomes = (response.json as { results: { id: string; outcome: unknown }[] }).results;
			expect(outcomes.map((r) => r.id)).toEqual(records.map((r) => r.id));
			expect(outcomes.map((r) => r.outcome)).toEqual(
				cells.map(([place, state]) => {
					const single = expectedAction(actor, place, state);
					return single === 200 ? 422 : single;
				})
			);
		}
		expect(await server.snapshot()).toEqual(before);
	});
});
