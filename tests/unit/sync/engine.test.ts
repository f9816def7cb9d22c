import 'fake-indexeddb/auto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { DeviceStore } from '$lib/db/index.js';
import { runSync, PUSH_MAX_RECORDS } from '$lib/sync/engine.js';
import { PUSH_MAX_BYTES } from '$lib/domain/sync/limits.js';
import { makeSite } from '../../fixtures/builders.js';
import { FakeServer } from './fake-server.js';
import { closeStore, context, openStore, queuedRecord } from './device.js';

let store: DeviceStore;
let server: FakeServer;
beforeEach(async () => {
	store = await openStore();
	server = new FakeServer([makeSite()]);
});
afterEach(() => closeStore(store));

describe('a sync run', () => {
	it('uploads the photos before the record, then pulls, then the registry', async () => {
		const row = await queuedRecord(store, 1, { photos: 2 });
		const [a, b] = row.record.photos.map((p) => p.sha256);

		const outcome = await runSync(context(store, server));

		expect(outcome).toMatchObject({ ok: true, accepted: 1, photosUploaded: 2 });
		expect(server.trace()).toEqual([
			`HEAD /api/photos/${a}`,
			`PUT /api/photos/${a}`,
			`HEAD /api/photos/${b}`,
			`PUT /api/photos/${b}`,
			'POST /api/sync/push',
			'GET /api/sync/pull',
			'GET /api/registry/summary',
			'GET /api/registry',
			'POST /api/devices/report'
		]);
		const sent = server.pushes()[0]!.body as { deviceId: string; records: unknown[] };
		expect(sent.deviceId).toBe('7c9e6679-7425-40de-944b-e07fc1f90ae7');
		expect(sent.records).toEqual([{ ...row.record, baseRevision: 0 }]);
		const put = server.requests('PUT')[0]!;
		expect(put.body).toEqual(server.photos.get(a!));

		const stored = await store.getRecord(row.id);
		expect(stored).toMatchObject({ serverStatus: 'submitted', serverRevision: 1 });
		expect(stored?.outbox).toBeUndefined();
		expect(await store.outboxRecords()).toEqual([]);
		expect(server.reports).toEqual([
			{ deviceId: '7c9e6679-7425-40de-944b-e07fc1f90ae7', unsent: 0 }
		]);
	});

	it('reports the records still unsent, drafts included, and the oldest of them', async () => {
		await queuedRecord(store, 1, { photos: 0, row: { outbox: 'conflict' } });
		await queuedRecord(store, 2, {
			photos: 0,
			row: { localState: 'draft', outbox: undefined },
			updatedAt: '2025-06-01T08:00:00+08:00'
		});
		await runSync(context(store, server));
		expect(server.reports).toEqual([
			{
				deviceId: '7c9e6679-7425-40de-944b-e07fc1f90ae7',
				unsent: 2,
				oldestUnsentAt: '2025-06-01T08:00:00+08:00'
			}
		]);
	});

	it('skips photos the server already holds (HEAD 200)', async () => {
		const row = await queuedRecord(store, 1, { photos: 2 });
		const [a, b] = row.record.photos.map((p) => p.sha256);
		server.photos.set(a!, new Uint8Array([1]));

		await runSync(context(store, server));

		expect(server.requests('PUT').map((r) => r.path)).toEqual([`/api/photos/${b}`]);
		expect((await store.getRecord(row.id))?.serverStatus).toBe('submitted');
	});

	it('changes nothing on the device before the server has acknowledged', async () => {
		const row = await queuedRecord(store, 1, { photos: 1 });
		const seen: unknown[] = [];
		server.during = async (req) => {
			if (req.path === '/api/sync/push') seen.push(await store.getRecord(row.id));
		};
		server.interfere = (req) => (req.path === '/api/sync/push' ? 503 : undefined);

		const failed = await runSync(context(store, server));

		expect(failed).toMatchObject({ ok: false, kind: 'server', status: 503 });
		expect(await store.getRecord(row.id)).toEqual(row);

		server.interfere = () => undefined;
		await runSync(context(store, server));
		// While the push was on its way the record was still queued and unknown to the server.
		expect(seen).toEqual([row]);
		expect((await store.getRecord(row.id))?.serverStatus).toBe('submitted');
	});

	it('after a broken connection re-sends only the photos not yet stored', async () => {
		const row = await queuedRecord(store, 1, { photos: 3 });
		const shas = row.record.photos.map((p) => p.sha256);
		let puts = 0;
		server.interfere = (req) => (req.method === 'PUT' && ++puts === 2 ? 'offline' : undefined);

		const first = await runSync(context(store, server));
		expect(first).toMatchObject({ ok: false, kind: 'offline' });
		expect(server.pushes()).toHaveLength(0);
		expect(await store.getRecord(row.id)).toEqual(row);

		server.log.length = 0;
		server.interfere = () => undefined;
		const second = await runSync(context(store, server));
		expect(second).toMatchObject({ ok: true, accepted: 1, photosUploaded: 2 });
		expect(server.requests('PUT').map((r) => r.path)).toEqual([
			`/api/photos/${shas[1]}`,
			`/api/photos/${shas[2]}`
		]);
	});

	it('batches at most 50 records per push', async () => {
		for (let i = 1; i <= PUSH_MAX_RECORDS + 10; i++) await queuedRecord(store, i, { photos: 0 });

		const outcome = await runSync(context(store, server));

		expect(outcome).toMatchObject({ ok: true, accepted: 60 });
		const pushes = server.pushes().map((r) => (r.body as { records: unknown[] }).records);
		expect(pushes.map((p) => p.length)).toEqual([50, 10]);
	});

	it('keeps each push within the contract’s 2 MB of JSON', async () => {
		// 20,000-character descriptions: about 60 KB of UTF-8 each, 40 of them about 2.4 MB.
		for (let i = 1; i <= 40; i++) {
			const row = await queuedRecord(store, i, { photos: 0 });
			await store.putRecord({
				...row,
				record: { ...row.record, description: '遗'.repeat(20_000) }
			});
		}

		const outcome = await runSync(context(store, server));

		expect(outcome).toMatchObject({ ok: true, accepted: 40 });
		const sizes = server
			.requests('POST')
			.map((r) => new TextEncoder().encode(JSON.stringify(r.body)).length);
		expect(sizes.length).toBeGreaterThan(1);
		for (const size of sizes) expect(size).toBeLessThanOrEqual(PUSH_MAX_BYTES);
	});

	it('holds back a record whose photo bytes are missing on the device', async () => {
		const row = await queuedRecord(store, 1, { photos: 0 });
		await store.putRecord({
			...row,
			record: { ...row.record, photos: [{ sha256: 'f'.repeat(64), kind: '全景' }] }
		});

		const outcome = await runSync(context(store, server));

		expect(outcome).toMatchObject({ ok: true, held: 1 });
		const stored = await store.getRecord(row.id);
		expect(stored?.outbox).toBe('queued');
		expect(stored?.serverStatus).toBeUndefined();
		expect(stored?.syncIssues?.[0]).toMatchObject({ path: 'photos.0' });
		expect(stored?.syncIssues?.[0]?.message).toMatch(/不在本机/);
		expect(server.pushes()).toHaveLength(0);
	});

	it('keeps the server’s QC findings of the stored revision, replaced by the next push', async () => {
		const row = await queuedRecord(store, 1, { photos: 0 });
		server.findings = () => [
			{
				rule: 'DUP-003',
				severity: 'warning',
				message: '与其他设备的记录相距 12 米',
				path: 'location',
				// a newer server may send more; the device keeps the engine's fields
				extra: 1
			} as never
		];

		await runSync(context(store, server));

		const stored = await store.getRecord(row.id);
		expect(stored?.serverFindings).toEqual({
			revision: 1,
			findings: [
				{
					rule: 'DUP-003',
					severity: 'warning',
					message: '与其他设备的记录相距 12 米',
					path: 'location'
				}
			]
		});

		// pushed again after an edit: the server found nothing this time
		server.findings = () => [];
		await store.updateRecord(row.id, (r) => ({
			...r,
			outbox: 'queued',
			record: { ...r.record, name: `${r.record.name}（改）`, updatedAt: new Date().toISOString() }
		}));
		await runSync(context(store, server));
		expect((await store.getRecord(row.id))?.serverFindings).toEqual({ revision: 2, findings: [] });
	});

	it('stores the server’s issues of a rejected push and tries again next time', async () => {
		const row = await queuedRecord(store, 1, { photos: 0 });
		server.records.set(row.id, {
			record: row.record,
			status: 'county_approved',
			revision: 2,
			key: 'other'
		});

		const outcome = await runSync(context(store, server));

		expect(outcome).toMatchObject({ ok: true, rejected: 1 });
		const stored = await store.getRecord(row.id);
		expect(stored).toMatchObject({
			outbox: 'queued',
			syncIssues: [{ path: '', message: '已锁定' }]
		});
		expect(stored?.serverStatus).toBeUndefined();
		expect(stored?.record).toEqual(row.record);
	});

	it('on a conflict keeps the local record and stores the server’s beside it', async () => {
		const row = await queuedRecord(store, 1, { photos: 0 });
		const theirs = { ...row.record, name: '服务器上的名称' };
		server.records.set(row.id, { record: theirs, status: 'submitted', revision: 3, key: 'other' });

		const outcome = await runSync(context(store, server));

		expect(outcome).toMatchObject({ ok: true, conflicts: 1 });
		const stored = await store.getRecord(row.id);
		expect(stored?.record).toEqual(row.record);
		expect(stored?.outbox).toBe('conflict');
		expect(stored?.serverStatus).toBeUndefined();
		expect(stored?.conflict?.current).toMatchObject({
			name: '服务器上的名称',
			status: 'submitted',
			revision: 3
		});

		// A conflict waits for the surveyor: the next run sends nothing.
		server.log.length = 0;
		await runSync(context(store, server));
		expect(server.pushes()).toHaveLength(0);
	});

	it('pulls page after page until `more` is false, and keeps the cursor', async () => {
		const rows = [];
		for (let i = 1; i <= 3; i++) rows.push(await queuedRecord(store, i, { photos: 0 }));
		await runSync(context(store, server));
		for (const row of rows) server.decide(row.id, 'county_approved');
		server.pageSize = 2;
		server.log.length = 0;

		await runSync(context(store, server));

		const pulls = server.requests('GET').filter((r) => r.path === '/api/sync/pull');
		expect(pulls.map((r) => new URLSearchParams(r.query).get('since'))).toEqual(['4', '6']);
		for (const row of rows) {
			expect(await store.getRecord(row.id)).toMatchObject({
				serverStatus: 'county_approved',
				serverRevision: 2
			});
		}
		expect(await store.getSetting('syncCursor')).toEqual({
			username: 'surveyor-150627',
			cursor: '7'
		});
	});

	it('starts the pull anew for another account', async () => {
		await store.setSetting('syncCursor', { username: 'surveyor-150602', cursor: '99' });
		await runSync(context(store, server));
		const pull = server.requests('GET').find((r) => r.path === '/api/sync/pull')!;
		// no cursor of this account: from the start (`team` asks for teammates' records, issue 13)
		expect(new URLSearchParams(pull.query).has('since')).toBe(false);
	});

	it('applies site changes of the pull to the registry on the device', async () => {
		await runSync(context(store, server));
		expect((await store.getSite('150627-0042'))?.name).toBe('巴音敖包烽燧遗址');
		server.addSite({ ...makeSite(), name: '巴音敖包烽火台遗址', extra: 'ignored' } as never);

		const outcome = await runSync(context(store, server));

		expect(outcome.ok).toBe(true);
		expect((await store.getSite('150627-0042'))?.name).toBe('巴音敖包烽火台遗址');
		expect(await store.summariesOf('150627')).toMatchObject([{ name: '巴音敖包烽火台遗址' }]);
		expect(await store.getSetting('registrySource')).toMatchObject({ kind: 'server', count: 1 });
	});

	it('stops at a 401 with everything kept', async () => {
		const row = await queuedRecord(store, 1, { photos: 1 });
		server.tokens.clear();

		const outcome = await runSync(context(store, server));

		expect(outcome).toMatchObject({ ok: false, kind: 'auth', status: 401 });
		expect(server.log).toHaveLength(1);
		expect(await store.getRecord(row.id)).toEqual(row);
		expect(await store.photoBlob(row.record.photos[0]!.sha256)).toBeDefined();
	});
});
