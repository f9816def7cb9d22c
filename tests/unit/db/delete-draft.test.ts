import 'fake-indexeddb/auto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { DeviceStore, StoredRecord } from '$lib/db/index.js';
import { openRecheck } from '$lib/records/start.js';
import { jpegBlob, makeSite, photoBytes, storedPhotoOf } from '../../fixtures/builders.js';
import { closeStore, openStore } from '../sync/device.js';

let store: DeviceStore;
beforeEach(async () => {
	store = await openStore();
});
afterEach(() => closeStore(store));

async function addPhoto(
	recordId: string,
	photo: { bytes: Uint8Array<ArrayBuffer>; sha256: string }
) {
	await store.putPhoto(
		storedPhotoOf(recordId, photo, {
			kind: '全景',
			number: 1,
			createdAt: '2025-06-02T10:00:00+08:00'
		}),
		jpegBlob(photo.bytes)
	);
}

async function counts() {
	return {
		records: await store.db.records.count(),
		photos: await store.db.photos.count(),
		photoBlobs: await store.db.photoBlobs.count()
	};
}

describe('DeviceStore.deleteDraft', () => {
	it('deletes a never-sent draft with its photos, keeping bytes another record uses', async () => {
		const a = await openRecheck(store, makeSite({ code: '150627-0001' }));
		const b = await openRecheck(store, makeSite({ code: '150627-0002' }));
		const own = photoBytes();
		const shared = photoBytes();
		await addPhoto(a, own);
		await addPhoto(a, shared);
		await addPhoto(b, shared);
		expect(await counts()).toEqual({ records: 2, photos: 3, photoBlobs: 2 });

		expect(await store.deleteDraft(a)).toEqual({ ok: true, photos: 2 });
		expect(await store.getRecord(a)).toBeUndefined();
		expect(await counts()).toEqual({ records: 1, photos: 1, photoBlobs: 1 });
		expect(await store.photoBlob(shared.sha256)).toBeDefined();
		expect(await store.photoBlob(own.sha256)).toBeUndefined();
		expect(await store.deleteDraft(a)).toEqual({ ok: false, reason: 'missing' });
	});

	it.each<[string, Partial<StoredRecord>, 'not-draft' | 'sent']>([
		['queued for upload', { localState: 'finalized', outbox: 'queued' }, 'not-draft'],
		[
			'delivered',
			{ localState: 'finalized', serverStatus: 'submitted', serverRevision: 1 },
			'not-draft'
		],
		['returned', { localState: 'draft', serverStatus: 'returned', serverRevision: 2 }, 'not-draft'],
		['a draft the server has a revision of', { localState: 'draft', serverRevision: 1 }, 'sent']
	])('refuses a record %s and changes nothing', async (_what, change, reason) => {
		const id = await openRecheck(store, makeSite());
		await addPhoto(id, photoBytes());
		await store.updateRecord(id, (row) => ({ ...row, ...change }));
		const before = await store.getRecord(id);

		expect(await store.deleteDraft(id)).toEqual({ ok: false, reason });
		expect(await store.getRecord(id)).toEqual(before);
		expect(await counts()).toEqual({ records: 1, photos: 1, photoBlobs: 1 });
	});
});
