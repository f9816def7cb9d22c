/**
 * The review queue's filters, counts, pages and scope (issue 12 point 1; contract §1 and §3,
 * `GET /api/review/records`), and the review page's answer to a bad query.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RegisteredSite, SurveyRecord } from '$lib/domain/schemas/index.js';
import { ReviewQueueResponseSchema, type ReviewQueueResponse } from '$lib/domain/sync/wire.js';
import { newFind, recheckOf, TestServer, today, type ApiResponse } from './harness.js';
import { offset } from '../fixtures/builders.js';

let server: TestServer;
let surveyor02: string;
let reviewer02: string;
let reviewer03: string;
let surveyor03: string;
let city: string;
let sites02: RegisteredSite[];
/** The 150602 records: clean, with errors, near a registered site, and one returned. */
let clean: SurveyRecord;
let withErrors: SurveyRecord;
let nearSite: SurveyRecord;
let returned: SurveyRecord;
/** The one 150603 record. */
let other: SurveyRecord;

async function pushed(token: string, record: SurveyRecord): Promise<SurveyRecord> {
	const result = await server.pushOne(token, record);
	expect(result.status, JSON.stringify(result.issues)).toBe('accepted');
	return record;
}

beforeAll(async () => {
	server = await TestServer.start();
	surveyor02 = await server.as('surveyor-150602');
	reviewer02 = await server.as('reviewer-150602');
	surveyor03 = await server.as('surveyor-150603');
	reviewer03 = await server.as('reviewer-150603');
	city = await server.as('city');
	sites02 = await server.sites('150602');
	const sites03 = await server.sites('150603');

	clean = await pushed(
		surveyor02,
		recheckOf(sites02[0]!, await server.uploadPhotos(surveyor02, 2))
	);
	withErrors = await pushed(
		surveyor02,
		newFind('150602', offset(sites02[1]!.location, 1500, 1500), [], { description: '' })
	);
	const near = sites02[2]!;
	nearSite = await pushed(
		surveyor02,
		newFind('150602', offset(near.location, 40, 30), await server.uploadPhotos(surveyor02, 2), {
			category: near.category,
			subcategory: near.subcategory,
			era: near.era,
			eraGroup: near.eraGroup
		})
	);
	returned = await pushed(
		surveyor02,
		recheckOf(sites02[3]!, await server.uploadPhotos(surveyor02, 2))
	);
	const decision = await server.post(
		`/api/records/${returned.id}/decision`,
		{ decision: 'return', revision: 1, comments: [{ message: '请补充照片' }] },
		reviewer02
	);
	expect(decision.status).toBe(200);
	other = await pushed(
		surveyor03,
		recheckOf(sites03[0]!, await server.uploadPhotos(surveyor03, 2))
	);
});
afterAll(async () => {
	await server?.stop();
});

async function queue(path: string, token: string): Promise<ReviewQueueResponse> {
	const response = await server.get(path, token);
	expect(response.status, response.text).toBe(200);
	return ReviewQueueResponseSchema.parse(response.json);
}

const ids = (answer: ReviewQueueResponse) => answer.records.map((r) => r.id);

function expectError(response: ApiResponse, status: number, text?: RegExp) {
	expect(response.status, response.text).toBe(status);
	const body = response.json as { error: string };
	expect(body.error).toEqual(expect.any(String));
	if (text) expect(body.error).toMatch(text);
}

describe('scope: roles × own county / other county', () => {
	it('a county reviewer sees its county only, and 403 for another named in the URL', async () => {
		const mine = await queue('/api/review/records', reviewer02);
		expect(new Set(mine.records.map((r) => r.countyCode))).toEqual(new Set(['150602']));
		expect(ids(mine)).not.toContain(other.id);
		expect(ids(mine)).toEqual(expect.arrayContaining([clean.id, withErrors.id, nearSite.id]));
		const theirs = await queue('/api/review/records', reviewer03);
		expect(ids(theirs)).toEqual([other.id]);
		expectError(await server.get('/api/review/records?county=150603', reviewer02), 403);
		expectError(await server.get('/api/review/records?county=150602', reviewer03), 403);
		// filters never widen the scope
		const bySurveyor = await queue('/api/review/records?surveyor=surveyor-150603', reviewer02);
		expect(bySurveyor.records).toEqual([]);
	});

	it('a city reviewer sees every county, and one when it names it', async () => {
		const all = await queue('/api/review/records', city);
		expect(ids(all)).toEqual(expect.arrayContaining([clean.id, other.id]));
		const one = await queue('/api/review/records?county=150603', city);
		expect(ids(one)).toEqual([other.id]);
	});

	it('a surveyor has no queue: 403, in its own county too', async () => {
		expectError(await server.get('/api/review/records', surveyor02), 403, /审核员/);
		expectError(await server.get('/api/review/records?county=150602', surveyor02), 403);
		expectError(await server.get('/api/review/records?county=150603', surveyor02), 403);
	});
});

