/**
 * POST /api/sync/push: every result status of contract §3 and the push rules, observed as a
 * client observes them (the results, GET /api/records/{id}) and in the database snapshot.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RegisteredSite, SurveyRecord } from '$lib/domain/schemas/index.js';
import { newFind, recheckOf, rules, TestServer } from './harness.js';
import { offset } from '../fixtures/builders.js';

let server: TestServer;
let surveyor: string;
let reviewer: string;
let sites: RegisteredSite[];
/** Sites handed out one per test, so no two tests re-check the same site. */
let nextSite = 0;
const site = () => sites[nextSite++]!;

beforeAll(async () => {
	server = await TestServer.start();
	surveyor = await server.as('surveyor-150627');
	reviewer = await server.as('reviewer-150627');
	sites = await server.sites('150627');
	expect(sites.length).toBeGreaterThan(10);
});
afterAll(async () => {
	await server?.stop();
});

/** A clean 复查 with two uploaded photos. */
async function cleanRecheck(overrides: Partial<SurveyRecord> = {}): Promise<SurveyRecord> {
	return recheckOf(site(), await server.uploadPhotos(surveyor, 2), overrides);
}

describe('accepted', () => {
	it('stores a new record as revision 1 and returns its QC findings', async () => {
		const record = await cleanRecheck();
		const result = await server.pushOne(surveyor, record);
		expect(result).toEqual({ id: record.id, status: 'accepted', revision: 1, findings: [] });

		const stored = await server.record(record.id, reviewer);
		expect(stored.status).toBe(200);
		expect(stored.body.status).toBe('submitted');
		expect(stored.body.revision).toBe(1);
		expect(stored.body.record.name).toBe(record.name);
		expect(stored.body.history).toEqual([
			{
				revision: 1,
				at: expect.any(String),
				by: 'surveyor-150627',
				action: 'push',
				status: 'submitted',
				comments: [],
				// the first push "changes" every field it fills in
				changed: expect.arrayContaining(['kind', 'location', 'name', 'photos', 'siteCode'])
			}
		]);
		const changed = (stored.body.history as unknown as { changed: string[] }[])[0]!.changed;
		expect(changed).not.toContain('updatedAt');
		expect(changed).not.toContain('baseRevision');
	});

	it('returns the findings of an incomplete record and still stores it', async () => {
		const s = site();
		const record = newFind('150627', offset(s.location, 3000, 0), [], {
			description: '',
			surveyors: []
		});
		const result = await server.pushOne(surveyor, record);
		expect(result.status).toBe('accepted');
		expect(result.revision).toBe(1);
		expect(rules(result)).toEqual(expect.arrayContaining(['REQ-001', 'PHO-001']));
		for (const finding of result.findings ?? []) {
			expect(['error', 'warning']).toContain(finding.severity);
			expect(finding.message.length).toBeGreaterThan(0);
		}
		const stored = await server.record(record.id, reviewer);
		expect(stored.body.findings.map((f) => f.rule)).toEqual(rules(result));
	});

	it('accepts a new id as revision 1 whatever its baseRevision says', async () => {
		const record = await cleanRecheck({ baseRevision: 42 });
		const result = await server.pushOne(surveyor, record);
		expect(result.status).toBe('accepted');
		expect(result.revision).toBe(1);
		expect((await server.record(record.id, reviewer)).body.revision).toBe(1);
	});
});

