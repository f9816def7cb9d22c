/**
 * Scope (contract §1) and review decisions (contract §3): who may read and decide what, the
 * statuses and revisions decisions make, and the comments a surveyor pulls back.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RegisteredSite, SurveyRecord } from '$lib/domain/schemas/index.js';
import { newFind, recheckOf, TestServer, type ApiResponse } from './harness.js';
import { offset } from '../fixtures/builders.js';

let server: TestServer;
let surveyor: string;
let reviewer: string;
let city: string;
let sites: RegisteredSite[];
let nextSite = 0;

beforeAll(async () => {
	server = await TestServer.start();
	surveyor = await server.as('surveyor-150626');
	reviewer = await server.as('reviewer-150626');
	city = await server.as('city');
	sites = await server.sites('150626');
});
afterAll(async () => {
	await server?.stop();
});

/** A clean 复查 of the next site, pushed: revision 1, no findings. */
async function pushedClean(): Promise<SurveyRecord> {
	const record = recheckOf(sites[nextSite++]!, await server.uploadPhotos(surveyor, 2));
	const result = await server.pushOne(surveyor, record);
	expect(result).toMatchObject({ status: 'accepted', revision: 1, findings: [] });
	return record;
}

/** A 新发现 without photos or description: it carries error findings. */
async function pushedWithErrors(): Promise<SurveyRecord> {
	const record = newFind('150626', offset(sites[nextSite++]!.location, 1500, 1500), [], {
		description: ''
	});
	const result = await server.pushOne(surveyor, record);
	expect(result.status).toBe('accepted');
	expect(result.findings?.some((f) => f.severity === 'error')).toBe(true);
	return record;
}

const decide = (id: string, body: unknown, token: string) =>
	server.post(`/api/records/${id}/decision`, body, token);

function expectError(response: ApiResponse, status: number) {
	expect(response.status, response.text).toBe(status);
	expect(response.json).toMatchObject({ error: expect.any(String) });
}

describe('scope', () => {
	it('answers 403 to ?county= outside the user’s list', async () => {
		expectError(await server.get('/api/registry?county=150627', surveyor), 403);
		expectError(await server.get('/api/registry?county=150627', reviewer), 403);
		expectError(await server.get('/api/review/records?county=150627', reviewer), 403);
		expectError(await server.get('/api/review/records?county=150602', surveyor), 403);
		// inside the list: 200
		expect((await server.get('/api/registry?county=150626', surveyor)).status).toBe(200);
		expect((await server.get('/api/review/records?county=150626', reviewer)).status).toBe(200);
		expect((await server.get('/api/review/records?county=150627', city)).status).toBe(200);
	});

	it('lists only the user’s counties without ?county=', async () => {
		const registry = (await server.get('/api/registry', reviewer)).json as {
			sites: RegisteredSite[];
		};
		expect(registry.sites.length).toBe(sites.length);
		expect(new Set(registry.sites.map((s) => s.countyCode))).toEqual(new Set(['150626']));

		const record = await pushedClean();
		const queue = (await server.get('/api/review/records', reviewer)).json as {
			records: { id: string; status: string; revision: number }[];
		};
		expect(queue.records.find((r) => r.id === record.id)).toMatchObject({
			status: 'submitted',
			revision: 1
		});
		const other = (await server.get('/api/review/records', await server.as('reviewer-150627')))
			.json as { records: { id: string }[] };
		expect(other.records.map((r) => r.id)).not.toContain(record.id);
		const filtered = (await server.get('/api/review/records?status=returned', reviewer)).json as {
			records: { id: string }[];
		};
		expect(filtered.records.map((r) => r.id)).not.toContain(record.id);
	});

	it('answers 404 for a record of another county, exactly as for one that does not exist', async () => {
		const record = await pushedClean();
		const outsider = await server.as('reviewer-150627');
		const otherSurveyor = await server.as('surveyor-150627');
		const hidden = await server.get(`/api/records/${record.id}`, outsider);
		const missing = await server.get(`/api/records/00000000-0000-4000-8000-000000000000`, outsider);
		expectError(hidden, 404);
		expectError(missing, 404);
		expect(hidden.json).toEqual(missing.json);
		expectError(await server.get(`/api/records/${record.id}`, otherSurveyor), 404);
		const decision = await decide(record.id, { decision: 'approve', revision: 1 }, outsider);
		expectError(decision, 404);
		const missingDecision = await decide(
			'00000000-0000-4000-8000-000000000000',
			{ decision: 'approve', revision: 1 },
			outsider
		);
		expect(decision.json).toEqual(missingDecision.json);
		// and nothing changed
		expect((await server.record(record.id, reviewer)).body).toMatchObject({
			status: 'submitted',
			revision: 1
		});
	});

	it('lets a surveyor read any record of its counties, but not decide (403)', async () => {
		const record = await pushedClean();
		const reader = await server.get(`/api/records/${record.id}`, surveyor);
		expect(reader.status).toBe(200);
		expectError(await decide(record.id, { decision: 'approve', revision: 1 }, surveyor), 403);
		expectError(
			await decide(
				record.id,
				{ decision: 'return', revision: 1, comments: [{ message: '请补充' }] },
				surveyor
			),
			403
		);
		expect((await server.record(record.id, reviewer)).body.status).toBe('submitted');
	});
});

