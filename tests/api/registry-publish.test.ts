/**
 * Publishing the registry (issue 13 point 3; contract §3 and §5 *Publishing*): a city reviewer
 * publishes every accepted record as a numbered, immutable version; new finds get codes that
 * continue their county's sequence; 消失 sites stay, marked lost with the reason; every site
 * leads back to its record revision and decisions (the issue's done-when); two versions compare.
 * Every refusal changes nothing. One server: the steps build on each other, in order.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RegisteredSite, SurveyRecord } from '$lib/domain/schemas/index.js';
import {
	PublishResponseSchema,
	RegistryVersionListResponseSchema,
	VersionCompareResponseSchema,
	VersionResponseSchema,
	VersionSiteResponseSchema,
	type VersionCompareResponse,
	type VersionSiteResponse
} from '$lib/domain/sync/wire.js';
import { verifyAudit } from '$lib/server/audit-verify.js';
import { newFind, recheckOf, TestServer, type ApiResponse, type County } from './harness.js';

let server: TestServer;
let city: string;
let reviewer22: string;
let reviewer23: string;
let surveyor22: string;
let surveyor23: string;
let sites22: RegisteredSite[];
let sites23: RegisteredSite[];

const highestCode = (sites: RegisteredSite[]) =>
	sites
		.map((s) => s.code)
		.sort()
		.at(-1)!;
const plus = (code: string, n: number) =>
	`${code.slice(0, 7)}${String(Number(code.slice(7)) + n).padStart(4, '0')}`;

/** Pushes `records` as the county's surveyor, and has the county and the city approve them. */
const accept = (county: County, records: SurveyRecord[]) =>
	server.acceptRecords(county, records, '名录发布测试：同意');

function expectError(response: ApiResponse, status: number, text?: RegExp) {
	expect(response.status, response.text).toBe(status);
	const body = response.json as { error: string };
	expect(body.error).toMatch(/[\u4e00-\u9fff]/);
	if (text) expect(body.error).toMatch(text);
}

const publish = (note: unknown, token = city) =>
	server.post('/api/registry/publish', note === undefined ? {} : { note }, token);

async function siteOf(version: number, code: string, token = city): Promise<VersionSiteResponse> {
	const response = await server.get(`/api/registry/versions/${version}/sites/${code}`, token);
	expect(response.status, response.text).toBe(200);
	return VersionSiteResponseSchema.parse(response.json);
}

async function compare(a: number, b: number, token = city): Promise<VersionCompareResponse> {
	const response = await server.get(`/api/registry/versions/${a}/compare/${b}`, token);
	expect(response.status, response.text).toBe(200);
	return VersionCompareResponseSchema.parse(response.json);
}

beforeAll(async () => {
	server = await TestServer.start();
	city = await server.as('city');
	reviewer22 = await server.as('reviewer-150622');
	reviewer23 = await server.as('reviewer-150623');
	surveyor22 = await server.as('surveyor-150622');
	surveyor23 = await server.as('surveyor-150623');
	sites22 = await server.sites('150622');
	sites23 = await server.sites('150623');
}, 120_000);
afterAll(async () => {
	await server?.stop();
});

// batch 1 (version 1)
let renamed: SurveyRecord; // 复查 of sites22[0] with a new name
let vanished: SurveyRecord; // 复查 of sites22[1]: 消失
let finds22: SurveyRecord[]; // two new finds, accepted in this order
let find23: SurveyRecord;
let pending: SurveyRecord; // pushed, not accepted
// batch 2 (version 2)
let find22b: SurveyRecord;
let vanished2: SurveyRecord; // 复查 of sites22[2]: 消失
let changed2: SurveyRecord; // 复查 of sites22[3]: new condition and era

