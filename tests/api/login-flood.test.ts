/**
 * Issue 10 point 4: a flood of logins slows only itself. The server is started behind a "proxy"
 * (ADDRESS_HEADER=x-forwarded-for), so each request can say which client it comes from.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_PASSWORD, recheckOf, TestServer, type ApiResponse } from './harness.js';

let server: TestServer;

beforeAll(async () => {
	server = await TestServer.start({ ADDRESS_HEADER: 'x-forwarded-for', XFF_DEPTH: '1' });
});
afterAll(async () => {
	await server?.stop();
});

const from = (address: string) => ({ 'x-forwarded-for': address });

function bogusLogin(n: number, address: string): Promise<ApiResponse> {
	return server.request('POST', '/api/auth/login', {
		json: { username: `nobody-${n}`, password: 'wrong-password' },
		headers: from(address)
	});
}

describe('a login flood', () => {
	// how fast they answer is a figure of `npm run bench -- --only trust` (pushes during a login
	// flood against idle pushes), not an assertion here: a busy CI machine makes any bound flaky
	it('200 concurrent bogus logins from 200 addresses: health and a small push still answer', async () => {
		const surveyor = (
			await server.request('POST', '/api/auth/login', {
				json: { username: 'surveyor-150627', password: DEMO_PASSWORD, deviceId: 'flood-device' },
				headers: from('192.0.2.1')
			})
		).json as { token: string };
		const sites = await server.sites('150627');
		const [a, b] = await server.uploadPhotos(surveyor.token, 2);

		const flood = Array.from({ length: 200 }, (_, n) =>
			bogusLogin(n, `198.51.${Math.floor(n / 250)}.${n % 250}`)
		);
		await new Promise((r) => setTimeout(r, 150));
		const health = await server.get('/api/health');
		const push = await server.request('POST', '/api/sync/push', {
			token: surveyor.token,
			json: { deviceId: 'flood-device', records: [recheckOf(sites[0]!, [a!, b!])] },
			headers: from('192.0.2.1')
		});
		const answers = await Promise.all(flood);

		expect(health.status).toBe(200);
		expect(push.status).toBe(200);
		expect((push.json as { results: { status: string }[] }).results[0]!.status).toBe('accepted');

		const statuses = answers.map((r) => r.status);
		expect(statuses.every((s) => s === 401 || s === 429)).toBe(true);
		const busy = answers.filter((r) => r.status === 429);
		expect(busy.length).toBeGreaterThan(100);
		for (const r of busy) {
			expect(Number(r.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
			expect((r.json as { error: string }).error).toContain('秒后再试');
		}
	});

	it('one address holds at most a few places: its extra attempts are refused at once, others get through', async () => {
		const burst = await Promise.all(
			Array.from({ length: 20 }, (_, n) => bogusLogin(1000 + n, '203.0.113.7'))
		);
		const refused = burst.filter((r) => r.status === 429);
		expect(refused.length).toBeGreaterThanOrEqual(10);
		// meanwhile a surveyor elsewhere logs in
		const ok = await server.request('POST', '/api/auth/login', {
			json: { username: 'surveyor-150602', password: DEMO_PASSWORD },
			headers: from('192.0.2.50')
		});
		expect(ok.status).toBe(200);
	});

	it('an address with 100 failed logins in 10 minutes is refused with a message; another address is not', async () => {
		const address = '203.0.113.99';
		// two at a time, as many as run at once: within the address's places, so none is refused
		for (let n = 0; n < 100; n += 2) {
			const pair = await Promise.all([
				bogusLogin(2000 + n, address),
				bogusLogin(2001 + n, address)
			]);
			expect(pair.map((r) => r.status)).toEqual([401, 401]);
		}
		const locked = await server.request('POST', '/api/auth/login', {
			json: { username: 'surveyor-150603', password: DEMO_PASSWORD },
			headers: from(address)
		});
		expect(locked.status).toBe(429);
		expect((locked.json as { error: string }).error).toContain('网络地址');
		expect(Number(locked.headers.get('retry-after'))).toBeGreaterThan(60);
		const elsewhere = await server.request('POST', '/api/auth/login', {
			json: { username: 'surveyor-150603', password: DEMO_PASSWORD },
			headers: from('192.0.2.60')
		});
		expect(elsewhere.status).toBe(200);
	});
});