describe('unchanged', () => {
	it('answers an identical retry with the current revision and writes nothing', async () => {
		const record = await cleanRecheck();
		expect((await server.pushOne(surveyor, record)).status).toBe('accepted');
		const before = await server.snapshot();
		const retry = await server.pushOne(surveyor, record);
		expect(retry).toMatchObject({ id: record.id, status: 'unchanged', revision: 1 });
		expect(await server.snapshot()).toEqual(before);
	});

	it('ignores key order, updatedAt and baseRevision', async () => {
		const record = await cleanRecheck();
		expect((await server.pushOne(surveyor, record)).status).toBe('accepted');
		const before = await server.snapshot();
		// every key in reverse order, nested ones too
		const reversed = (value: unknown): unknown => {
			if (Array.isArray(value)) return value.map(reversed);
			if (value && typeof value === 'object') {
				return Object.fromEntries(
					Object.entries(value)
						.reverse()
						.map(([k, v]) => [k, reversed(v)])
				);
			}
			return value;
		};
		const same = {
			...(reversed(record) as SurveyRecord),
			updatedAt: '2030-01-01T00:00:00+08:00',
			baseRevision: 7
		};
		expect(Object.keys(same)[0]).not.toBe(Object.keys(record)[0]);
		const result = await server.pushOne(surveyor, same);
		expect(result).toMatchObject({ id: record.id, status: 'unchanged', revision: 1 });
		expect(await server.snapshot()).toEqual(before);
	});

	it('treats absent, null, "" and [] alike', async () => {
		const record = await cleanRecheck({ usageNote: '', specialLists: [] });
		expect((await server.pushOne(surveyor, record)).status).toBe('accepted');
		const { usageNote: _u, specialLists: _s, ...rest } = record;
		const result = await server.pushOne(surveyor, {
			...rest,
			industry: null,
			village: record.village
		});
		expect(result.status).toBe('unchanged');
	});
});

describe('conflict', () => {
	it('answers a stale baseRevision with the current record, its status and revision', async () => {
		const record = await cleanRecheck();
		expect((await server.pushOne(surveyor, record)).revision).toBe(1);
		const second = { ...record, baseRevision: 1, address: `${record.address}（第二版）` };
		expect(await server.pushOne(surveyor, second)).toMatchObject({
			status: 'accepted',
			revision: 2
		});
		const before = await server.snapshot();
		const stale = { ...record, baseRevision: 1, address: `${record.address}（另一台设备）` };
		const result = await server.pushOne(surveyor, stale);
		expect(result.status).toBe('conflict');
		expect(result.id).toBe(record.id);
		expect(result.current).toMatchObject({
			id: record.id,
			address: second.address,
			status: 'submitted',
			revision: 2
		});
		expect(await server.snapshot()).toEqual(before);
		// and the stored record is still the second version
		const stored = await server.record(record.id, reviewer);
		expect(stored.body.record.address).toBe(second.address);
		expect(stored.body.revision).toBe(2);
	});
});

describe('rejected', () => {
	async function expectRejected(record: unknown, path: string) {
		const before = await server.snapshot();
		const result = await server.pushOne(surveyor, record);
		expect(result.status).toBe('rejected');
		expect(result.issues?.length).toBeGreaterThan(0);
		expect(result.issues?.map((i) => i.path)).toContain(path);
		for (const issue of result.issues ?? []) expect(issue.message.length).toBeGreaterThan(0);
		expect(result.revision).toBeUndefined();
		expect(await server.snapshot()).toEqual(before);
		return result;
	}

	it('rejects an invalid record', async () => {
		const record = await cleanRecheck();
		const result = await expectRejected({ ...record, condition: '很好' }, 'condition');
		expect(result.id).toBe(record.id);
		expect((await server.record(record.id, reviewer)).status).toBe(404);
	});

	it('rejects a record naming a photo the server does not hold', async () => {
		const record = await cleanRecheck();
		const missing = 'ab'.repeat(32);
		record.photos[1] = { ...record.photos[1]!, sha256: missing };
		const result = await expectRejected(record, 'photos.1');
		expect(result.issues?.find((i) => i.path === 'photos.1')?.message).toContain('abababababab');
	});

	it('rejects a record of a county outside the user’s list', async () => {
		const other = (await server.sites('150602'))[0]!;
		const photos = await server.uploadPhotos(surveyor, 2);
		await expectRejected(recheckOf(other, photos), 'countyCode');
		const find = newFind('150602', offset(other.location, 2000, 0), photos);
		await expectRejected(find, 'countyCode');
	});

	it('rejects a 复查 whose siteCode is not registered', async () => {
		const record = await cleanRecheck({ siteCode: '150627-9999' });
		await expectRejected(record, 'siteCode');
	});

	it('rejects a 复查 of a site of another county', async () => {
		const other = (await server.sites('150602'))[0]!;
		const record = await cleanRecheck({ siteCode: other.code });
		await expectRejected(record, 'siteCode');
	});

	it('rejects a change to a record the county reviewer approved (locked), but not a retry', async () => {
		const record = await cleanRecheck();
		expect((await server.pushOne(surveyor, record)).status).toBe('accepted');
		const decision = await server.post(
			`/api/records/${record.id}/decision`,
			{ decision: 'approve', revision: 1, comments: [] },
			reviewer
		);
		expect(decision.status).toBe(200);
		expect(decision.json).toEqual({ status: 'county_approved', revision: 2 });
		const changed = { ...record, baseRevision: 2, address: `${record.address}（改）` };
		await expectRejected(changed, '');
		// a retry of the very content it holds is still only a retry
		expect((await server.pushOne(surveyor, record)).status).toBe('unchanged');
		const stored = await server.record(record.id, reviewer);
		expect(stored.body.status).toBe('county_approved');
		expect(stored.body.revision).toBe(2);
	});
});

