/**
 * Issue 10, points 1–8, as a client observes them against the production server: who may write
 * through the sync API, who may revise a record, hostile backup files refused in bounded memory,
 * a login flood that slows only itself, Origin checked on every cookie-authenticated state
 * change, security headers on every response, a device id bound to one account, and the
 * contract's JSON error on every /api error.
 */
import { randomUUID } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RegisteredSite } from '$lib/domain/schemas/index.js';
import {
	deflateBombZip,
	duplicateManifestZip,
	duplicatePathZip,
	overlappingEntriesZip,
	type BuiltZip
} from '../fixtures/hostile-zips.js';
import { DEMO_PASSWORD, recheckOf, TestServer } from './harness.js';
import { sha256Hex, uniqueJpeg } from '../fixtures/builders.js';

let server: TestServer;
let sites: RegisteredSite[];
let nextSite = 0;
const site = () => sites[nextSite++]!;
let tmp: string;

beforeAll(async () => {
	server = await TestServer.start();
	sites = await server.sites('150627');
	tmp = mkdtempSync(join(tmpdir(), 'trust-'));
});
afterAll(async () => {
	await server?.stop();
	rmSync(tmp, { recursive: true, force: true });
});

function expectError(
	response: { status: number; json: unknown; headers: Headers },
	status: number
) {
	expect(response.status).toBe(status);
	expect(response.headers.get('content-type')).toMatch(/^application\/json/);
	expect(response.json).toMatchObject({ error: expect.stringMatching(/\S/) });
}

describe('1. reviewers do not write through the sync API', () => {
	for (const username of ['reviewer-150627', 'city']) {
		it(`${username}: push, photo upload and device report answer 403, and nothing is written`, async () => {
			const token = await server.as(username);
			const surveyor = await server.as('surveyor-150627');
			const [photo] = await server.uploadPhotos(surveyor, 1);
			const record = recheckOf(site(), [photo!]);
			const before = await server.snapshot();

			const pushed = await server.post(
				'/api/sync/push',
				{ deviceId: `device-${username}`, records: [record] },
				token
			);
			expectError(pushed, 403);
			expect((pushed.json as { error: string }).error).toContain('调查员');

			const bytes = uniqueJpeg();
			const put = await server.request('PUT', `/api/photos/${sha256Hex(bytes)}`, {
				token,
				body: bytes,
				headers: { 'content-type': 'image/jpeg' }
			});
			expectError(put, 403);

			const report = await server.post(
				'/api/devices/report',
				{ deviceId: `device-${username}`, unsent: 0 },
				token
			);
			expectError(report, 403);
			expect(await server.snapshot()).toEqual(before);

			// the surveyor's device does the same and is accepted
			const ok = await server.pushOne(surveyor, record);
			expect(ok.status).toBe('accepted');
		});
	}
});

describe('2. only the author pushes a new revision of a record', () => {
	it('another surveyor of the same county gets rejected with the code not_author; the author is accepted', async () => {
		const author = await server.as('surveyor-150627');
		const other = await server.secondSurveyor('150627');
		const photos = await server.uploadPhotos(author, 2);
		const record = recheckOf(site(), photos);
		expect((await server.pushOne(author, record)).status).toBe('accepted');

		const before = await server.snapshot();
		const changed = { ...record, baseRevision: 1, description: '另一位调查员改写的简介' };
		const refused = await server.pushOne(other, changed);
		expect(refused).toMatchObject({ id: record.id, status: 'rejected', code: 'not_author' });
		expect(refused.issues?.[0]?.message).toContain('登记人');
		// an identical copy is refused the same way: no answer about another's record but this
		expect(await server.pushOne(other, record)).toMatchObject({ code: 'not_author' });
		expect(await server.snapshot()).toEqual(before);

		const own = await server.pushOne(author, changed);
		expect(own).toMatchObject({ status: 'accepted', revision: 2 });
	});

	it('every rejection says why with a code', async () => {
		const author = await server.as('surveyor-150627');
		const results = await server.push(author, [
			{ id: randomUUID(), schemaVersion: 1 },
			recheckOf(site(), ['0'.repeat(64)]),
			recheckOf(site(), [], { countyCode: '150602' })
		]);
		expect(results.map((r) => [r.status, (r as { code?: string }).code])).toEqual([
			['rejected', 'invalid'],
			['rejected', 'photo_missing'],
			['rejected', 'out_of_scope']
		]);
	});
});

/** Sends a file through the chunked import as `token`; the finish answer. */
async function importChunked(token: string, file: BuiltZip) {
	const start = await server.request('POST', '/api/imports', { token });
	expect(start.status).toBe(201);
	const { id, chunkBytes } = start.json as { id: string; chunkBytes: number };
	const bytes = readFileSync(file.path);
	let n = 0;
	for (let at = 0; at < bytes.length; at += chunkBytes, n++) {
		const put = await server.request('PUT', `/api/imports/${id}/chunks/${n}`, {
			token,
			body: bytes.subarray(at, at + chunkBytes),
			headers: { 'content-type': 'application/octet-stream' }
		});
		expect(put.status).toBe(201);
	}
	return server.post(`/api/imports/${id}/finish`, { chunks: n }, token);
}

