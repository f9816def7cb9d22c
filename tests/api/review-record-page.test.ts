/**
 * The reviewer's record page `/review/records/{id}` and its form actions (approve, return,
 * correct), against the production server with browser sessions (cookies): a reviewer of 150602
 * neither sees nor decides a record of 150603 (404, nothing written), a surveyor cannot use the
 * page nor its actions, and the reviewer of the record's county can.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newFind, TestServer, type ApiResponse } from './harness.js';
import { offset } from '../fixtures/builders.js';

let server: TestServer;
const cookies: Record<string, string> = {};
let own: string;
let other: string;

/** A 新发现 near the county's first registered site, pushed by the county's surveyor. */
async function pushIn(county: '150602' | '150603', metres: number): Promise<string> {
	const sites = await server.sites(county);
	const record = newFind(county, offset(sites[0]!.location, 500 + metres, 45));
	const result = await server.pushOne(await server.as(`surveyor-${county}`), record);
	expect(result.status).toBe('accepted');
	return record.id;
}

async function cookieOf(username: string): Promise<string> {
	const session = await server.login(username);
	expect(session.cookie).toBeTruthy();
	return session.cookie!;
}

/** The page as a browser gets it. */
const page = (id: string, cookie: string) =>
	server.request('GET', `/review/records/${id}`, { headers: { cookie } });

/** A form action posted as the page's form does (same origin, form-encoded). */
function action(
	id: string,
	name: 'approve' | 'return' | 'correct',
	cookie: string,
	fields: [string, string][]
): Promise<ApiResponse> {
	return server.request('POST', `/review/records/${id}?/${name}`, {
		headers: {
			cookie,
			origin: server.url,
			'content-type': 'application/x-www-form-urlencoded',
			// what `use:enhance` sends: the answer is the action's result as JSON
			'x-sveltekit-action': 'true'
		},
		body: new URLSearchParams(fields).toString()
	});
}

const RETURN: [string, string][] = [
	['revision', '1'],
	['path', 'description'],
	['severity', '必须修改'],
	['message', '请补充简介']
];
const APPROVE: [string, string][] = [
	['revision', '1'],
	['reason', '已核实']
];
const CORRECT: [string, string][] = [
	['revision', '1'],
	['field', 'name'],
	['v:name', '更正后的名称'],
	['reason', '名称有错字']
];

/** The outcome of an enhanced action: its `type` and `status`. */
const outcome = (r: ApiResponse) => r.json as { type: string; status?: number; data?: string };

beforeAll(async () => {
	server = await TestServer.start();
	for (const user of ['reviewer-150602', 'reviewer-150603', 'surveyor-150602', 'city'])
		cookies[user] = await cookieOf(user);
	own = await pushIn('150602', 0);
	other = await pushIn('150603', 0);
});
afterAll(async () => {
	await server?.stop();
});

describe('the registration form (登记表) of a record', () => {
	const form = (id: string, cookie: string) =>
		server.request('GET', `/review/records/${id}/form`, { headers: { cookie } });

	it('is printed for the reviewers of its county and the city, exact', async () => {
		for (const who of ['reviewer-150602', 'city']) {
			const response = await form(own, cookies[who]!);
			expect(response.status).toBe(200);
			expect(response.text).toContain('data-testid="registration-form"');
			expect(response.text).toContain('data-testid="form-point"');
		}
	});

	it('is missing (404) for a reviewer of another county, and not shown to a surveyor or a visitor', async () => {
		const response = await form(other, cookies['reviewer-150602']!);
		expect(response.status).toBe(404);
		expect(response.text).not.toContain('data-testid="registration-form"');
		const surveyor = await form(own, cookies['surveyor-150602']!);
		expect(surveyor.text).toContain('data-testid="reviewers-only"');
		expect(surveyor.text).not.toContain('data-testid="registration-form"');
		const visitor = await server.raw('GET', `/review/records/${own}/form`);
		expect(visitor.status).toBe(303);
		expect(visitor.headers.get('location')).toMatch(/^\/review\/login\?next=/);
	});
});

