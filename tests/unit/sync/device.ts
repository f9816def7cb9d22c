/** A device database with queued records and real photo bytes, for the sync tests. */
import 'fake-indexeddb/auto';
import type { CountyCollection } from '$lib/domain/geometry/counties.js';
import { DeviceStore, type StoredRecord } from '$lib/db/index.js';
import { SyncApi } from '$lib/sync/api.js';
import type { SyncContext } from '$lib/sync/engine.js';
import {
	counties,
	jpegBlob,
	perfectNewFind,
	photoBytes,
	sha256Hex,
	storedPhotoOf,
	storedRowOf,
	uuid
} from '../../fixtures/builders.js';
import type { FakeServer } from './fake-server.js';

let n = 0;
/** The app's county boundaries, as the device loads them (the QC check needs them). */
export function loadCounties(): Promise<CountyCollection> {
	return Promise.resolve(counties);
}

export async function openStore(): Promise<DeviceStore> {
	const store = new DeviceStore(`sync-test-${++n}-${Date.now()}`);
	await store.open();
	return store;
}

export async function closeStore(store: DeviceStore): Promise<void> {
	store.close();
	await store.db.delete();
}

/**
 * Stores a finalized 新发现 with `photos` photos in the outbox (as finalizing does) and returns
 * its row.
 */
export async function queuedRecord(
	store: DeviceStore,
	index: number,
	options: {
		photos?: number;
		/** The photos' bytes (real images), instead of `photos` random ones. */
		photoFiles?: Uint8Array<ArrayBuffer>[];
		row?: Partial<StoredRecord>;
		updatedAt?: string;
	} = {}
): Promise<StoredRecord> {
	const id = uuid(index);
	const updatedAt =
		options.updatedAt ?? `2025-06-02T10:${String(index % 60).padStart(2, '0')}:00+08:00`;
	const photos =
		options.photoFiles?.map((bytes) => ({ bytes, sha256: sha256Hex(bytes) })) ??
		Array.from({ length: options.photos ?? 2 }, () => photoBytes());
	const base = perfectNewFind({}, id);
	const record = {
		...base,
		photos: photos.map((p, i) => ({ ...base.photos[i % base.photos.length]!, sha256: p.sha256 })),
		updatedAt
	};
	for (const [i, p] of photos.entries()) {
		await store.putPhoto(
			storedPhotoOf(id, p, { kind: record.photos[i]!.kind, number: i + 1, createdAt: updatedAt }),
			jpegBlob(p.bytes)
		);
	}
	const row: StoredRecord = { ...storedRowOf(record), ...options.row };
	await store.putRecord(row);
	return row;
}

export function context(
	store: DeviceStore,
	server: FakeServer,
	extra: Partial<SyncContext> = {}
): SyncContext {
	return {
		store,
		api: new SyncApi({ fetch: server.fetch, base: 'http://server.test', token: 'token-1' }),
		deviceId: '7c9e6679-7425-40de-944b-e07fc1f90ae7',
		username: 'surveyor-150627',
		counties: ['150627'],
		now: () => '2025-06-02T12:00:00.000Z',
		...extra
	};
}