describe('decisions', () => {
	it('409 on a stale revision', async () => {
		const record = await pushedClean();
		await server.pushOne(surveyor, { ...record, baseRevision: 1, address: `${record.address}。` });
		const stale = await decide(record.id, { decision: 'approve', revision: 1 }, reviewer);
		expectError(stale, 409);
		const ahead = await decide(record.id, { decision: 'approve', revision: 3 }, reviewer);
		expectError(ahead, 409);
		expect((await server.record(record.id, reviewer)).body).toMatchObject({
			status: 'submitted',
			revision: 2
		});
		expect(await decide(record.id, { decision: 'approve', revision: 2 }, reviewer)).toMatchObject({
			status: 200,
			json: { status: 'county_approved', revision: 3 }
		});
	});

	it('422 on a return without a comment', async () => {
		const record = await pushedClean();
		expectError(await decide(record.id, { decision: 'return', revision: 1 }, reviewer), 422);
		expectError(
			await decide(record.id, { decision: 'return', revision: 1, comments: [] }, reviewer),
			422
		);
		expect((await server.record(record.id, reviewer)).body.status).toBe('submitted');
	});

	it('422 on a decision the status does not allow', async () => {
		const record = await pushedClean();
		// the city cannot decide a submitted record
		expectError(await decide(record.id, { decision: 'approve', revision: 1 }, city), 422);
		expectError(
			await decide(
				record.id,
				{ decision: 'return', revision: 1, comments: [{ message: 'x' }] },
				city
			),
			422
		);
		expect(await decide(record.id, { decision: 'approve', revision: 1 }, reviewer)).toMatchObject({
			json: { status: 'county_approved', revision: 2 }
		});
		// the county reviewer cannot decide a county_approved one
		expectError(await decide(record.id, { decision: 'approve', revision: 2 }, reviewer), 422);
		expectError(
			await decide(
				record.id,
				{ decision: 'return', revision: 2, comments: [{ message: 'x' }] },
				reviewer
			),
			422
		);
		expect(await decide(record.id, { decision: 'approve', revision: 2 }, city)).toMatchObject({
			json: { status: 'accepted', revision: 3 }
		});
		// nobody decides an accepted one
		expectError(await decide(record.id, { decision: 'approve', revision: 3 }, city), 422);
		expectError(await decide(record.id, { decision: 'approve', revision: 3 }, reviewer), 422);
		const stored = await server.record(record.id, city);
		expect(stored.body).toMatchObject({ status: 'accepted', revision: 3 });
		expect(stored.body.history.map((h) => [h.revision, h.action, h.by])).toEqual([
			[1, 'push', 'surveyor-150626'],
			[2, 'approve', 'reviewer-150626'],
			[3, 'approve', 'city']
		]);
	});

	it('422 on approving a revision with error findings without a comment; 200 with one', async () => {
		const record = await pushedWithErrors();
		const refused = await decide(record.id, { decision: 'approve', revision: 1 }, reviewer);
		expectError(refused, 422);
		expect((await server.record(record.id, reviewer)).body.status).toBe('submitted');
		const approved = await decide(
			record.id,
			{
				decision: 'approve',
				revision: 1,
				comments: [{ message: '简介已在纸质登记表中补全，照片另行提交' }]
			},
			reviewer
		);
		expect(approved.status).toBe(200);
		expect(approved.json).toEqual({ status: 'county_approved', revision: 2 });
		// the city approving it also needs a reason: the findings are the pushed revision's
		expectError(await decide(record.id, { decision: 'approve', revision: 2 }, city), 422);
	});

	it('approve and return: status, revision and history; the surveyor pulls the comments', async () => {
		const surveyorPull = async (since: string) =>
			(await server.get(`/api/sync/pull?since=${since}`, surveyor)).json as {
				changes: {
					type: string;
					id?: string;
					status?: string;
					revision?: number;
					comments?: { path?: string; message: string; by: string; at: string }[];
				}[];
				cursor: string;
			};
		const record = await pushedClean();
		const start = (await surveyorPull('')).cursor;

		expect(
			(await decide(record.id, { decision: 'approve', revision: 1, comments: [] }, reviewer)).json
		).toEqual({ status: 'county_approved', revision: 2 });
		const returned = await decide(
			record.id,
			{
				decision: 'return',
				revision: 2,
				comments: [
					{ path: 'description', message: '简介请补充保存现状' },
					{ message: '照片方位不清', severity: '建议' }
				]
			},
			city
		);
		expect(returned.status).toBe(200);
		expect(returned.json).toEqual({ status: 'returned', revision: 3 });

		const stored = await server.record(record.id, surveyor);
		expect(stored.body.status).toBe('returned');
		expect(stored.body.revision).toBe(3);
		expect(stored.body.history.map((h) => [h.revision, h.action, h.by])).toEqual([
			[1, 'push', 'surveyor-150626'],
			[2, 'approve', 'reviewer-150626'],
			[3, 'return', 'city']
		]);
		for (const h of stored.body.history) expect(Number.isNaN(Date.parse(h.at))).toBe(false);

		const pulled = await surveyorPull(start);
		const mine = pulled.changes.filter((c) => c.type === 'record' && c.id === record.id);
		expect(mine.map((c) => [c.status, c.revision])).toEqual([
			['county_approved', 2],
			['returned', 3]
		]);
		// each comment is named by the decision's revision and its place, with its severity
		// (必须修改 unless the reviewer said otherwise)
		const comments = [
			{
				id: '3.1',
				path: 'description',
				message: '简介请补充保存现状',
				severity: '必须修改',
				by: 'city',
				at: expect.any(String)
			},
			{ id: '3.2', message: '照片方位不清', severity: '建议', by: 'city', at: expect.any(String) }
		];
		expect(mine[1]?.comments).toEqual(comments);
		const read = (await server.get(`/api/records/${record.id}`, surveyor)).json as {
			comments: unknown[];
			history: { revision: number; status: string; comments: unknown[] }[];
		};
		expect(read.comments).toEqual(comments);
		expect(read.history.map((h) => [h.revision, h.status])).toEqual([
			[1, 'submitted'],
			[2, 'county_approved'],
			[3, 'returned']
		]);
		expect(read.history[2]?.comments).toEqual(comments);

		// pushed again from the returned revision: submitted once more, revision 4
		const fixed = {
			...record,
			baseRevision: 3,
			description: `${record.description}保存现状较差。`
		};
		expect(await server.pushOne(surveyor, fixed)).toMatchObject({
			status: 'accepted',
			revision: 4
		});
		const again = await server.record(record.id, reviewer);
		expect(again.body).toMatchObject({ status: 'submitted', revision: 4 });
		expect(again.body.record.description).toBe(fixed.description);
		expect(again.body.history.map((h) => h.action)).toEqual(['push', 'approve', 'return', 'push']);
	});
});

