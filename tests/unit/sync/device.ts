/** A device database with queued records and real photo bytes, for the sync tests. */
import 'fake-indexeddb/auto';
import { createHash, randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { asCountyCollection, type CountyCollection } from '$lib/domain/geometry/counties';
import { DeviceStore, type StoredRecord } from '$lib/db';
import { SyncApi } from '$lib/sync/api';
import type { SyncContext } from '$lib/sync/engine';
import { perfectNewFind, uuid } from '../../fixtures/builders';
import type { FakeServer } from './fake-server';

let n = 0;
/** The app's county boundaries, read from the file the app serves (the QC check needs them). */
export async function loadCounties(): Promise<CountyCollection> {
	const checked = asCountyCollection(
		JSON.parse(readFileSync('static/data/ordos-counties.geojson', 'utf8'))
	);
	if (!checked.ok) throw new Error(checked.message);
	return checked.value;
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

/** Photo bytes and their SHA-256. */
export function photoBytes(size = 2048): { bytes: Uint8Array<ArrayBuffer>; sha256: string } {
	const bytes = new Uint8Array(new ArrayBuffer(size));
	bytes.set(randomBytes(size));
	return { bytes, sha256: createHash('sha256').update(bytes).digest('hex') };
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
		options.photoFiles?.map((bytes) => ({
			bytes,
			sha256: createHash('sha256').update(bytes).digest('hex')
		})) ?? Array.from({ length: options.photos ?? 2 }, () => photoBytes());
	const base = perfectNewFind({}, id);
	const record = {
		...base,
		photos: photos.map((p, i) => ({ ...base.photos[i % base.photos.length]!, sha256: p.sha256 })),
		updatedAt
	};
	for (const [i, p] of photos.entries()) {
		await store.putPhoto(
			{
				recordId: id,
				sha256: p.sha256,
				kind: record.photos[i]!.kind,
				number: i + 1,
				mimeType: 'image/jpeg',
				bytes: p.bytes.length,
				width: 10,
				height: 10,
				createdAt: updatedAt
			},
			new Blob([p.bytes], { type: 'image/jpeg' })
		);
	}
	const row: StoredRecord = {
		id,
		countyCode: record.countyCode,
		kind: record.kind,
		siteCode: '',
		localState: 'finalized',
		outbox: 'queued',
		locationTaken: true,
		record,
		createdAt: updatedAt,
		updatedAt,
		...options.row
	};
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