describe('filters and counts', () => {
	it('adds the QC counts, the near-site flag and the surveyor to each record', async () => {
		const answer = await queue('/api/review/records', reviewer02);
		const byId = new Map(answer.records.map((r) => [r.id, r]));
		expect(byId.get(clean.id)).toMatchObject({
			qc: { errors: 0, warnings: 0 },
			nearSite: false,
			surveyor: 'surveyor-150602',
			status: 'submitted',
			revision: 1,
			name: clean.name
		});
		expect(byId.get(withErrors.id)?.qc?.errors).toBeGreaterThan(0);
		expect(byId.get(nearSite.id)).toMatchObject({ nearSite: true });
		expect(byId.get(nearSite.id)?.qc?.warnings).toBeGreaterThan(0);
		// no paging asked: the whole list, as before the filters
		expect(answer.pageSize).toBeNull();
		expect(answer.total).toBe(4);
	});

	it('filters by QC severity', async () => {
		expect(ids(await queue('/api/review/records?severity=error', reviewer02))).toEqual([
			withErrors.id
		]);
		const warning = ids(await queue('/api/review/records?severity=warning', reviewer02));
		expect(warning).toContain(nearSite.id);
		expect(warning).not.toContain(withErrors.id);
		const cleanIds = ids(await queue('/api/review/records?severity=clean', reviewer02));
		expect(cleanIds).toEqual(expect.arrayContaining([clean.id, returned.id]));
		expect(cleanIds).not.toContain(withErrors.id);
		expect(cleanIds).not.toContain(nearSite.id);
	});

	it('filters by status, category, surveyor and arrival date; counts per status', async () => {
		const submitted = await queue('/api/review/records?status=submitted', reviewer02);
		expect(ids(submitted)).not.toContain(returned.id);
		expect(submitted.counts).toEqual({ submitted: 3, returned: 1 });
		expect(submitted.total).toBe(3);
		expect(ids(await queue('/api/review/records?status=returned', reviewer02))).toEqual([
			returned.id
		]);

		const category = nearSite.category!;
		const byCategory = await queue(
			`/api/review/records?category=${encodeURIComponent(category)}`,
			reviewer02
		);
		expect(ids(byCategory)).toContain(nearSite.id);
		expect(byCategory.records.every((r) => r.category === category)).toBe(true);

		const mine = await queue('/api/review/records?surveyor=surveyor-150602', reviewer02);
		expect(mine.total).toBe(4);
		expect((await queue('/api/review/records?surveyor=nobody', reviewer02)).total).toBe(0);

		const day = today();
		expect((await queue(`/api/review/records?from=${day}&to=${day}`, reviewer02)).total).toBe(4);
		expect((await queue('/api/review/records?to=2024-01-01', reviewer02)).total).toBe(0);
		expect((await queue('/api/review/records?from=2099-01-01', reviewer02)).total).toBe(0);

		// counts follow every filter but the status
		const errorsOnly = await queue(
			'/api/review/records?severity=error&status=returned',
			reviewer02
		);
		expect(errorsOnly.counts).toEqual({ submitted: 1 });
		expect(errorsOnly.records).toEqual([]);
	});
});

describe('sort and pages', () => {
	it('pages with limit and page, in a stable order, with the total', async () => {
		const first = await queue('/api/review/records?limit=3&page=1', reviewer02);
		const second = await queue('/api/review/records?limit=3&page=2', reviewer02);
		expect(first).toMatchObject({ total: 4, page: 1, pageSize: 3 });
		expect(first.records).toHaveLength(3);
		expect(second.records).toHaveLength(1);
		expect(new Set([...ids(first), ...ids(second)]).size).toBe(4);
		// newest arrival first by default: the returned record changed last
		expect(ids(first)[0]).toBe(returned.id);
		// page alone pages by 50
		expect(await queue('/api/review/records?page=1', reviewer02)).toMatchObject({ pageSize: 50 });
	});

	it('sorts by severity, name and county', async () => {
		const bySeverity = await queue('/api/review/records?sort=severity', reviewer02);
		expect(ids(bySeverity)[0]).toBe(withErrors.id);
		const ascending = await queue('/api/review/records?sort=severity&order=asc', reviewer02);
		expect(ids(ascending).at(-1)).toBe(withErrors.id);
		const names = (await queue('/api/review/records?sort=name', reviewer02)).records.map(
			(r) => (r as { name?: string }).name ?? ''
		);
		expect(names).toEqual([...names].sort());
		const counties = (await queue('/api/review/records?sort=county', city)).records.map(
			(r) => r.countyCode
		);
		expect(counties).toEqual([...counties].sort());
	});
});

describe('bad queries', () => {
	it.each([
		['severity=bad', /质检/],
		['status=draft', /状态/],
		['category=%E5%A1%94', /类别/],
		['from=2025-13-01', /日期/],
		['from=2025-06-02&to=2025-06-01', /起始日期不能晚于结束日期/],
		['page=0', /页码/],
		['page=abc', /页码/],
		['limit=501', /每页条数/],
		['sort=size', /排序/],
		['order=up', /顺序/],
		['status=submitted&status=returned', /只能出现一次/],
		['county=150699', /旗区/],
		['teams=1', /未知的查询参数/]
	])('%s answers 400 with a message in Chinese', async (query, text) => {
		expectError(await server.get(`/api/review/records?${query}`, reviewer02), 400, text);
	});

	it('the review page answers a bad query with its message, not a 500', async () => {
		const page = await server.get('/review?severity=bad', reviewer02);
		expect(page.status).toBe(400);
		expect(page.text).toContain('筛选条件有误');
		const outside = await server.get('/review?county=150603', reviewer02);
		expect(outside.status).toBe(403);
		const fine = await server.get('/review?status=submitted&severity=', reviewer02);
		expect(fine.status).toBe(200);
		expect(fine.text).toContain(withErrors.name!);
		expect(fine.text).not.toContain(returned.name!);
	});
});