type RecordRead = {
	record: SurveyRecord;
	status: string;
	revision: number;
	findings: { rule: string; severity: string; path?: string }[];
	history: {
		revision: number;
		action: string;
		by: string;
		status: string;
		comments: unknown[];
		reason?: string;
		changed?: string[];
	}[];
	comments: { id: string; path?: string; message: string; severity: string }[];
	previous: SurveyRecord | null;
	site: RegisteredSite | null;
};

async function read(id: string, token: string): Promise<RecordRead> {
	const response = await server.get(`/api/records/${id}`, token);
	expect(response.status, response.text).toBe(200);
	return response.json as RecordRead;
}

const correct = (id: string, body: unknown, token: string) =>
	server.post(`/api/records/${id}/correction`, body, token);

describe('the record read (GET /api/records/{id})', () => {
	it('adds the registry entry of a 复查 and the previous content, keeping the fields of version 1', async () => {
		const record = await pushedClean();
		const first = await read(record.id, reviewer);
		expect(first).toMatchObject({ record, status: 'submitted', revision: 1, findings: [] });
		expect(first.site).toEqual(sites.find((s) => s.code === record.siteCode));
		expect(first.previous).toBeNull();
		expect(first.comments).toEqual([]);
		expect(first.history).toEqual([
			expect.objectContaining({
				revision: 1,
				action: 'push',
				by: 'surveyor-150626',
				status: 'submitted',
				comments: [],
				changed: expect.arrayContaining(['name', 'siteCode'])
			})
		]);
		const changed = { ...record, baseRevision: 1, condition: '差' as const };
		expect(await server.pushOne(surveyor, changed)).toMatchObject({ revision: 2 });
		const second = await read(record.id, reviewer);
		expect(second.previous).toEqual(record);
		expect(second.history[1]).toMatchObject({ action: 'push', changed: ['condition'] });

		const find = await pushedWithErrors();
		expect((await read(find.id, reviewer)).site).toBeNull();
	});
});