describe('publishing the registry', () => {
	it('with nothing accepted: 422, and nothing is written', async () => {
		const before = await server.snapshot();
		expectError(await publish('第一次发布'), 422, /没有可公布的记录/);
		expect(await server.snapshot()).toEqual(before);
		const list = await server.get('/api/registry/versions', city);
		expect(RegistryVersionListResponseSchema.parse(list.json).versions).toEqual([]);
		expectError(await server.get('/api/registry/versions/1', city), 404);
	});

	it('is for the city reviewer alone: others get 403, a bad body 400, and nothing changes', async () => {
		renamed = recheckOf(sites22[0]!, [], {
			name: `${sites22[0]!.name}（更名）`,
			changeType: '变更类型'
		});
		vanished = recheckOf(sites22[1]!, [], { changeType: '消失', lostReason: '2019年修路时被推平' });
		finds22 = [
			newFind('150622', { lat: 39.8, lon: 110.9 }),
			newFind('150622', { lat: 39.81, lon: 110.91 })
		];
		find23 = newFind('150623', { lat: 38.5, lon: 107.5 });
		await accept('150622', [renamed, vanished]);
		await accept('150622', [finds22[0]!]);
		await accept('150622', [finds22[1]!]);
		await accept('150623', [find23]);
		pending = newFind('150622', { lat: 39.7, lon: 110.8 });
		expect((await server.pushOne(surveyor22, pending)).status).toBe('accepted');

		const before = await server.snapshot();
		expectError(await publish('旗区不能发布', reviewer22), 403, /市级审核员/);
		expectError(await publish('调查员不能发布', surveyor22), 403);
		expectError(await publish(undefined), 400, /发布说明/);
		expectError(await publish('   '), 400);
		expectError(await publish('x'.repeat(2001)), 400);
		const extra = await server.post('/api/registry/publish', { note: 'x', version: 5 }, city);
		expectError(extra, 400);
		const noLogin = await server.post('/api/registry/publish', { note: 'x' });
		expect(noLogin.status).toBe(401);
		expect(await server.snapshot()).toEqual(before);
	});

	it('publishes every accepted record as version 1, and the records become published', async () => {
		const response = await publish('2025年第一批：市局审核通过的记录');
		expect(response.status, response.text).toBe(200);
		const body = PublishResponseSchema.parse(response.json);
		expect(body).toMatchObject({ version: 1, count: 5 });

		const list = RegistryVersionListResponseSchema.parse(
			(await server.get('/api/registry/versions', reviewer23)).json
		).versions;
		expect(list).toHaveLength(1);
		expect(list[0]).toMatchObject({
			version: 1,
			publishedBy: 'city',
			note: '2025年第一批：市局审核通过的记录',
			records: 5,
			sites: body.sites,
			added: 3,
			lost: 1
		});
		expect(list[0]!.publishedAt).toMatch(/^\d{4}-\d{2}-\d{2}T/);
		// the imported registry is all in it, with the three new finds
		const imported = (await server.get('/api/registry?county=150622', city)).json as {
			sites: unknown[];
		};
		expect(imported.sites.length).toBe(sites22.length);
		expect(body.sites).toBeGreaterThanOrEqual(sites22.length + sites23.length + 3);

		for (const record of [renamed, vanished, ...finds22, find23]) {
			const { body: read } = await server.record(record.id, city);
			expect(read.status).toBe('published');
			expect(read.revision).toBe(4);
			expect(read.history.at(-1)).toMatchObject({ revision: 4, by: 'city', action: 'publish' });
		}
		expect((await server.record(pending.id, city)).body.status).toBe('submitted');

		// the author's device pulls the outcome, with the version and the site's code
		const pull = (await server.get('/api/sync/pull', surveyor22)).json as {
			changes: { type: string; id?: string; status?: string; registry?: unknown }[];
		};
		const outcome = pull.changes.filter((c) => c.id === finds22[0]!.id).at(-1);
		expect(outcome).toMatchObject({
			status: 'published',
			registry: { version: 1, code: plus(highestCode(sites22), 1) }
		});
		// the audit chain holds the publish revisions, and is intact
		const verdict = await verifyAudit({
			dataDir: server.dataDir,
			url: server.databaseEnv.DATABASE_URL
		});
		expect(verdict.ok, JSON.stringify(verdict)).toBe(true);
	});

	it('new finds get their county’s next codes, in the order the city accepted them', async () => {
		const first = plus(highestCode(sites22), 1);
		const second = plus(highestCode(sites22), 2);
		for (const [code, record] of [
			[first, finds22[0]!],
			[second, finds22[1]!],
			[plus(highestCode(sites23), 1), find23]
		] as const) {
			const { site, lineage } = await siteOf(1, code);
			expect(site).toMatchObject({
				code,
				countyCode: record.countyCode,
				name: record.name,
				lost: false,
				source: 'record',
				recordId: record.id,
				sinceVersion: 1
			});
			expect(site.location).toMatchObject({
				lat: record.location.lat,
				lon: record.location.lon
			});
			expect(lineage).toMatchObject({ source: 'record', recordId: record.id });
		}
	});

	it('lineage: a published site leads back to its record revision and its decisions', async () => {
		const code = sites22[0]!.code;
		const { site, lineage } = await siteOf(1, code, reviewer22);
		expect(site.name).toBe(renamed.name);
		expect(lineage.source).toBe('record');
		if (lineage.source !== 'record') return;
		expect(lineage).toMatchObject({
			recordId: renamed.id,
			kind: '复查',
			revision: 1,
			publishedRevision: 4,
			publishedIn: 1
		});
		// follow it: the record's revision 1 is the push whose content the site holds
		const { body: record } = await server.record(lineage.recordId, reviewer22);
		const pushed = record.history.find((h) => h.revision === lineage.revision)!;
		expect(pushed).toMatchObject({ action: 'push', by: 'surveyor-150622' });
		expect(record.record.name).toBe(site.name);
		// the decisions: the county's approval, the city's, and the publication, with who and when
		expect(lineage.decisions.map((d) => [d.revision, d.action, d.by, d.status])).toEqual([
			[2, 'approve', 'reviewer-150622', 'county_approved'],
			[3, 'approve', 'city', 'accepted'],
			[4, 'publish', 'city', 'published']
		]);
		for (const decision of lineage.decisions)
			expect(decision.at).toBe(record.history.find((h) => h.revision === decision.revision)!.at);
		expect(lineage.history.map((h) => h.revision)).toEqual([1, 2, 3, 4]);

		// a site no record changed leads to the imported registry entry
		const untouched = sites22[5]!;
		const imported = await siteOf(1, untouched.code, reviewer22);
		expect(imported.lineage).toEqual({ source: 'import', since: 1 });
		const {
			lost: _,
			lostReason: __,
			source,
			recordId,
			recordRevision,
			sinceVersion,
			...fields
		} = imported.site;
		expect({ source, recordId, recordRevision, sinceVersion }).toEqual({
			source: 'import',
			recordId: null,
			recordRevision: null,
			sinceVersion: 1
		});
		expect(fields).toEqual(untouched);
	});

	it('a 消失 site stays in the version, marked lost with its reason', async () => {
		const { site } = await siteOf(1, sites22[1]!.code);
		expect(site).toMatchObject({
			code: sites22[1]!.code,
			lost: true,
			lostReason: '2019年修路时被推平',
			recordId: vanished.id
		});
	});

	it('reading is scoped by county, and for reviewers only', async () => {
		const code = sites22[0]!.code;
		expectError(await server.get(`/api/registry/versions/1/sites/${code}`, reviewer23), 404);
		expectError(await server.get(`/api/registry/versions/1/sites/${code}`, surveyor22), 403);
		expectError(await server.get('/api/registry/versions', surveyor22), 403);
		expectError(await server.get('/api/registry/versions/1', surveyor23), 403);
		expectError(await server.get('/api/registry/versions/1/compare/1', surveyor22), 403);
		expectError(await server.get('/api/registry/versions/1/sites/150622-99999', city), 404);
		expectError(await server.get('/api/registry/versions/2/sites/' + code, city), 404);
		expectError(await server.get('/api/registry/versions/abc', city), 404);
		expectError(await server.get('/api/registry/versions/1?county=150622', reviewer23), 403);
		expectError(await server.get('/api/registry/versions/1?county=999999', city), 400);
		expectError(await server.get('/api/registry/versions/1?limit=0', city), 400);
		expectError(await server.get('/api/registry/versions/1?after=x', city), 400);
		expectError(await server.get('/api/registry/versions/1?foo=1', city), 400);

		// a county reviewer reads its own counties' sites; pages follow each other in code order
		const all: string[] = [];
		let after: string | null = null;
		do {
			const response = await server.get(
				`/api/registry/versions/1?limit=100${after ? `&after=${after}` : ''}`,
				reviewer23
			);
			expect(response.status, response.text).toBe(200);
			const page = VersionResponseSchema.parse(response.json);
			all.push(...page.sites.map((s) => s.code));
			expect(page.sites.every((s) => s.countyCode === '150623')).toBe(true);
			after = page.next;
		} while (after);
		expect(all).toEqual([...all].sort());
		expect(all).toContain(plus(highestCode(sites23), 1));
		expect(all).toHaveLength(sites23.length + 1);
		// exact geometry for reviewers
		const page = VersionResponseSchema.parse(
			(await server.get('/api/registry/versions/1?county=150622&limit=5000', city)).json
		);
		const entry = page.sites.find((s) => s.code === sites22[5]!.code)!;
		expect(entry.location).toEqual(sites22[5]!.location);
	});

	it('version 2 continues the codes, keeps the lost site lost, and compares with version 1', async () => {
		find22b = newFind('150622', { lat: 39.82, lon: 110.92 });
		vanished2 = recheckOf(sites22[2]!, [], { changeType: '消失', lostReason: '被洪水冲毁' });
		changed2 = recheckOf(sites22[3]!, [], {
			condition: sites22[3]!.condition === '差' ? '好' : '差',
			era: '清代（复查）'
		});
		await accept('150622', [find22b, vanished2, changed2]);
		const v1Site = await siteOf(1, sites22[0]!.code);

		const response = await publish('第二批');
		expect(response.status, response.text).toBe(200);
		expect(PublishResponseSchema.parse(response.json)).toMatchObject({ version: 2, count: 3 });

		// the next code after both earlier ones: never reused
		const code = plus(highestCode(sites22), 3);
		const { site } = await siteOf(2, code);
		expect(site).toMatchObject({ recordId: find22b.id, sinceVersion: 2 });
		// the site lost in version 1 is still there, lost, with its reason, from its record
		expect((await siteOf(2, sites22[1]!.code)).site).toMatchObject({
			lost: true,
			lostReason: '2019年修路时被推平',
			recordId: vanished.id,
			sinceVersion: 1
		});
		// version 1 did not change
		expect(await siteOf(1, sites22[0]!.code)).toEqual(v1Site);
		expectError(await server.get(`/api/registry/versions/1/sites/${code}`, city), 404);

		const diff = await compare(1, 2);
		expect(diff.from).toBe(1);
		expect(diff.to).toBe(2);
		expect(diff.added).toEqual([{ code, countyCode: '150622', name: find22b.name, lost: false }]);
		expect(diff.removed).toEqual([]);
		expect(diff.lost).toHaveLength(1);
		expect(diff.lost[0]).toMatchObject({
			code: sites22[2]!.code,
			lostReason: '被洪水冲毁'
		});
		expect(diff.lost[0]!.changes).toContainEqual({ field: 'lost', from: false, to: true });
		const changed = diff.changed.find((c) => c.code === sites22[3]!.code)!;
		expect(changed.changes).toContainEqual({
			field: 'condition',
			from: sites22[3]!.condition,
			to: changed2.condition
		});
		expect(changed.changes).toContainEqual({
			field: 'era',
			from: sites22[3]!.era,
			to: '清代（复查）'
		});
		// sites of version 1 that version 2 kept as they were are not listed
		expect(diff.changed.map((c) => c.code)).not.toContain(sites22[0]!.code);
		expect(diff.changed.map((c) => c.code)).not.toContain(sites22[1]!.code);

		// backwards, the new site is removed; scoped: another county sees none of 150622
		expect((await compare(2, 1)).removed.map((r) => r.code)).toEqual([code]);
		const other = await compare(1, 2, reviewer23);
		expect([...other.added, ...other.lost, ...other.changed]).toEqual([]);
		expectError(await server.get('/api/registry/versions/1/compare/3', city), 404);

		const versions = RegistryVersionListResponseSchema.parse(
			(await server.get('/api/registry/versions', city)).json
		).versions;
		expect(versions.map((v) => v.version)).toEqual([2, 1]);
		expect(versions[0]).toMatchObject({
			records: 3,
			added: 1,
			lost: 1,
			changed: 1,
			note: '第二批'
		});
	});

	it('a version cannot be changed, and publishing with nothing new accepted is refused', async () => {
		const before = await server.snapshot();
		for (const method of ['PUT', 'PATCH', 'DELETE'])
			expect(
				(await server.request(method, '/api/registry/versions/1', { token: city })).status
			).toBe(405);
		expectError(await publish('没有新记录'), 422);
		expect(await server.snapshot()).toEqual(before);
	});
});
