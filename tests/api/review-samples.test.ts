/**
 * Spot checks (抽查, issue 12 point 5; contract §3 "Spot checks"): only a city reviewer draws,
 * lists, reads and concludes; a draw is reproducible from its seed; conclusions replace each
 * other with who and when; results per county; bad input writes nothing; a server backup carries
 * the draws to a restored server.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SurveyRecord } from '$lib/domain/schemas/index.js';
import {
	SampleConclusionResponseSchema,
	SampleListResponseSchema,
	SampleResponseSchema,
	type SampleResponse
} from '$lib/domain/sync/wire.js';
import { tableRows } from '$lib/server/db/copy.js';
import { dropDatabase, freshDatabase, recheckOf, TestServer, type ApiResponse } from './harness.js';

let server: TestServer;
let city: string;
let reviewer22: string;
let surveyor22: string;
/** 150622: approved by the county (county_approved), one of them accepted by the city. */
let approved22: SurveyRecord[];
let accepted22: SurveyRecord;
/** 150622: pushed, not yet decided (submitted): never drawn by default. */
let submitted22: SurveyRecord[];
/** 150623: approved by the county. */
let approved23: SurveyRecord[];

async function pushApproved(county: '150622' | '150623', count: number, approve: number) {
	const surveyor = await server.as(`surveyor-${county}`);
	const reviewer = await server.as(`reviewer-${county}`);
	const sites = (await server.sites(county)).slice(0, count);
	const records = sites.map((site) => recheckOf(site));
	const results = await server.push(surveyor, records);
	expect(results.map((r) => r.status)).toEqual(records.map(() => 'accepted'));
	for (const record of records.slice(0, approve)) {
		const decision = await server.post(
			`/api/records/${record.id}/decision`,
			{ decision: 'approve', revision: 1, comments: [{ message: '抽查测试：同意' }] },
			reviewer
		);
		expect(decision.status, decision.text).toBe(200);
	}
	return { approved: records.slice(0, approve), submitted: records.slice(approve) };
}

beforeAll(async () => {
	server = await TestServer.start();
	city = await server.as('city');
	reviewer22 = await server.as('reviewer-150622');
	surveyor22 = await server.as('surveyor-150622');
	const in22 = await pushApproved('150622', 7, 5);
	approved22 = in22.approved;
	submitted22 = in22.submitted;
	accepted22 = approved22[0]!;
	const accept = await server.post(
		`/api/records/${accepted22.id}/decision`,
		{ decision: 'approve', revision: 2, comments: [{ message: '抽查测试：市局通过' }] },
		city
	);
	expect(accept.status, accept.text).toBe(200);
	approved23 = (await pushApproved('150623', 3, 3)).approved;
}, 120_000);
afterAll(async () => {
	await server?.stop();
});

function expectError(response: ApiResponse, status: number, text?: RegExp) {
	expect(response.status, response.text).toBe(status);
	const body = response.json as { error: string };
	expect(body.error).toEqual(expect.any(String));
	// a message a person reads: in Chinese
	expect(body.error).toMatch(/[\u4e00-\u9fff]/);
	if (text) expect(body.error).toMatch(text);
}

async function drawn(body: unknown): Promise<SampleResponse> {
	const response = await server.post('/api/review/samples', body, city);
	expect(response.status, response.text).toBe(201);
	return SampleResponseSchema.parse(response.json);
}

const ids = (sample: SampleResponse) => sample.items.map((i) => i.recordId);

/** The stored draws and their records, read beside the server. */
async function stored(): Promise<string> {
	const store = await server.openStore();
	try {
		return JSON.stringify([
			await tableRows(store, 'review_samples'),
			await tableRows(store, 'review_sample_items')
		]);
	} finally {
		await store.close();
	}
}

describe('who may', () => {
	it('answers 403 to a county reviewer and a surveyor on every spot-check call, 401 without login', async () => {
		const sample = await drawn({ percent: 50, counties: ['150622'], seed: 'roles' });
		const before = await stored();
		const record = sample.items[0]!.recordId;
		for (const token of [reviewer22, surveyor22]) {
			expectError(
				await server.post('/api/review/samples', { percent: 10 }, token),
				403,
				/市级审核员/
			);
			expectError(await server.get('/api/review/samples', token), 403);
			expectError(await server.get(`/api/review/samples/${sample.sample.id}`, token), 403);
			expectError(
				await server.post(
					`/api/review/samples/${sample.sample.id}/items/${record}`,
					{ conclusion: '合格' },
					token
				),
				403
			);
			// the role is refused before the body is read: a bad body is 403 too
			expectError(await server.post('/api/review/samples', { percent: 'x' }, token), 403);
		}
		expect((await server.get('/api/review/samples')).status).toBe(401);
		expect((await server.post('/api/review/samples', { percent: 10 })).status).toBe(401);
		expect(await stored()).toBe(before);
	});
});