describe('corrections (POST /api/records/{id}/correction)', () => {
	it('stores a new revision by the reviewer with its reason; history, QC and the author’s pull show it', async () => {
		const record = await pushedWithErrors();
		const start = (
			(await server.get('/api/sync/pull', surveyor)).json as {
				cursor: string;
			}
		).cursor;
		const before = (await read(record.id, reviewer)).findings;
		expect(before.some((f) => f.path === 'description')).toBe(true);
		const description =
			'墓葬位于台地上，地表可见封土堆一座，直径约8米，残高约1.5米，封土南侧有盗洞一处，周围散布汉代灰陶片与绳纹瓦片，保存状况一般。';
		const response = await correct(
			record.id,
			{ revision: 1, changes: { description, village: '' }, reason: '据纸质登记表补录简介' },
			reviewer
		);
		expect(response.status, response.text).toBe(200);
		expect(response.json).toEqual({ status: 'submitted', revision: 2, changed: ['description'] });

		const after = await read(record.id, surveyor);
		expect(after).toMatchObject({ status: 'submitted', revision: 2 });
		expect(after.record.description).toBe(description);
		expect(after.previous).toEqual(record);
		expect(after.history.map((h) => [h.revision, h.action, h.by, h.status])).toEqual([
			[1, 'push', 'surveyor-150626', 'submitted'],
			[2, 'correct', 'reviewer-150626', 'submitted']
		]);
		expect(after.history[1]).toMatchObject({
			reason: '据纸质登记表补录简介',
			changed: ['description']
		});
		// the findings are the corrected content's: the missing description is no longer one
		expect(after.findings.some((f) => f.path === 'description')).toBe(false);
		const queue = (await server.get('/api/review/records?county=150626', reviewer)).json as {
			records: { id: string; revision: number; qc: { errors: number } }[];
		};
		const row = queue.records.find((r) => r.id === record.id);
		expect(row?.revision).toBe(2);
		expect(row?.qc.errors).toBe(after.findings.filter((f) => f.severity === 'error').length);

		const pulled = (await server.get(`/api/sync/pull?since=${start}`, surveyor)).json as {
			changes: { type: string; id?: string; record?: SurveyRecord; correction?: unknown }[];
		};
		const change = pulled.changes.find((c) => c.type === 'record' && c.id === record.id);
		expect(change).toMatchObject({
			status: 'submitted',
			revision: 2,
			correction: { by: 'reviewer-150626', reason: '据纸质登记表补录简介' }
		});
		expect(change?.record).toEqual(after.record);

		// the audit chain covers the correction
		const store = await server.openStore();
		try {
			const entry = await store.db
				.selectFrom('audit_log')
				.select(['action', 'actor'])
				.where('record_id', '=', record.id)
				.where('revision', '=', 2)
				.executeTakeFirst();
			expect(entry).toEqual({ action: 'correct', actor: 'reviewer-150626' });
		} finally {
			await store.close();
		}
	});

	it('400 on a malformed body, 422 naming the field on an invalid value or no change; nothing written', async () => {
		const record = await pushedClean();
		const snapshot = await server.snapshot();
		for (const body of [
			{ revision: 1, changes: { era: '明' } },
			{ revision: 1, changes: { era: '明' }, reason: '   ' },
			{ revision: 1, changes: {}, reason: '订正' },
			{ revision: 1, changes: { location: { lat: 1, lon: 1 } }, reason: '订正' },
			{ revision: 1, changes: { era: '明' }, reason: '订正', extra: 1 },
			{ revision: '1', changes: { era: '明' }, reason: '订正' },
			{ revision: 1, changes: { era: '明' }, reason: '订正\u0000' },
			[]
		]) {
			expectError(await correct(record.id, body, reviewer), 400);
		}
		const notJson = await server.request('POST', `/api/records/${record.id}/correction`, {
			token: reviewer,
			body: '{',
			headers: { 'content-type': 'application/json' }
		});
		expectError(notJson, 400);
		const invalid = await correct(
			record.id,
			{ revision: 1, changes: { category: '城堡', areaM2: -5 }, reason: '订正' },
			reviewer
		);
		expectError(invalid, 422);
		expect((invalid.json as { issues: { path: string }[] }).issues.map((i) => i.path)).toEqual([
			'category',
			'areaM2'
		]);
		const same = await correct(
			record.id,
			{ revision: 1, changes: { name: record.name }, reason: '订正' },
			reviewer
		);
		expectError(same, 422);
		expect(await server.snapshot()).toEqual(snapshot);
	});

	it('takes the session cookie from the server’s own origin, and refuses it from another', async () => {
		const record = await pushedClean();
		const session = await server.login('reviewer-150626');
		const body = { revision: 1, changes: { era: '清' }, reason: '订正年代' };
		const foreign = await server.request('POST', `/api/records/${record.id}/correction`, {
			json: body,
			headers: { cookie: session.cookie!, origin: 'https://evil.example' }
		});
		expectError(foreign, 403);
		expect((await read(record.id, reviewer)).revision).toBe(1);
		const own = await server.request('POST', `/api/records/${record.id}/correction`, {
			json: body,
			headers: { cookie: session.cookie!, origin: server.url }
		});
		expect(own.status, own.text).toBe(200);
		expect(own.json).toEqual({ status: 'submitted', revision: 2, changed: ['era'] });
	});
});

