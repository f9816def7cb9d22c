import 'fake-indexeddb/auto';
import { readFileSync } from 'node:fs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { DeviceStore } from '$lib/db/index.js';
import { runSync } from '$lib/sync/engine.js';
import { DraftEditor } from '$lib/state/draft.svelte.js';
import { recordStatus } from '$lib/records/status.js';
import { photoWriteBytes } from '$lib/storage/space.js';
import { makeSite, photoBytes } from '../../fixtures/builders.js';
import { FakeServer } from './fake-server.js';
import { closeStore, context, loadCounties, openStore, queuedRecord } from './device.js';

let store: DeviceStore;
let server: FakeServer;
beforeEach(async () => {
	store = await openStore();
	server = new FakeServer([makeSite()]);
});
afterEach(() => closeStore(store));

describe('a returned record', () => {
	it('comes back editable with its comments, and its fix returns it to submitted', async () => {
		const row = await queuedRecord(store, 1);
		await runSync(context(store, server));
		expect(recordStatus((await store.getRecord(row.id))!)).toBe('已送达');

		server.decide(row.id, 'returned', [
			{ path: 'description', message: '简介过于简略，请补充形制与保存状况' },
			{ message: '请补拍一张全景照片' }
		]);
		await runSync(context(store, server));

		const returned = (await store.getRecord(row.id))!;
		expect(returned).toMatchObject({
			localState: 'draft',
			serverStatus: 'returned',
			serverRevision: 2,
			// changed on the device when the return arrived (the backup reminder counts from it)
			updatedAt: '2025-06-02T12:00:00.000Z'
		});
		expect(returned.record.description).toBe(row.record.description);
		expect(returned.outbox).toBeUndefined();
		expect(recordStatus(returned)).toBe('已退回');
		expect(returned.serverComments).toEqual([
			{
				id: '2.1',
				path: 'description',
				message: '简介过于简略，请补充形制与保存状况',
				by: 'reviewer-150627',
				at: '2025-06-03T09:00:00.000Z'
			},
			{
				id: '2.2',
				message: '请补拍一张全景照片',
				by: 'reviewer-150627',
				at: '2025-06-03T09:00:00.000Z'
			}
		]);

		// The surveyor fixes it; the comments stay while it is edited.
		const draft = new DraftEditor(store, returned, { loadCounties });
		expect(draft.editable).toBe(true);
		draft.record.description = `${row.record.description}台基夯土，夯层厚8至12厘米。`;
		draft.changed();
		await draft.flush();
		expect((await store.getRecord(row.id))?.serverComments).toHaveLength(2);
		await draft.finalize();
		const queued = (await store.getRecord(row.id))!;
		expect(queued).toMatchObject({
			localState: 'finalized',
			outbox: 'queued',
			serverStatus: 'returned'
		});
		expect(recordStatus(queued)).toBe('待上传');

		server.log.length = 0;
		const outcome = await runSync(context(store, server));

		expect(outcome).toMatchObject({ ok: true, accepted: 1 });
		const sent = server.pushes()[0]!.body as { records: { baseRevision: number }[] };
		expect(sent.records[0]!.baseRevision).toBe(2);
		expect(server.records.get(row.id)).toMatchObject({ status: 'submitted', revision: 3 });
		const after = (await store.getRecord(row.id))!;
		expect(after).toMatchObject({ serverStatus: 'submitted', serverRevision: 3 });
		expect(after.serverComments).toBeUndefined();
		expect(after.outbox).toBeUndefined();
		expect(recordStatus(after)).toBe('已送达');
	});

	it('pushed back without a change stays returned and says why', async () => {
		const row = await queuedRecord(store, 1);
		await runSync(context(store, server));
		server.decide(row.id, 'returned', [{ path: 'name', message: '名称有误' }]);
		await runSync(context(store, server));

		const draft = new DraftEditor(store, (await store.getRecord(row.id))!, { loadCounties });
		await draft.finalize();
		const outcome = await runSync(context(store, server));

		expect(outcome).toMatchObject({ ok: true, unchanged: 1 });
		const after = (await store.getRecord(row.id))!;
		expect(after).toMatchObject({
			localState: 'draft',
			serverStatus: 'returned',
			serverRevision: 2
		});
		expect(after.serverComments).toHaveLength(1);
		expect(after.syncIssues?.[0]?.message).toMatch(/内容与退回时相同/);
		expect(server.records.get(row.id)?.status).toBe('returned');
	});

	it('an older outcome pulled late changes nothing', async () => {
		const row = await queuedRecord(store, 1, { photos: 0 });
		await runSync(context(store, server));
		server.decide(row.id, 'returned', [{ message: '请补充' }]);
		await runSync(context(store, server));
		// A stale feed entry (revision 1, submitted) arrives again, e.g. after a cursor reset.
		await store.deleteSetting('syncCursor');
		await runSync(context(store, server));
		expect(await store.getRecord(row.id)).toMatchObject({
			localState: 'draft',
			serverStatus: 'returned',
			serverRevision: 2
		});
	});

	it('a form open on the record keeps what the sync wrote when it saves', async () => {
		const row = await queuedRecord(store, 1, { photos: 0 });
		await runSync(context(store, server));
		server.decide(row.id, 'returned', [{ path: 'description', message: '请补充' }]);
		await runSync(context(store, server));
		const draft = new DraftEditor(store, (await store.getRecord(row.id))!, { loadCounties });

		// A later return (another comment) arrives while the form is open …
		await store.updateRecord(row.id, (r) => ({
			...r,
			serverRevision: 4,
			serverComments: [{ message: '再次退回', by: 'city', at: '2025-06-04T09:00:00.000Z' }]
		}));
		draft.record.name = '改过的名称';
		draft.changed();
		await draft.flush();

		// … and the form's save keeps it.
		const stored = (await store.getRecord(row.id))!;
		expect(stored.record.name).toBe('改过的名称');
		expect(stored.serverRevision).toBe(4);
		expect(stored.serverComments?.[0]?.message).toBe('再次退回');
	});
});

