/** Logging in and out, the failed-login limit, and 401 on every non-public route (contract §3). */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_PASSWORD, TestServer, type ApiResponse } from './harness.js';
import { FIXTURE_JPEG, pushBody, sha256Hex } from '../fixtures/builders.js';

let server: TestServer;

beforeAll(async () => {
	server = await TestServer.start();
});
afterAll(async () => {
	await server?.stop();
});

const SHA = sha256Hex(FIXTURE_JPEG);
const ID = randomUUID();

/** Every route that needs a login, with a body where it takes one. */
const PROTECTED: { method: string; path: string; body?: string; type?: string }[] = [
	{ method: 'GET', path: '/api/auth/me' },
	{ method: 'POST', path: '/api/auth/logout' },
	{ method: 'GET', path: '/api/registry' },
	{ method: 'GET', path: '/api/registry?county=150627&since=0' },
	{ method: 'PUT', path: `/api/photos/${SHA}`, body: 'x'.repeat(100), type: 'image/jpeg' },
	{ method: 'HEAD', path: `/api/photos/${SHA}` },
	{ method: 'GET', path: `/api/photos/${SHA}` },
	{
		method: 'POST',
		path: '/api/sync/push',
		body: JSON.stringify(pushBody('d', [])),
		type: 'application/json'
	},
	{ method: 'GET', path: '/api/sync/pull' },
	{ method: 'GET', path: '/api/sync/pull?since=0' },
	{ method: 'GET', path: '/api/review/records' },
	{ method: 'GET', path: `/api/records/${ID}` },
	{
		method: 'POST',
		path: `/api/records/${ID}/decision`,
		body: JSON.stringify({ decision: 'approve', revision: 1, comments: [] }),
		type: 'application/json'
	},
	{
		method: 'POST',
		path: '/api/registry/publish',
		body: JSON.stringify({ note: 'x' }),
		type: 'application/json'
	},
	{ method: 'GET', path: '/api/no-such-route' }
];

function expect401(response: ApiResponse, method: string) {
	expect(response.status).toBe(401);
	if (method !== 'HEAD') {
		expect(response.json).toMatchObject({ error: expect.any(String) });
	}
}

describe('401 without a valid login', () => {
	const credentials: [string, Record<string, string>][] = [
		['no credentials', {}],
		['an unknown bearer token', { authorization: `Bearer ${'A'.repeat(43)}` }],
		['a malformed Authorization header', { authorization: 'Basic Y2l0eTpvcmRvcy1kZW1v' }],
		['an unknown session cookie', { cookie: `survey_session=${'B'.repeat(43)}` }]
	];
	for (const [name, headers] of credentials) {
		it.each(PROTECTED)(`${name}: $method $path`, async ({ method, path, body, type }) => {
			// a connection per request, so one refused body cannot stall the next request
			const response = await server.raw(method, path, {
				body,
				headers: { ...headers, ...(type ? { 'content-type': type } : {}) }
			});
			expect401(response, method);
		});
	}

	it('lets anyone read /api/public/info', async () => {
		const response = await server.get('/api/public/info');
		expect(response.status).toBe(200);
		expect(response.json).toMatchObject({ demo: true });
	});
});

describe('login', () => {
	it('answers {token, user} with the role and counties, and sets a session cookie', async () => {
		const city = await server.login('city');
		expect(city.token).toMatch(/^[A-Za-z0-9_-]{20,}$/);
		expect(city.user).toMatchObject({ username: 'city', role: 'city_reviewer' });
		expect([...city.user.counties].sort()).toEqual([
			'150602',
			'150603',
			'150621',
			'150622',
			'150623',
			'150624',
			'150625',
			'150626',
			'150627'
		]);
		expect(city.cookie).toMatch(/^survey_session=.+/);
		const reviewer = await server.login('reviewer-150626', DEMO_PASSWORD, 'device-1');
		expect(reviewer.user).toMatchObject({
			username: 'reviewer-150626',
			role: 'county_reviewer',
			counties: ['150626']
		});
		const surveyor = await server.login('surveyor-150626');
		expect(surveyor.user).toMatchObject({ role: 'surveyor', counties: ['150626'] });
		const me = await server.get('/api/auth/me', surveyor.token);
		expect(me.status).toBe(200);
		expect(me.json).toMatchObject({ user: { username: 'surveyor-150626', role: 'surveyor' } });
	});

	it('uses DEMO_PASSWORD for the demo accounts (the default password does not work)', async () => {
		const response = await server.post('/api/auth/login', {
			username: 'surveyor-150621',
			password: 'ordos-demo'
		});
		expect(response.status).toBe(401);
	});

	it('answers a wrong password and an unknown user alike: 401 with an error', async () => {
		const wrong = await server.post('/api/auth/login', {
			username: 'reviewer-150621',
			password: 'wrong'
		});
		const unknown = await server.post('/api/auth/login', {
			username: 'no-such-user',
			password: 'wrong'
		});
		expect(wrong.status).toBe(401);
		expect(unknown.status).toBe(401);
		expect(wrong.json).toMatchObject({ error: expect.any(String) });
		expect(unknown.json).toEqual(wrong.json);
		expect(wrong.headers.getSetCookie()).toEqual([]);
	});

	it('works with the session cookie alone for GET', async () => {
		const session = await server.login('reviewer-150622');
		const response = await server.request('GET', '/api/registry?county=150622', {
			headers: { cookie: session.cookie! }
		});
		expect(response.status).toBe(200);
		expect((response.json as { sites: unknown[] }).sites.length).toBeGreaterThan(0);
		const me = await server.request('GET', '/api/auth/me', {
			headers: { cookie: session.cookie! }
		});
		expect(me.json).toMatchObject({ user: { username: 'reviewer-150622' } });
	});
});