describe('answers (schemaVersion 2)', () => {
	it('accepts a returned record pushed again with answers to its comments, and shows them', async () => {
		const record = await pushedClean();
		const returned = await decide(
			record.id,
			{
				decision: 'return',
				revision: 1,
				comments: [
					{ path: 'condition', message: '保存状况请据现场照片核实' },
					{ message: '建议补充使用情况说明', severity: '建议' }
				]
			},
			reviewer
		);
		expect(returned.json).toEqual({ status: 'returned', revision: 2 });
		const ids = (await read(record.id, surveyor)).comments.map((c) => c.id);
		expect(ids).toEqual(['2.1', '2.2']);
		const answers = [
			{ commentId: '2.1', reply: '已修改' as const },
			{ commentId: '2.2', reply: '说明' as const, text: '现为荒地，无人使用' }
		];
		// answers need schemaVersion 2: a version 1 record carrying them is invalid
		const v1 = await server.pushOne(surveyor, {
			...record,
			schemaVersion: 1,
			baseRevision: 2,
			answers
		});
		expect(v1).toMatchObject({ status: 'rejected', code: 'invalid' });
		const fixed = {
			...record,
			schemaVersion: 2 as const,
			baseRevision: 2,
			condition: '较差' as const,
			answers
		};
		expect(await server.pushOne(surveyor, fixed)).toMatchObject({
			status: 'accepted',
			revision: 3
		});
		const after = await read(record.id, reviewer);
		expect(after.status).toBe('submitted');
		expect(after.record.schemaVersion).toBe(2);
		expect(after.record.answers).toEqual(answers);
		expect(after.history[2]).toMatchObject({
			action: 'push',
			// (records are made as version 2 now, so the version itself did not change)
			changed: ['answers', 'condition']
		});
	});
});