describe('the record page', () => {
	it('shows the reviewer of its county the record', async () => {
		const response = await page(own, cookies['reviewer-150602']!);
		expect(response.status).toBe(200);
		expect(response.text).toContain('data-testid="review-record"');
		expect(response.text).toContain('data-testid="approve-form"');
	});

	it('answers 404 to a reviewer of another county, as for a missing record', async () => {
		const response = await page(other, cookies['reviewer-150602']!);
		expect(response.status).toBe(404);
		expect(response.text).not.toContain('data-testid="review-record"');
		expect(
			(await page('00000000-0000-4000-8000-000000000000', cookies['reviewer-150602']!)).status
		).toBe(404);
	});

	it('shows a surveyor the note that the area is for reviewers, not the record', async () => {
		const response = await page(own, cookies['surveyor-150602']!);
		expect(response.text).toContain('data-testid="reviewers-only"');
		expect(response.text).not.toContain('data-testid="review-record"');
	});

	it('sends a visitor without a session to the login', async () => {
		const response = await server.raw('GET', `/review/records/${own}`);
		expect(response.status).toBe(303);
		expect(response.headers.get('location')).toBe(
			`/review/login?next=${encodeURIComponent(`/review/records/${own}`)}`
		);
	});
});

describe('its form actions', () => {
	it('refuse a reviewer of another county with 404 and write nothing', async () => {
		const before = await server.snapshot();
		for (const [name, fields] of [
			['approve', APPROVE],
			['return', RETURN],
			['correct', CORRECT]
		] as const) {
			const response = await action(other, name, cookies['reviewer-150602']!, fields);
			expect(response.status).toBe(404);
			expect(outcome(response).type).toBe('error');
		}
		expect(await server.snapshot()).toEqual(before);
	});

	it('refuse a surveyor with 403 and write nothing', async () => {
		const before = await server.snapshot();
		for (const [name, fields] of [
			['approve', APPROVE],
			['return', RETURN],
			['correct', CORRECT]
		] as const) {
			const response = await action(own, name, cookies['surveyor-150602']!, fields);
			expect(response.status).toBe(403);
			expect(outcome(response).type).toBe('error');
		}
		expect(await server.snapshot()).toEqual(before);
	});

	it('refuse a post from another origin and write nothing', async () => {
		const before = await server.snapshot();
		const response = await server.request('POST', `/review/records/${own}?/approve`, {
			headers: {
				cookie: cookies['reviewer-150602']!,
				origin: 'https://evil.example',
				'content-type': 'application/x-www-form-urlencoded'
			},
			body: new URLSearchParams(APPROVE).toString()
		});
		expect(response.status).toBe(403);
		expect(await server.snapshot()).toEqual(before);
	});

	it('refuse a return without a comment (422) and a stale revision (409), writing nothing', async () => {
		const before = await server.snapshot();
		const empty = await action(own, 'return', cookies['reviewer-150602']!, [
			['revision', '1'],
			['path', ''],
			['severity', '必须修改'],
			['message', '  ']
		]);
		expect(outcome(empty)).toMatchObject({ type: 'failure', status: 422 });
		const stale = await action(own, 'return', cookies['reviewer-150602']!, [
			...RETURN.slice(1),
			['revision', '7']
		]);
		expect(outcome(stale)).toMatchObject({ type: 'failure', status: 409 });
		expect(stale.text).toContain('请刷新后重新审阅');
		expect(await server.snapshot()).toEqual(before);
	});

	it('let the county reviewer correct and then return, with the comment on its field', async () => {
		const reviewer = cookies['reviewer-150602']!;
		const corrected = await action(own, 'correct', reviewer, CORRECT);
		expect(outcome(corrected)).toMatchObject({ type: 'success', status: 200 });
		const returned = await action(own, 'return', reviewer, [...RETURN.slice(1), ['revision', '2']]);
		expect(outcome(returned)).toMatchObject({ type: 'success', status: 200 });
		const { body } = await server.record(own, await server.as('reviewer-150602'));
		expect(body.status).toBe('returned');
		expect(body.record.name).toBe('更正后的名称');
		expect(body.history.map((h) => h.action)).toEqual(['push', 'correct', 'return']);
		const last = body.history[2] as { comments?: { path?: string; severity?: string }[] };
		expect(last.comments).toMatchObject([{ path: 'description', severity: '必须修改' }]);
		// the city reviewer sees it but has no decision to take on it
		const city = await page(own, cookies.city!);
		expect(city.status).toBe(200);
		expect(city.text).toContain('data-testid="decision-not-yours"');
		expect(city.text).not.toContain('data-testid="approve-form"');
	});
});
