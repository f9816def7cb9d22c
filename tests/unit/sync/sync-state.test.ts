import 'fake-indexeddb/auto';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { DeviceStore } from '$lib/db/index.js';
import { SyncState } from '$lib/sync/sync.svelte.js';
import { backoffDelay, BACKOFF_CAP_MS } from '$lib/sync/backoff.js';
import { login, logout } from '$lib/sync/session.js';
import { makeSite } from '../../fixtures/builders.js';
import { FakeServer } from './fake-server.js';
import { runSync } from '$lib/sync/engine.js';
import { closeStore, context, openStore, queuedRecord } from './device.js';

let store: DeviceStore;
let server: FakeServer;
let online: boolean;
let clock: number;
const base = 'http://server.test';

function syncState(): SyncState {
	// The browser's fetch takes same-origin paths; the fake takes them relative to its base.
	const fetch = (input: RequestInfo | URL, init?: RequestInit) =>
		server.fetch(new URL(String(input), base), init);
	return new SyncState(store, { fetch, online: () => online, now: () => clock });
}

async function loggedIn(): Promise<SyncState> {
	const sync = syncState();
	const result = await sync.login('surveyor-150627', 'ordos-demo');
	expect(result.ok).toBe(true);
	// login() starts a run; wait for it.
	await sync.syncNow();
	return sync;
}

beforeEach(async () => {
	store = await openStore();
	server = new FakeServer([makeSite()]);
	online = true;
	clock = Date.parse('2025-06-02T12:00:00Z');
});
afterEach(async () => {
	vi.useRealTimers();
	await closeStore(store);
});

describe('backoff', () => {
	it('doubles from 5 s and never waits more than 5 minutes', () => {
		expect(backoffDelay(0)).toBe(0);
		expect([1, 2, 3, 4, 5, 6, 7].map(backoffDelay)).toEqual([
			5_000, 10_000, 20_000, 40_000, 80_000, 160_000, 300_000
		]);
		for (const n of [8, 20, 100, 10_000]) expect(backoffDelay(n)).toBe(BACKOFF_CAP_MS);
		expect(BACKOFF_CAP_MS).toBeLessThanOrEqual(5 * 60_000);
	});
});

describe('login', () => {
	it('stores the token and the account with a stable device id', async () => {
		const first = await login(store, 'surveyor-150627', 'ordos-demo', { fetch: server.fetch });
		expect(first).toMatchObject({
			ok: true,
			session: { user: { username: 'surveyor-150627', role: 'surveyor', counties: ['150627'] } }
		});
		const deviceId = await store.getSetting('deviceId');
		expect(deviceId).toMatch(/^[0-9a-f-]{36}$/);
		await login(store, 'surveyor-150627', 'ordos-demo', { fetch: server.fetch });
		expect(await store.getSetting('deviceId')).toBe(deviceId);
		const bodies = server.requests('POST').map((r) => r.body as { deviceId: string });
		expect(bodies.map((b) => b.deviceId)).toEqual([deviceId, deviceId]);
	});

	it('tells wrong credentials from too many failures from no network', async () => {
		expect(await login(store, 'surveyor-150627', 'wrong', { fetch: server.fetch })).toMatchObject({
			ok: false,
			kind: 'credentials'
		});
		server.failures = 10;
		expect(await login(store, 'surveyor-150627', 'wrong', { fetch: server.fetch })).toMatchObject({
			ok: false,
			kind: 'throttled',
			status: 429
		});
		server.interfere = () => 'offline';
		expect(
			await login(store, 'surveyor-150627', 'ordos-demo', { fetch: server.fetch })
		).toMatchObject({ ok: false, kind: 'offline' });
		expect(await store.getSetting('session')).toBeUndefined();
	});

	it('signing out removes the token and nothing else', async () => {
		await login(store, 'surveyor-150627', 'ordos-demo', { fetch: server.fetch });
		const row = await queuedRecord(store, 1, { photos: 1 });
		await logout(store, { fetch: server.fetch });
		expect(await store.getSetting('session')).toBeUndefined();
		expect(await store.getRecord(row.id)).toEqual(row);
		expect(await store.photoBlob(row.record.photos[0]!.sha256)).toBeDefined();
		expect(server.trace()).toContain('POST /api/auth/logout');
	});
});