describe('failed-login limit', () => {
	const attempt = (username: string, password: string) =>
		server.post('/api/auth/login', { username, password });

	it('refuses a username after 10 failures within 10 minutes (429), even with the right password', async () => {
		const user = 'reviewer-150603';
		for (let i = 1; i <= 10; i++) {
			const response = await attempt(user, `wrong-${i}`);
			expect(response.status, `failure ${i}`).toBe(401);
		}
		const limited = await attempt(user, 'wrong-11');
		expect(limited.status).toBe(429);
		expect(limited.json).toMatchObject({ error: expect.any(String) });
		const retryAfter = Number(limited.headers.get('retry-after'));
		expect(retryAfter).toBeGreaterThan(0);
		expect(retryAfter).toBeLessThanOrEqual(600);
		// the right password is refused too while the limit holds
		const right = await attempt(user, DEMO_PASSWORD);
		expect(right.status).toBe(429);
		expect(right.headers.getSetCookie()).toEqual([]);
	});

	it('leaves other usernames alone', async () => {
		// surveyor-150603 shares the county but not the username
		const other = await attempt('surveyor-150603', DEMO_PASSWORD);
		expect(other.status).toBe(200);
		const otherWrong = await attempt('city', 'wrong');
		expect(otherWrong.status).toBe(401);
		expect((await attempt('city', DEMO_PASSWORD)).status).toBe(200);
	});

	it('counts failures for a username that does not exist the same way', async () => {
		const user = `ghost-${randomUUID().slice(0, 8)}`;
		for (let i = 1; i <= 10; i++) expect((await attempt(user, 'x')).status).toBe(401);
		expect((await attempt(user, 'x')).status).toBe(429);
	});

	it('a successful login clears the count (9 failures, success, 9 failures: no 429)', async () => {
		const user = 'surveyor-150624';
		for (let i = 0; i < 9; i++) expect((await attempt(user, 'x')).status).toBe(401);
		expect((await attempt(user, DEMO_PASSWORD)).status).toBe(200);
		for (let i = 0; i < 9; i++) expect((await attempt(user, 'x')).status).toBe(401);
		expect((await attempt(user, DEMO_PASSWORD)).status).toBe(200);
	});
});

describe('logout', () => {
	it('answers 204 and ends this token only', async () => {
		const one = await server.login('surveyor-150625', DEMO_PASSWORD, 'device-a');
		const two = await server.login('surveyor-150625', DEMO_PASSWORD, 'device-b');
		expect((await server.get('/api/auth/me', one.token)).status).toBe(200);
		const out = await server.request('POST', '/api/auth/logout', { token: one.token });
		expect(out.status).toBe(204);
		expect(out.text).toBe('');
		expect((await server.get('/api/auth/me', one.token)).status).toBe(401);
		expect((await server.get('/api/sync/pull', one.token)).status).toBe(401);
		// logging out again with the ended token: 401
		expect((await server.request('POST', '/api/auth/logout', { token: one.token })).status).toBe(
			401
		);
		// the other device keeps its token
		expect((await server.get('/api/auth/me', two.token)).status).toBe(200);
	});

	it('ends a cookie session', async () => {
		const session = await server.login('reviewer-150625');
		const cookie = { cookie: session.cookie! };
		expect((await server.request('GET', '/api/auth/me', { headers: cookie })).status).toBe(200);
		const out = await server.request('POST', '/api/auth/logout', {
			headers: { ...cookie, origin: server.url }
		});
		expect(out.status).toBe(204);
		expect((await server.request('GET', '/api/auth/me', { headers: cookie })).status).toBe(401);
		expect((await server.get('/api/auth/me', session.token)).status).toBe(401);
	});
});
