/**
 * QC findings in the push result, including the rules only the server can run in full because
 * they need other teams' records (qc-rules.md: DUP-001…DUP-004).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RegisteredSite } from '$lib/domain/schemas/index.js';
import { newFind, recheckOf, rules, TestServer } from './harness.js';
import { offset } from '../fixtures/builders.js';

let server: TestServer;
let surveyor: string;
let reviewer: string;
let sites: RegisteredSite[];
let nextSite = 0;
const site = () => sites[nextSite++]!;

beforeAll(async () => {
	server = await TestServer.start();
	surveyor = await server.as('surveyor-150624');
	reviewer = await server.as('reviewer-150624');
	sites = await server.sites('150624');
	expect(sites.length).toBeGreaterThan(20);
});
afterAll(async () => {
	await server?.stop();
});

const findingsOf = (result: { findings?: { rule: string }[] }, rule: string) =>
	(result.findings ?? []).filter((f) => f.rule === rule) as {
		rule: string;
		severity: string;
		message: string;
		path?: string;
	}[];

describe('DUP-003: the same photo in two records', () => {
	it('is an error on the later record, naming the photo and the other record', async () => {
		const [shared, second, third] = await server.uploadPhotos(surveyor, 3);
		const first = recheckOf(site(), [shared!, second!]);
		const r1 = await server.pushOne(surveyor, first);
		expect(r1.status).toBe('accepted');
		expect(rules(r1)).not.toContain('DUP-003');

		const later = recheckOf(site(), [third!, shared!]);
		const r2 = await server.pushOne(surveyor, later);
		expect(r2.status).toBe('accepted');
		const dup = findingsOf(r2, 'DUP-003');
		expect(dup).toHaveLength(1);
		expect(dup[0]).toMatchObject({ severity: 'error', path: 'photos.1' });
		expect(dup[0]?.message).toContain(shared!.slice(0, 12));
		expect(dup[0]?.message).toContain(first.id.slice(0, 8));
		// stored with the revision: the reviewer sees it
		const stored = await server.record(later.id, reviewer);
		expect(stored.body.findings.map((f) => f.rule)).toContain('DUP-003');
		// the earlier record keeps its own findings
		expect((await server.record(first.id, reviewer)).body.findings).toEqual([]);
	});

	it('does not fire against the record’s own earlier revision', async () => {
		const photos = await server.uploadPhotos(surveyor, 2);
		const record = recheckOf(site(), photos);
		expect((await server.pushOne(surveyor, record)).findings).toEqual([]);
		const next = await server.pushOne(surveyor, {
			...record,
			baseRevision: 1,
			address: `${record.address}（补）`
		});
		expect(next.status).toBe('accepted');
		expect(rules(next)).not.toContain('DUP-003');
		expect(rules(next)).not.toContain('DUP-004');
	});
});

describe('DUP-004: two records re-checking one site', () => {
	it('is a warning on the later record, even from another surveyor of the county', async () => {
		const target = site();
		const one = recheckOf(target, await server.uploadPhotos(surveyor, 2));
		expect(await server.pushOne(surveyor, one)).toMatchObject({ status: 'accepted', findings: [] });
		// a second team: another surveyor of the same county
		const other = await server.secondSurveyor(target.countyCode);
		const two = recheckOf(target, await server.uploadPhotos(other, 2));
		const result = await server.pushOne(other, two);
		expect(result.status).toBe('accepted');
		const dup = findingsOf(result, 'DUP-004');
		expect(dup).toHaveLength(1);
		expect(dup[0]).toMatchObject({ severity: 'warning', path: 'siteCode' });
		expect(dup[0]?.message).toContain(one.id.slice(0, 8));
	});
});

describe('DUP-001: a new find within 100 m of a registered site of its category', () => {
	it('warns, naming the site; the same place with another category does not', async () => {
		const near = site();
		const at = offset(near.location, 40, 30);
		const photos = await server.uploadPhotos(surveyor, 2);
		const same = newFind('150624', at, photos, {
			category: near.category,
			subcategory: near.subcategory,
			era: near.era,
			eraGroup: near.eraGroup
		});
		const result = await server.pushOne(surveyor, same);
		expect(result.status).toBe('accepted');
		const dup = findingsOf(result, 'DUP-001');
		expect(dup.length).toBeGreaterThanOrEqual(1);
		expect(dup[0]?.severity).toBe('warning');
		expect(dup.map((f) => f.message).join('\n')).toContain(near.name);

		const otherCategory = near.category === '古墓葬' ? '古文化遗址' : '古墓葬';
		const otherSub = otherCategory === '古墓葬' ? '普通墓葬' : '聚落址';
		const different = newFind(
			'150624',
			offset(near.location, -40, -30),
			await server.uploadPhotos(surveyor, 2),
			{
				category: otherCategory,
				subcategory: otherSub,
				era: '汉',
				eraGroup: '战国秦汉'
			}
		);
		const other = await server.pushOne(surveyor, different);
		expect(other.status).toBe('accepted');
		expect(rules(other)).not.toContain('DUP-001');
	});

	it('warns about another record of the category within 100 m', async () => {
		const base = offset(site().location, 3000, -3000);
		const first = newFind('150624', base, await server.uploadPhotos(surveyor, 2));
		const r1 = await server.pushOne(surveyor, first);
		expect(r1.status).toBe('accepted');
		expect(rules(r1)).not.toContain('DUP-001');
		const second = newFind('150624', offset(base, 50, 0), await server.uploadPhotos(surveyor, 2));
		const r2 = await server.pushOne(surveyor, second);
		const dup = findingsOf(r2, 'DUP-001');
		expect(dup).toHaveLength(1);
		expect(dup[0]?.message).toContain(first.id.slice(0, 8));
	});
});

describe('DUP-002: the same name in the county', () => {
	it('warns when a new find takes the name of a registered site', async () => {
		const named = site();
		const record = newFind(
			'150624',
			offset(named.location, 5000, 5000),
			await server.uploadPhotos(surveyor, 2),
			{ name: named.name }
		);
		const result = await server.pushOne(surveyor, record);
		expect(result.status).toBe('accepted');
		const dup = findingsOf(result, 'DUP-002');
		expect(dup).toHaveLength(1);
		expect(dup[0]?.severity).toBe('warning');
		expect(dup[0]?.message).toContain(named.code);
	});

	it('warns when two records share a name, but not for the site a 复查 re-checks', async () => {
		const name = `同名测试遗址${Date.now()}`;
		const a = newFind(
			'150624',
			offset(site().location, 4000, 0),
			await server.uploadPhotos(surveyor, 2),
			{
				name
			}
		);
		const b = newFind(
			'150624',
			offset(site().location, -4000, 0),
			await server.uploadPhotos(surveyor, 2),
			{
				name
			}
		);
		expect(rules(await server.pushOne(surveyor, a))).not.toContain('DUP-002');
		const rb = await server.pushOne(surveyor, b);
		expect(findingsOf(rb, 'DUP-002')).toHaveLength(1);
		expect(findingsOf(rb, 'DUP-002')[0]?.message).toContain(a.id.slice(0, 8));
		// a 复查 keeps its site's name: no DUP-002 for that
		const recheck = recheckOf(site(), await server.uploadPhotos(surveyor, 2));
		expect(rules(await server.pushOne(surveyor, recheck))).not.toContain('DUP-002');
	});
});

describe('other findings come back in the push result', () => {
	it('returns CAT-001, ERA-001 and CHG-001 errors for a record that breaks them', async () => {
		const photos = await server.uploadPhotos(surveyor, 2);
		const record = recheckOf(site(), photos, {
			category: '古墓葬',
			subcategory: '聚落址',
			eraGroup: '中华人民共和国',
			changeType: '消失',
			lostReason: ''
		});
		const result = await server.pushOne(surveyor, record);
		expect(result.status).toBe('accepted');
		expect(rules(result)).toEqual(expect.arrayContaining(['CAT-001', 'ERA-001', 'CHG-001']));
		for (const rule of ['CAT-001', 'ERA-001', 'CHG-001']) {
			expect(findingsOf(result, rule)[0]?.severity).toBe('error');
		}
	});

	it('returns LOC-001 for a location far outside the county', async () => {
		const other = (await server.sites('150602'))[0]!;
		const record = newFind('150624', other.location, await server.uploadPhotos(surveyor, 2));
		const result = await server.pushOne(surveyor, record);
		expect(result.status).toBe('accepted');
		expect(findingsOf(result, 'LOC-001')[0]?.severity).toBe('error');
	});
});