describe('the draw', () => {
	it('draws the same records twice from one seed, from the given counties and statuses', async () => {
		const first = await drawn({ percent: 50, counties: ['150622', '150623'], seed: '复现-1' });
		const second = await drawn({ percent: 50, counties: ['150623', '150622'], seed: '复现-1' });
		expect(second.sample.id).not.toBe(first.sample.id);
		expect(ids(second)).toEqual(ids(first));
		// ⌈50 % × 5⌉ = 3 of 150622's approved and accepted records, ⌈50 % × 3⌉ = 2 of 150623's
		const eligible22 = approved22.map((r) => r.id);
		const eligible23 = approved23.map((r) => r.id);
		expect(first.items.filter((i) => i.countyCode === '150622')).toHaveLength(3);
		expect(first.items.filter((i) => i.countyCode === '150623')).toHaveLength(2);
		for (const item of first.items) {
			expect([...eligible22, ...eligible23]).toContain(item.recordId);
			expect(submitted22.map((r) => r.id)).not.toContain(item.recordId);
		}
		expect(first.sample).toMatchObject({
			seed: '复现-1',
			percent: 50,
			drawnBy: 'city',
			counties: ['150622', '150623'],
			statuses: ['county_approved', 'accepted'],
			note: null
		});
		expect(first.byCounty).toEqual([
			{
				countyCode: '150622',
				population: 5,
				sampled: 3,
				concluded: 0,
				passed: 0,
				failed: 0,
				passRate: null
			},
			{
				countyCode: '150623',
				population: 3,
				sampled: 2,
				concluded: 0,
				passed: 0,
				failed: 0,
				passRate: null
			}
		]);
		// read back as drawn
		const read = await server.get(`/api/review/samples/${first.sample.id}`, city);
		expect(read.status).toBe(200);
		expect(SampleResponseSchema.parse(read.json)).toEqual(first);
	});

	it('takes every record at 100 %, with the revision each had, in the statuses asked for', async () => {
		const all = await drawn({ percent: 100, counties: ['150622'], seed: 'all' });
		expect(new Set(ids(all))).toEqual(new Set(approved22.map((r) => r.id)));
		for (const item of all.items) {
			const expected = item.recordId === accepted22.id ? 3 : 2;
			expect(item.revisionAtDraw).toBe(expected);
			expect(item.status).toBe(item.recordId === accepted22.id ? 'accepted' : 'county_approved');
		}
		const submitted = await drawn({
			percent: 100,
			counties: ['150622'],
			statuses: ['submitted'],
			seed: 'sub'
		});
		expect(new Set(ids(submitted))).toEqual(new Set(submitted22.map((r) => r.id)));
		// a seed of another value draws other records (here: 150622's 5 records, 2 of them)
		const seeds = new Set<string>();
		for (const seed of ['a', 'b', 'c', 'd', 'e', 'f']) {
			const sample = await drawn({ percent: 40, counties: ['150622'], seed });
			expect(sample.items).toHaveLength(2);
			seeds.add(JSON.stringify(ids(sample)));
		}
		expect(seeds.size).toBeGreaterThan(1);
	});

	it('makes and records a seed when none is given; the list shows every draw, newest first', async () => {
		const made = await drawn({ percent: 10, note: '季度抽查' });
		expect(made.sample.seed).toMatch(/^\d{9}$/);
		expect(made.sample.counties).toHaveLength(9);
		expect(made.sample.note).toBe('季度抽查');
		// every county of the city, 0 where none qualifies
		expect(made.byCounty.map((c) => c.countyCode)).toHaveLength(9);
		expect(made.byCounty.find((c) => c.countyCode === '150627')).toMatchObject({
			population: 0,
			sampled: 0
		});
		// the server's seed redraws it
		const again = await drawn({ percent: 10, seed: made.sample.seed });
		expect(ids(again)).toEqual(ids(made));
		const list = await server.get('/api/review/samples', city);
		expect(list.status).toBe(200);
		const { samples } = SampleListResponseSchema.parse(list.json);
		expect(samples[0]!.id).toBe(again.sample.id);
		expect(samples[1]).toMatchObject({
			id: made.sample.id,
			seed: made.sample.seed,
			drawnBy: 'city',
			note: '季度抽查',
			total: { sampled: made.items.length, concluded: 0 }
		});
		const idsInList = samples.map((s) => s.id);
		expect(idsInList).toEqual([...idsInList].sort((a, b) => b - a));
	});

	it('refuses bad input with 400 (or 422 when nothing can be drawn) and writes nothing', async () => {
		const before = await stored();
		for (const [body, text] of [
			[{ percent: 0 }, /0\.1%/],
			[{ percent: 101 }, /100%/],
			[{ percent: '10' }, undefined],
			[{}, undefined],
			[{ percent: 10, counties: ['999999'] }, /旗区代码不存在/],
			[{ percent: 10, counties: [] }, undefined],
			[{ percent: 10, statuses: ['approved'] }, undefined],
			[{ percent: 10, seed: '' }, undefined],
			[{ percent: 10, seed: 'x'.repeat(101) }, undefined],
			[{ percent: 10, extra: 1 }, undefined],
			[[10], undefined]
		] as const) {
			const response = await server.post('/api/review/samples', body, city);
			expectError(response, 400, text);
			expect((response.json as { issues?: unknown[] }).issues?.length).toBeGreaterThan(0);
		}
		expectError(
			await server.request('POST', '/api/review/samples', {
				token: city,
				body: '{"percent":',
				headers: { 'content-type': 'application/json' }
			}),
			400,
			/JSON/
		);
		expectError(
			await server.post('/api/review/samples', { percent: 10, counties: ['150627'] }, city),
			422,
			/没有可抽取的记录/
		);
		expect(await stored()).toBe(before);
	});
});