describe('push rules', () => {
	it('returns a returned record to submitted when pushed with baseRevision = its revision', async () => {
		const record = await cleanRecheck();
		expect((await server.pushOne(surveyor, record)).revision).toBe(1);
		const returned = await server.post(
			`/api/records/${record.id}/decision`,
			{ decision: 'return', revision: 1, comments: [{ path: 'address', message: '地址请写到村' }] },
			reviewer
		);
		expect(returned.json).toEqual({ status: 'returned', revision: 2 });

		// stale: the device edited revision 1
		const stale = await server.pushOne(surveyor, {
			...record,
			baseRevision: 1,
			address: `${record.address}（改）`
		});
		expect(stale.status).toBe('conflict');
		expect(stale.current).toMatchObject({ status: 'returned', revision: 2 });

		const fixed = { ...record, baseRevision: 2, address: `${record.address}（改）` };
		expect(await server.pushOne(surveyor, fixed)).toMatchObject({
			status: 'accepted',
			revision: 3
		});
		const stored = await server.record(record.id, reviewer);
		expect(stored.body.status).toBe('submitted');
		expect(stored.body.revision).toBe(3);
		expect(stored.body.history.map((h) => h.action)).toEqual(['push', 'return', 'push']);
	});

	it('keeps a submitted record submitted when pushed again', async () => {
		const record = await cleanRecheck();
		await server.pushOne(surveyor, record);
		const again = await server.pushOne(surveyor, {
			...record,
			baseRevision: 1,
			address: `${record.address}（补）`
		});
		expect(again).toMatchObject({ status: 'accepted', revision: 2 });
		expect((await server.record(record.id, reviewer)).body.status).toBe('submitted');
	});

	it('handles records in order, so a repeated id meets the first', async () => {
		const a = await cleanRecheck();
		const b = await cleanRecheck();
		const c = await cleanRecheck();
		const invalid = { ...(await cleanRecheck()), kind: '不存在' };
		const results = await server.push(surveyor, [
			a,
			a,
			b,
			{ ...b, baseRevision: 1, address: `${b.address}（二）` },
			c,
			{ ...c, baseRevision: 0, address: `${c.address}（冲突）` },
			invalid
		]);
		expect(results.map((r) => [r.id, r.status, r.revision])).toEqual([
			[a.id, 'accepted', 1],
			[a.id, 'unchanged', 1],
			[b.id, 'accepted', 1],
			[b.id, 'accepted', 2],
			[c.id, 'accepted', 1],
			[c.id, 'conflict', 1],
			[invalid.id, 'rejected', undefined]
		]);
		expect(results[5]?.current).toMatchObject({ address: c.address, revision: 1 });
	});

	it('answers one result per record, in request order, ids echoed even for rejects', async () => {
		const ids = [randomUUID(), randomUUID(), randomUUID()];
		const results = await server.push(surveyor, [
			{ id: ids[0] },
			'not a record',
			{ ...newFind('150627', offset(sites[0]!.location, 4000, 0)), id: ids[2] }
		]);
		expect(results.map((r) => r.status)).toEqual(['rejected', 'rejected', 'accepted']);
		expect(results[0]?.id).toBe(ids[0]);
		expect(results[2]?.id).toBe(ids[2]);
	});
});