describe('3. hostile backup files are refused in bounded memory, and nothing is written', () => {
	const files: [string, () => BuiltZip, RegExp][] = [
		[
			'a manifest listing one 4 MB record 1,500 times',
			() => duplicateManifestZip(join(tmp, 'dup-manifest.zip'), { username: 'surveyor-150627' }),
			/不止一次/
		],
		[
			'the same entry name twice',
			() => duplicatePathZip(join(tmp, 'dup-path.zip'), { username: 'surveyor-150627' }),
			/重复的条目/
		],
		[
			'the same manifest name twice, the second naming the city reviewer',
			() =>
				duplicatePathZip(join(tmp, 'dup-manifest-name.zip'), {
					entry: 'manifest',
					username: 'surveyor-150627'
				}),
			/重复的条目/
		],
		[
			'1,500 entries overlapping the same 4 MB',
			() => overlappingEntriesZip(join(tmp, 'overlap.zip'), { username: 'surveyor-150627' }),
			/重叠/
		],
		[
			'a deflate bomb (4 GB in a few MB)',
			() => deflateBombZip(join(tmp, 'bomb.zip'), { username: 'surveyor-150627' }),
			/压缩/
		],
		[
			'a deflate bomb whose headers claim 1 KB',
			() =>
				deflateBombZip(join(tmp, 'bomb-lying.zip'), {
					username: 'surveyor-150627',
					inflatedBytes: 256 * 1024 * 1024,
					declaredBytes: 1024
				}),
			/压缩/
		]
	];
	for (const [name, build, message] of files) {
		it(`${name}: 422 with a message; the server keeps serving`, async () => {
			const file = build();
			const city = await server.as('city');
			const before = await server.snapshot();
			const answer = await importChunked(city, file);
			expectError(answer, 422);
			expect((answer.json as { error: string }).error).toMatch(message);
			expect(server.alive).toBe(true);
			expect((await server.get('/api/health')).status).toBe(200);
			const after = await server.snapshot();
			// the chunked upload leaves its folder under imports/; the data is untouched
			expect({ ...after, 'dataDir.entries': undefined }).toEqual({
				...before,
				'dataDir.entries': undefined
			});
		});
	}

	it('the command-line import refuses the same file with a message and exit code 1', async () => {
		const file = duplicateManifestZip(join(tmp, 'dup-cli.zip'), { username: 'surveyor-150627' });
		const { spawnSync } = await import('node:child_process');
		const run = spawnSync('npx', ['tsx', 'scripts/admin.ts', 'import', file.path], {
			env: { ...process.env, DATA_DIR: server.dataDir },
			encoding: 'utf8'
		});
		expect(run.status).toBe(1);
		expect(run.stderr).toMatch(/不止一次/);
	});
});

describe('5. Origin is checked on every cookie-authenticated state change', () => {
	let cookie: string;
	let deviceId: string;
	beforeAll(async () => {
		const session = await server.login('city');
		cookie = session.cookie!;
		deviceId = `csrf-device-${randomUUID()}`;
		await server.login('surveyor-150623', DEMO_PASSWORD, deviceId);
	});

	const calls = (id: string): [string, string, Record<string, string>, string?][] => [
		['POST', `/api/admin/devices/${id}/revoke`, {}],
		['POST', '/api/auth/logout', {}],
		['POST', '/api/imports', {}],
		['POST', '/api/imports', { 'content-type': 'application/json' }, '{}'],
		['POST', '/api/admin/users', { 'content-type': 'text/plain' }, '{"username":"x"}'],
		[
			'POST',
			'/review/users?/revoke',
			{ 'content-type': 'application/x-www-form-urlencoded' },
			`username=surveyor-150623&deviceId=${id}`
		]
	];

	it('refuses each with a foreign Origin, or with no Origin and no Sec-Fetch-Site, and changes nothing', async () => {
		const before = await server.snapshot();
		for (const headers of [{ origin: 'https://evil.example' }, {}] as Record<string, string>[]) {
			for (const [method, path, extra, body] of calls(deviceId)) {
				const response = await server.request(method, path, {
					headers: { cookie, ...extra, ...headers },
					...(body ? { body } : {})
				});
				expect(response.status, `${method} ${path} ${JSON.stringify(headers)}`).toBe(403);
				if (path.startsWith('/api/')) expectError(response, 403);
			}
		}
		expect(await server.snapshot()).toEqual(before);
		// the session and the device's login still work
		expect((await server.request('GET', '/api/auth/me', { headers: { cookie } })).status).toBe(200);
		const users = await server.request('GET', '/api/admin/users', { headers: { cookie } });
		const device = (
			users.json as { users: { devices: { deviceId: string; signedIn: boolean }[] }[] }
		).users
			.flatMap((u) => u.devices)
			.find((d) => d.deviceId === deviceId);
		expect(device?.signedIn).toBe(true);
	});

	it('accepts the same from its own origin (Origin, or Sec-Fetch-Site: same-origin)', async () => {
		const origin = await server.request('POST', '/api/imports', {
			headers: { cookie, origin: server.url }
		});
		expect(origin.status).toBe(201);
		const fetchSite = await server.request('POST', '/api/imports', {
			headers: { cookie, 'sec-fetch-site': 'same-origin' }
		});
		expect(fetchSite.status).toBe(201);
	});

	it('leaves device requests with a Bearer token alone', async () => {
		const token = await server.as('surveyor-150627');
		const response = await server.request('POST', '/api/sync/push', {
			token,
			json: { deviceId: 'device-surveyor-150627', records: [] },
			headers: { origin: 'https://evil.example' }
		});
		expect(response.status).toBe(200);
	});

	it('refuses a login posted from another site', async () => {
		const response = await server.request('POST', '/api/auth/login', {
			json: { username: 'city', password: DEMO_PASSWORD },
			headers: { origin: 'https://evil.example' }
		});
		expectError(response, 403);
	});
});