describe('SyncState', () => {
	it('after login loads the registry of the account from the server and syncs', async () => {
		const row = await queuedRecord(store, 1, { photos: 1 });
		const sync = await loggedIn();
		expect(await store.getSetting('registrySource')).toMatchObject({ kind: 'server', count: 1 });
		expect((await store.getRecord(row.id))?.serverStatus).toBe('submitted');
		expect(sync.queued).toBe(0);
		expect(sync.lastSyncAt).toBe('2025-06-02T12:00:00.000Z');
		expect(sync.failure).toBeNull();
	});

	it('backs off after server errors, capped at 5 minutes; 立即同步 overrides the wait', async () => {
		const sync = await loggedIn();
		vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
		await queuedRecord(store, 1, { photos: 0 });
		server.interfere = (req) => (req.path === '/api/sync/push' ? 500 : undefined);

		const waits: number[] = [];
		await sync.syncNow();
		const pushes = () => server.pushes().length;
		for (let i = 0; i < 9; i++) {
			expect(sync.failure).toMatchObject({ kind: 'server', status: 500 });
			waits.push(sync.nextTryAt! - clock);
			const before = pushes();
			// Nothing is tried before the wait is over …
			await vi.advanceTimersByTimeAsync(waits.at(-1)! - 1);
			expect(pushes()).toBe(before);
			// … and when it is, the next run goes.
			await vi.advanceTimersByTimeAsync(1);
			await sync.settled();
			expect(pushes()).toBe(before + 1);
		}
		expect(waits).toEqual([5, 10, 20, 40, 80, 160, 300, 300, 300].map((s) => s * 1000));

		// 立即同步 does not wait, and a success ends the backoff.
		server.interfere = () => undefined;
		await sync.syncNow();
		expect(sync.failure).toBeNull();
		expect(sync.failures).toBe(0);
		expect(sync.nextTryAt).toBeNull();
		expect(sync.queued).toBe(0);
	});

	it('while the browser is offline tries nothing and sets no timer', async () => {
		const sync = await loggedIn();
		await queuedRecord(store, 1, { photos: 0 });
		online = false;
		server.log.length = 0;

		await sync.syncNow();

		expect(server.log).toHaveLength(0);
		expect(sync.failure).toMatchObject({ kind: 'offline' });
		expect(sync.nextTryAt).toBeNull();
		expect(sync.queued).toBe(1);
	});

	it('calls an unreachable server offline and retries later', async () => {
		const sync = await loggedIn();
		await queuedRecord(store, 1, { photos: 0 });
		server.interfere = () => 'offline';

		await sync.syncNow();

		expect(sync.failure).toMatchObject({ kind: 'offline' });
		expect(sync.nextTryAt).toBe(clock + 5_000);
		sync.reset();
	});

	it('on a 401 asks for a new login, stops retrying and keeps all data', async () => {
		const sync = await loggedIn();
		const row = await queuedRecord(store, 1, { photos: 1 });
		server.tokens.clear();

		await sync.syncNow();

		expect(sync.failure).toMatchObject({ kind: 'auth', status: 401 });
		expect(sync.loggedIn).toBe(false);
		expect(sync.session?.expired).toBe(true);
		expect((await store.getSetting('session'))?.expired).toBe(true);
		expect(sync.nextTryAt).toBeNull();
		expect(await store.getRecord(row.id)).toEqual(row);
		expect(sync.queued).toBe(1);

		// Nothing goes out until the next login; then the record does.
		server.log.length = 0;
		await sync.syncNow();
		expect(server.log).toHaveLength(0);
		await sync.login('surveyor-150627', 'ordos-demo');
		await sync.syncNow();
		expect(sync.session?.expired).toBeUndefined();
		expect((await store.getRecord(row.id))?.serverStatus).toBe('submitted');
	});

	it('tells open forms and lists what the sync changed', async () => {
		const sync = await loggedIn();
		const row = await queuedRecord(store, 1, { photos: 0 });
		const seen: string[] = [];
		let lists = 0;
		sync.on('record', (r) => seen.push(`${r.id}:${r.serverStatus}`));
		sync.on('records', () => lists++);
		await sync.syncNow();
		expect(seen).toEqual([`${row.id}:submitted`]);
		expect(lists).toBe(1);
	});
});

describe('room on the device', () => {
	it('a returned record the device has no room for fails the run as the device’s, retried later', async () => {
		// The record was sent from another tablet of the same account, then returned.
		const other = await openStore();
		try {
			const row = await queuedRecord(other, 9, { photos: 1 });
			await runSync(context(other, server));
			server.decide(row.id, 'returned', [{ message: '请补充' }]);

			const fetch = (input: RequestInfo | URL, init?: RequestInit) =>
				server.fetch(new URL(String(input), base), init);
			const sync = new SyncState(store, {
				fetch,
				online: () => online,
				now: () => clock,
				checkSpace: async () => ({ ok: false })
			});
			expect((await sync.login('surveyor-150627', 'ordos-demo')).ok).toBe(true);
			await sync.settled();

			expect(sync.failure).toMatchObject({ kind: 'device' });
			expect(sync.failure?.detail).toMatch(/剩余空间不足，无法取回被退回的记录/);
			expect(sync.nextTryAt).not.toBeNull();
			expect(await store.getRecord(row.id)).toBeUndefined();
		} finally {
			await closeStore(other);
		}
	});
});

describe('the registry of a team (issue 13)', () => {
	it('after login waits for the choice, shows the sizes, then downloads what was chosen', async () => {
		server.addSite(makeSite({ code: '150627-0100', name: '分配的遗址' }));
		server.team = { id: 3, name: '二队', codes: new Set(['150627-0100']) };
		const sync = await loggedIn();

		expect(sync.registryChoiceNeeded).toBe(true);
		expect(sync.registrySummary).toMatchObject({
			county: { sites: 2 },
			team: { id: 3, name: '二队', sites: 1 }
		});
		expect(await store.getSetting('registrySource')).toBeUndefined();
		expect(sync.registryHeld).toBeNull();

		expect(await sync.chooseRegistry('team')).toBe(true);
		expect((await store.sitesOf('150627')).map((s) => s.code)).toEqual(['150627-0100']);
		expect(sync.registryChoiceNeeded).toBe(false);
		expect(sync.registryHeld).toEqual({
			scope: 'team',
			team: { id: 3, name: '二队', sites: 1 }
		});
		expect(await store.getSetting('registryScope')).toEqual({
			username: 'surveyor-150627',
			scope: 'team'
		});

		// remembered: the next run keeps the team's registry; choosing the county replaces it
		await sync.syncNow();
		expect((await store.sitesOf('150627')).map((s) => s.code)).toEqual(['150627-0100']);
		await sync.chooseRegistry('county');
		expect((await store.sitesOf('150627')).map((s) => s.code).sort()).toEqual([
			'150627-0042',
			'150627-0100'
		]);
		expect(sync.registryHeld).toEqual({ scope: 'county', team: null });
	});
});
