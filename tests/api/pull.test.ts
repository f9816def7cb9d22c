/**
 * GET /api/sync/pull paging (at most 500 per call, `more` and the cursor) and GET /api/registry
 * `?since=`: every change exactly once, in order, also when changes are made between calls.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RegisteredSite, SurveyRecord } from '$lib/domain/schemas/index.js';
import { newFind, TestServer } from './harness.js';
import { offset } from '../fixtures/builders.js';

type Change =
	| {
			type: 'record';
			id: string;
			status: string;
			revision: number;
			comments: unknown[];
			at: string;
	  }
	| { type: 'site'; site: RegisteredSite; at: string };
type Page = { changes: Change[]; cursor: string; more: boolean };

let server: TestServer;
let surveyor: string;
let reviewer: string;
let sites: RegisteredSite[];
/** Records pushed so far, in push order. */
const pushed: SurveyRecord[] = [];

async function pushMany(count: number, token = surveyor): Promise<void> {
	for (let done = 0; done < count;) {
		const batch = Array.from({ length: Math.min(50, count - done) }, (_, i) => {
			const s = sites[(done + i) % sites.length]!;
			// spread out, so QC neighbours stay few
			return newFind('150625', offset(s.location, 700 + (done + i) * 3, 900));
		});
		const results = await server.push(token, batch);
		expect(results.every((r) => r.status === 'accepted' && r.revision === 1)).toBe(true);
		pushed.push(...batch);
		done += batch.length;
	}
}

async function pull(token: string, since: string, limit?: number): Promise<Page> {
	const query = new URLSearchParams();
	if (since) query.set('since', since);
	if (limit) query.set('limit', String(limit));
	const response = await server.get(`/api/sync/pull?${query}`, token);
	expect(response.status, response.text).toBe(200);
	const page = response.json as Page;
	expect(typeof page.cursor).toBe('string');
	expect(typeof page.more).toBe('boolean');
	return page;
}

const keyOf = (c: Change) =>
	c.type === 'site' ? `site:${c.site.code}` : `record:${c.id}:${c.revision}`;

beforeAll(async () => {
	server = await TestServer.start();
	surveyor = await server.as('surveyor-150625');
	reviewer = await server.as('reviewer-150625');
	sites = await server.sites('150625');
	expect(sites.length).toBeGreaterThan(100);
	// seeded sites plus pushed records: well over one page
	await pushMany(330);
});
afterAll(async () => {
	await server?.stop();
});