describe('a returned record the device does not hold (a replacement tablet)', () => {
	const jpeg = (path: string) => new Uint8Array(readFileSync(`tests/fixtures/photos/${path}`));
	let replacement: DeviceStore;
	beforeEach(async () => {
		replacement = await openStore();
	});
	afterEach(() => closeStore(replacement));

	it('is fetched with its photos, editable with the comments, and sent again without a PUT', async () => {
		const files = [jpeg('site-dongsheng-1600x1200.jpg'), jpeg('site-hangjin-1600x1200.jpg')];
		const row = await queuedRecord(store, 3, { photoFiles: files });
		await runSync(context(store, server));
		server.decide(row.id, 'returned', [{ path: 'description', message: '请补充形制' }]);

		server.log.length = 0;
		const outcome = await runSync(context(replacement, server));

		expect(outcome).toMatchObject({ ok: true, recordsFetched: 1 });
		const fetched = (await replacement.getRecord(row.id))!;
		expect(fetched).toMatchObject({
			localState: 'draft',
			serverStatus: 'returned',
			serverRevision: 2,
			createdAt: '2025-06-02T12:00:00.000Z',
			updatedAt: '2025-06-02T12:00:00.000Z',
			siteCode: '',
			countyCode: row.countyCode
		});
		expect(fetched.record).toEqual(row.record);
		expect(fetched.serverComments).toEqual([
			{
				id: '2.1',
				path: 'description',
				message: '请补充形制',
				by: 'reviewer-150627',
				at: '2025-06-03T09:00:00.000Z'
			}
		]);
		expect(recordStatus(fetched)).toBe('已退回');
		const photos = await replacement.photosOf(row.id);
		expect(photos.map((p) => [p.number, p.sha256, p.mimeType, p.width, p.height])).toEqual(
			row.record.photos.map((p, i) => [i + 1, p.sha256, 'image/jpeg', 1600, 1200])
		);
		for (const [i, p] of row.record.photos.entries()) {
			const blob = await replacement.photoBlob(p.sha256);
			// byte for byte (Buffer.equals: toEqual walks 365 KB element by element, for seconds)
			expect(Buffer.from(await blob!.arrayBuffer()).equals(Buffer.from(files[i]!))).toBe(true);
		}
		expect(server.trace().filter((t) => t.startsWith('GET /api/photos/'))).toHaveLength(2);

		// A second run fetches nothing again.
		server.log.length = 0;
		expect(await runSync(context(replacement, server))).toMatchObject({ recordsFetched: 0 });
		expect(server.trace().filter((t) => t.startsWith('GET /api/'))).not.toContainEqual(
			expect.stringMatching(/records|photos/)
		);

		// Fixed on the replacement tablet and sent: revision 3, no photo sent again.
		const draft = new DraftEditor(replacement, fetched, { loadCounties });
		expect(draft.editable).toBe(true);
		draft.record.description = `${row.record.description}台基夯土。`;
		draft.changed();
		await draft.flush();
		await draft.finalize();
		server.log.length = 0;
		expect(await runSync(context(replacement, server))).toMatchObject({ ok: true, accepted: 1 });
		expect(server.requests('PUT')).toEqual([]);
		const sent = server.pushes()[0]!.body as { records: { baseRevision: number }[] };
		expect(sent.records[0]!.baseRevision).toBe(2);
		expect(server.records.get(row.id)).toMatchObject({ status: 'submitted', revision: 3 });
	});

	it('is not fetched once it has moved on (sent again from the first tablet)', async () => {
		const row = await queuedRecord(store, 4);
		await runSync(context(store, server));
		server.decide(row.id, 'returned', [{ message: '请补充' }]);
		await runSync(context(store, server));
		const draft = new DraftEditor(store, (await store.getRecord(row.id))!, { loadCounties });
		draft.record.name = '改过的名称';
		draft.changed();
		await draft.flush();
		await draft.finalize();
		await runSync(context(store, server));
		expect(server.records.get(row.id)?.status).toBe('submitted');

		const outcome = await runSync(context(replacement, server));
		expect(outcome).toMatchObject({ ok: true, recordsFetched: 0 });
		expect(await replacement.getRecord(row.id)).toBeUndefined();
	});

	it('keeps the record when a photo cannot be read on the device (the server still holds it)', async () => {
		const good = jpeg('site-dongsheng-1600x1200.jpg');
		const row = await queuedRecord(store, 5, { photoFiles: [good, photoBytes().bytes] });
		await runSync(context(store, server));
		server.decide(row.id, 'returned', [{ message: '请补充' }]);
		// the second photo is not an image the device can read
		const outcome = await runSync(context(replacement, server));
		expect(outcome).toMatchObject({ ok: true, recordsFetched: 1 });
		const photos = await replacement.photosOf(row.id);
		expect(photos.map((p) => p.sha256)).toEqual([row.record.photos[0]!.sha256]);
		expect((await replacement.getRecord(row.id))?.record).toEqual(row.record);
	});

	it('a connection lost while fetching stores nothing, and the next run fetches it', async () => {
		const row = await queuedRecord(store, 6, {
			photoFiles: [jpeg('site-dongsheng-1600x1200.jpg')]
		});
		await runSync(context(store, server));
		server.decide(row.id, 'returned', [{ message: '请补充' }]);
		server.interfere = (req) =>
			req.method === 'GET' && req.path.startsWith('/api/photos/') ? 'offline' : undefined;
		const failed = await runSync(context(replacement, server));
		expect(failed).toMatchObject({ ok: false, kind: 'offline', recordsFetched: 0 });
		expect(await replacement.getRecord(row.id)).toBeUndefined();

		server.interfere = () => undefined;
		expect(await runSync(context(replacement, server))).toMatchObject({
			ok: true,
			recordsFetched: 1
		});
		expect(await replacement.photosOf(row.id)).toHaveLength(1);
	});

	it('is not fetched while the device lacks room for its photos; fetched once there is room', async () => {
		const files = [jpeg('site-dongsheng-1600x1200.jpg'), jpeg('site-hangjin-1600x1200.jpg')];
		const row = await queuedRecord(store, 7, { photoFiles: files });
		await runSync(context(store, server));
		server.decide(row.id, 'returned', [{ message: '请补充' }]);

		let room = false;
		const asked: number[] = [];
		const checkSpace = async (bytes: number) => {
			asked.push(bytes);
			return { ok: room };
		};
		server.log.length = 0;
		await expect(runSync(context(replacement, server, { checkSpace }))).rejects.toThrow(
			/剩余空间不足，无法取回被退回的记录/
		);
		// asked for both photos at the most a photo can take, before downloading any
		expect(asked).toEqual([2 * photoWriteBytes(0) + 64 * 1024]);
		expect(server.trace().filter((t) => t.startsWith('GET /api/photos/'))).toEqual([]);
		expect(await replacement.getRecord(row.id)).toBeUndefined();

		room = true;
		expect(await runSync(context(replacement, server, { checkSpace }))).toMatchObject({
			ok: true,
			recordsFetched: 1
		});
		expect(await replacement.photosOf(row.id)).toHaveLength(2);
	});
});