describe('conclusions and results', () => {
	it('keeps the latest conclusion with who and when, and counts the results per county', async () => {
		const sample = await drawn({ percent: 100, counties: ['150622', '150623'], seed: 'results' });
		const base = `/api/review/samples/${sample.sample.id}/items`;
		const [a, b] = sample.items.filter((i) => i.countyCode === '150622');
		const [c] = sample.items.filter((i) => i.countyCode === '150623');

		const first = await server.post(
			`${base}/${a!.recordId}`,
			{ conclusion: '不合格', note: '照片与位置不符' },
			city
		);
		expect(first.status, first.text).toBe(200);
		expect(SampleConclusionResponseSchema.parse(first.json).item).toMatchObject({
			conclusion: '不合格',
			note: '照片与位置不符',
			concludedBy: 'city'
		});
		const replaced = SampleConclusionResponseSchema.parse(
			(await server.post(`${base}/${a!.recordId}`, { conclusion: '合格' }, city)).json
		);
		expect(replaced.item).toMatchObject({ conclusion: '合格', note: null, concludedBy: 'city' });
		expect(Date.parse(replaced.item.concludedAt!)).toBeGreaterThanOrEqual(
			Date.parse(SampleConclusionResponseSchema.parse(first.json).item.concludedAt!)
		);
		await server.post(`${base}/${b!.recordId}`, { conclusion: '不合格', note: '缺少近景' }, city);
		const last = SampleConclusionResponseSchema.parse(
			(await server.post(`${base}/${c!.recordId}`, { conclusion: '合格' }, city)).json
		);
		expect(last.county).toEqual({
			countyCode: '150623',
			population: 3,
			sampled: 3,
			concluded: 1,
			passed: 1,
			failed: 0,
			passRate: 1
		});
		expect(last.total).toMatchObject({ sampled: 8, concluded: 3, passed: 2, failed: 1 });

		const read = SampleResponseSchema.parse(
			(await server.get(`/api/review/samples/${sample.sample.id}`, city)).json
		);
		expect(read.byCounty[0]).toEqual({
			countyCode: '150622',
			population: 5,
			sampled: 5,
			concluded: 2,
			passed: 1,
			failed: 1,
			passRate: 0.5
		});
		expect(read.items.find((i) => i.recordId === b!.recordId)).toMatchObject({
			conclusion: '不合格',
			note: '缺少近景'
		});
		const listed = SampleListResponseSchema.parse(
			(await server.get('/api/review/samples', city)).json
		).samples.find((s) => s.id === sample.sample.id)!;
		expect(listed.total).toMatchObject({ sampled: 8, concluded: 3, passed: 2, failed: 1 });
		expect(listed.total.passRate).toBeCloseTo(2 / 3);
	});

	it('shows a record that changed after the draw with the revision it was drawn at', async () => {
		const sample = await drawn({ percent: 100, counties: ['150623'], seed: 'changed' });
		const target = approved23[2]!;
		// the city returns it: a new revision, a new status
		const back = await server.post(
			`/api/records/${target.id}/decision`,
			{ decision: 'return', revision: 2, comments: [{ message: '抽查发现问题，请补充' }] },
			city
		);
		expect(back.status, back.text).toBe(200);
		const read = SampleResponseSchema.parse(
			(await server.get(`/api/review/samples/${sample.sample.id}`, city)).json
		);
		expect(read.items.find((i) => i.recordId === target.id)).toMatchObject({
			revisionAtDraw: 2,
			revision: 3,
			status: 'returned'
		});
		// a redraw now draws from the records as they are: the returned one is out
		const redraw = await drawn({ percent: 100, counties: ['150623'], seed: 'changed' });
		expect(ids(redraw)).not.toContain(target.id);
	});

	it('answers 404 for an unknown sample or a record outside it, 400 for a bad conclusion; nothing written', async () => {
		const sample = await drawn({ percent: 40, counties: ['150622'], seed: 'bad' });
		const inside = sample.items[0]!.recordId;
		const outside = approved22.find((r) => !ids(sample).includes(r.id))!.id;
		const before = await stored();
		const base = `/api/review/samples/${sample.sample.id}/items`;
		expectError(await server.get('/api/review/samples/99999', city), 404, /没有这次抽查/);
		expectError(await server.get('/api/review/samples/abc', city), 404);
		expectError(await server.get('/api/review/samples/0', city), 404);
		expectError(
			await server.post(`/api/review/samples/99999/items/${inside}`, { conclusion: '合格' }, city),
			404
		);
		expectError(
			await server.post(`${base}/${outside}`, { conclusion: '合格' }, city),
			404,
			/不在这次抽查/
		);
		expectError(await server.post(`${base}/no-such-record`, { conclusion: '合格' }, city), 404);
		for (const body of [
			{ conclusion: '通过' },
			{},
			{ conclusion: '合格', note: 'x'.repeat(2001) },
			{ conclusion: '合格', by: 'someone' }
		]) {
			expectError(await server.post(`${base}/${inside}`, body, city), 400);
		}
		expectError(await server.get('/api/review/samples?county=150622', city), 400);
		expect(await stored()).toBe(before);
	});
});