describe('6. security headers on every response', () => {
	const paths = [
		'/',
		'/review/login',
		'/review',
		'/sites',
		'/api/health',
		'/api/no-such',
		'/_app/version.json',
		'/sw.js',
		'/manifest.webmanifest',
		'/data/ordos-counties.geojson'
	];
	for (const path of paths) {
		it(path, async () => {
			const response = await server.raw('GET', path);
			const csp = response.headers.get('content-security-policy') ?? '';
			expect(csp).toMatch(/frame-ancestors 'none'/);
			expect(csp).toMatch(/default-src '(self|none)'/);
			expect(response.headers.get('x-content-type-options')).toBe('nosniff');
			expect(response.headers.get('referrer-policy')).toBe('same-origin');
			const permissions = response.headers.get('permissions-policy') ?? '';
			expect(permissions).toContain('geolocation=(self)');
			expect(permissions).toContain('camera=(self)');
			expect(permissions).toContain('microphone=()');
		});
	}

	it('the prerendered shell carries the hashes of its inline scripts in the header policy', async () => {
		const response = await server.raw('GET', '/');
		expect(response.status).toBe(200);
		expect(response.headers.get('content-security-policy')).toMatch(/script-src 'self' 'sha256-/);
	});
});

describe('7. a device id belongs to one account; a revoked device stays revoked', () => {
	it('refuses another account on a device (409), keeps a revoked device revoked until reinstated', async () => {
		const deviceId = `bound-${randomUUID()}`;
		const first = await server.login('surveyor-150626', DEMO_PASSWORD, deviceId);
		const other = await server.post('/api/auth/login', {
			username: 'surveyor-150625',
			password: DEMO_PASSWORD,
			deviceId
		});
		expectError(other, 409);
		expect((other.json as { error: string }).error).toContain('surveyor-150626');

		// a session token pushing as that device is refused too, and the device keeps its owner
		const session = await server.login('surveyor-150625');
		const push = await server.post('/api/sync/push', { deviceId, records: [] }, session.token);
		expectError(push, 409);
		const city = await server.as('city');
		const revoked = await server.post(`/api/admin/devices/${deviceId}/revoke`, {}, city);
		expect(revoked.status).toBe(200);
		expect((await server.get('/api/auth/me', first.token)).status).toBe(401);
		const again = await server.post('/api/auth/login', {
			username: 'surveyor-150626',
			password: DEMO_PASSWORD,
			deviceId
		});
		expectError(again, 403);
		expect((again.json as { error: string }).error).toContain('注销');

		const reinstated = await server.post(`/api/admin/devices/${deviceId}/reinstate`, {}, city);
		expect(reinstated.status).toBe(200);
		const back = await server.login('surveyor-150626', DEMO_PASSWORD, deviceId);
		expect((await server.get('/api/auth/me', back.token)).status).toBe(200);
		// only a city reviewer reinstates
		const denied = await server.post(
			`/api/admin/devices/${deviceId}/reinstate`,
			{},
			await server.as('reviewer-150626')
		);
		expectError(denied, 403);
	});
});

describe('8. every /api error is JSON', () => {
	const wrong: [string, string][] = [
		['GET', '/api/sync/push'],
		['PUT', '/api/auth/login'],
		['DELETE', '/api/health'],
		['POST', '/api/registry'],
		['PATCH', `/api/records/${randomUUID()}`],
		['GET', '/api/auth/logout']
	];
	for (const [method, path] of wrong) {
		it(`${method} ${path}: 405 with the contract's error and Allow`, async () => {
			const response = await server.request(method, path, { token: await server.as('city') });
			expectError(response, 405);
			expect(response.headers.get('allow')).toMatch(/[A-Z]/);
		});
	}

	it('a body over BODY_SIZE_LIMIT: 413 in JSON', async () => {
		const response = await server.raw('POST', '/api/sync/push', {
			headers: { 'content-type': 'application/json', 'content-length': String(30 * 1024 * 1024) }
		});
		expect(response.status).toBe(413);
		expect(JSON.parse(response.text)).toMatchObject({ error: expect.any(String) });
	});
});