describe('pull paging', () => {
	it('returns every change exactly once, in order, across pages and changes made between calls', async () => {
		const seen: Change[] = [];
		const first = await pull(reviewer, '');
		expect(first.changes).toHaveLength(500);
		expect(first.more).toBe(true);
		seen.push(...first.changes);

		// changes made between calls: new records, a decision on an early one, a re-push
		await pushMany(20);
		const decided = pushed[3]!;
		const decision = await server.post(
			`/api/records/${decided.id}/decision`,
			{ decision: 'return', revision: 1, comments: [{ message: '请补拍全景照片' }] },
			reviewer
		);
		expect(decision.status).toBe(200);
		const repushed = { ...decided, baseRevision: 2, description: `${decided.description}补。` };
		expect(await server.pushOne(surveyor, repushed)).toMatchObject({
			status: 'accepted',
			revision: 3
		});

		let cursor = first.cursor;
		let more = first.more;
		let calls = 1;
		while (more) {
			const page = await pull(reviewer, cursor);
			expect(page.changes.length).toBeLessThanOrEqual(500);
			seen.push(...page.changes);
			expect(Number(page.cursor)).toBeGreaterThan(Number(cursor));
			cursor = page.cursor;
			more = page.more;
			expect(++calls).toBeLessThan(10);
		}
		// nothing after the end
		const end = await pull(reviewer, cursor);
		expect(end).toEqual({ changes: [], cursor, more: false });

		const keys = seen.map(keyOf);
		expect(new Set(keys).size).toBe(keys.length);
		// every site of the county, once, before any record (they were seeded first)
		const siteKeys = keys.filter((k) => k.startsWith('site:'));
		expect(siteKeys.sort()).toEqual(sites.map((s) => `site:${s.code}`).sort());
		const lastSite = keys.findLastIndex((k) => k.startsWith('site:'));
		expect(lastSite).toBe(sites.length - 1);
		// every pushed record's revision 1, in push order, then the decision and the re-push
		const expected = [
			...pushed.map((r) => `record:${r.id}:1`),
			`record:${decided.id}:2`,
			`record:${decided.id}:3`
		];
		expect(keys.slice(sites.length)).toEqual(expected);
		expect(seen).toHaveLength(sites.length + 350 + 2);
		const returned = seen.find((c) => keyOf(c) === `record:${decided.id}:2`);
		expect(returned).toMatchObject({
			status: 'returned',
			comments: [{ message: '请补拍全景照片', by: 'reviewer-150625' }]
		});
	});

	it('pages the same feed in small pages (limit extension) without gaps or repeats', async () => {
		const whole: Change[] = [];
		let cursor = '';
		for (let calls = 0; ; calls++) {
			expect(calls).toBeLessThan(100);
			const page = await pull(reviewer, cursor, 37);
			expect(page.changes.length).toBeLessThanOrEqual(37);
			whole.push(...page.changes);
			cursor = page.cursor;
			if (!page.more) break;
			expect(page.changes).toHaveLength(37);
		}
		const once = await pull(reviewer, '');
		const all = [...once.changes];
		let c = once.cursor;
		let more = once.more;
		while (more) {
			const page = await pull(reviewer, c);
			all.push(...page.changes);
			c = page.cursor;
			more = page.more;
		}
		expect(whole.map(keyOf)).toEqual(all.map(keyOf));
		expect(cursor).toBe(c);
	});

	it('gives a surveyor only its own records’ changes (and its counties’ sites)', async () => {
		// a record of the county that this surveyor did not push
		const teammate = await server.secondSurveyor('150625');
		const foreign = newFind('150625', offset(sites[0]!.location, -2500, -2500));
		expect((await server.pushOne(teammate, foreign)).status).toBe('accepted');

		const seen: Change[] = [];
		let cursor = '';
		for (;;) {
			const page = await pull(surveyor, cursor);
			seen.push(...page.changes);
			cursor = page.cursor;
			if (!page.more) break;
		}
		const recordIds = new Set(seen.flatMap((c) => (c.type === 'record' ? [c.id] : [])));
		expect(recordIds.has(foreign.id)).toBe(false);
		expect(recordIds).toEqual(new Set(pushed.map((r) => r.id)));
		expect(seen.filter((c) => c.type === 'site')).toHaveLength(sites.length);
		for (const c of seen) if (c.type === 'site') expect(c.site.countyCode).toBe('150625');

		// the reviewer does see it
		const reviewerIds: string[] = [];
		let rc = '';
		for (;;) {
			const page = await pull(reviewer, rc);
			for (const ch of page.changes) if (ch.type === 'record') reviewerIds.push(ch.id);
			rc = page.cursor;
			if (!page.more) break;
		}
		expect(reviewerIds).toContain(foreign.id);

		// a surveyor of another county sees none of these
		const other = await pull(await server.as('surveyor-150627'), '');
		expect(other.changes.some((c) => c.type === 'record')).toBe(false);
		expect(other.changes.every((c) => c.type === 'site' && c.site.countyCode === '150627')).toBe(
			true
		);
	});
});

describe('registry ?since=', () => {
	it('gives nothing new after the returned cursor', async () => {
		const all = await server.get('/api/registry', reviewer);
		expect(all.status).toBe(200);
		const body = all.json as { sites: RegisteredSite[]; cursor: string };
		expect(body.sites.map((s) => s.code).sort()).toEqual(sites.map((s) => s.code).sort());
		expect(typeof body.cursor).toBe('string');

		const after = await server.get(`/api/registry?since=${body.cursor}`, reviewer);
		expect(after.status).toBe(200);
		expect(after.json).toEqual({ sites: [], cursor: body.cursor });
		const afterCounty = await server.get(
			`/api/registry?county=150625&since=${body.cursor}`,
			reviewer
		);
		expect(afterCounty.json).toEqual({ sites: [], cursor: body.cursor });
		// records pushed meanwhile are not registry changes
		await pushMany(3);
		const still = await server.get(`/api/registry?since=${body.cursor}`, reviewer);
		expect((still.json as { sites: unknown[] }).sites).toEqual([]);
		// since=0 is everything again
		const zero = await server.get('/api/registry?since=0', reviewer);
		expect((zero.json as { sites: unknown[] }).sites).toHaveLength(sites.length);
	});
});