describe('backup', () => {
	it('carries the draws and their conclusions to a restored server', async () => {
		const sample = await drawn({ percent: 100, counties: ['150622'], seed: 'backup' });
		const item = sample.items[0]!;
		await server.post(
			`/api/review/samples/${sample.sample.id}/items/${item.recordId}`,
			{ conclusion: '不合格', note: '备份测试' },
			city
		);
		const before = await server.get(`/api/review/samples/${sample.sample.id}`, city);
		const scratch = mkdtempSync(join(tmpdir(), 'survey-samples-backup-'));
		const restoredDb = await freshDatabase();
		let restored: TestServer | undefined;
		try {
			const backup = await admin(['backup', join(scratch, 'backup')], {
				DATA_DIR: server.dataDir,
				...server.databaseEnv
			});
			expect(backup.code, backup.out).toBe(0);
			const restore = await admin(['restore', join(scratch, 'backup')], {
				DATA_DIR: join(scratch, 'restored'),
				...restoredDb
			});
			expect(restore.code, restore.out).toBe(0);
			restored = await TestServer.start({
				DATA_DIR: join(scratch, 'restored'),
				SEED_DEMO: '0',
				...restoredDb
			});
			const token = await restored.as('city');
			const after = await restored.get(`/api/review/samples/${sample.sample.id}`, token);
			expect(after.status).toBe(200);
			expect(after.json).toEqual(before.json);
			// and the restored server numbers its next draw after them
			const next = await restored.post(
				'/api/review/samples',
				{ percent: 10, seed: 'after' },
				token
			);
			expect(next.status, next.text).toBe(201);
			expect(SampleResponseSchema.parse(next.json).sample.id).toBe(sample.sample.id + 1);
		} finally {
			await restored?.stop();
			await dropDatabase(restoredDb);
			rmSync(scratch, { recursive: true, force: true });
		}
	}, 120_000);
});

function admin(
	args: string[],
	env: Record<string, string>
): Promise<{ code: number; out: string }> {
	return new Promise((resolve) => {
		const child = spawn(join('node_modules', '.bin', 'tsx'), ['scripts/admin.ts', ...args], {
			env: { ...process.env, ...env },
			stdio: ['ignore', 'pipe', 'pipe']
		});
		let out = '';
		child.stdout.on('data', (d: Buffer) => (out += d.toString()));
		child.stderr.on('data', (d: Buffer) => (out += d.toString()));
		child.on('exit', (code) => resolve({ code: code ?? -1, out }));
	});
}
