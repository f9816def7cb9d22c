import 'fake-indexeddb/auto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { DeviceStore, StoredRecord } from '$lib/db/index.js';
import { openRecheck } from '$lib/records/start.js';
import { recordStatus } from '$lib/records/status.js';
import { makeSite } from '../../fixtures/builders.js';
import { closeStore, openStore } from '../sync/device.js';

const site = makeSite();
let store: DeviceStore;
beforeEach(async () => {
	store = await openStore();
});
afterEach(() => closeStore(store));

/** Moves a record as the form and the sync do. */
async function set(id: string, change: Partial<StoredRecord>): Promise<void> {
	await store.updateRecord(id, (row) => ({ ...row, ...change }));
}

describe('openRecheck: one open re-check per site', () => {
	it('opens the same record after 完成, after the sync and after a return', async () => {
		const id = await openRecheck(store, site);
		expect(await openRecheck(store, site)).toBe(id);
		await set(id, { localState: 'finalized', outbox: 'queued' });
		expect(await openRecheck(store, site)).toBe(id);
		await store.updateRecord(id, (row) => {
			const next = { ...row, serverStatus: 'submitted' as const, serverRevision: 1 };
			delete next.outbox;
			return next;
		});
		expect(await openRecheck(store, site)).toBe(id);
		// "another" is ignored while the review is not over.
		expect(await openRecheck(store, site, { another: true })).toBe(id);
		await set(id, { localState: 'draft', serverStatus: 'returned', serverRevision: 2 });
		expect(await openRecheck(store, site)).toBe(id);
		expect(await store.recordsOfSite(site.code)).toHaveLength(1);
	});

	it('two taps at once make one draft', async () => {
		const [a, b] = await Promise.all([openRecheck(store, site), openRecheck(store, site)]);
		expect(a).toBe(b);
		expect(await store.recordsOfSite(site.code)).toHaveLength(1);
	});

	it('a second re-check is made only on purpose, once the first was accepted', async () => {
		const first = await openRecheck(store, site);
		await set(first, { localState: 'finalized', serverStatus: 'accepted', serverRevision: 3 });
		expect(await openRecheck(store, site)).toBe(first);
		expect(await store.recordsOfSite(site.code)).toHaveLength(1);

		const second = await openRecheck(store, site, { another: true });
		expect(second).not.toBe(first);
		const rows = await store.recordsOfSite(site.code);
		expect(rows.map((r) => recordStatus(r)).sort()).toEqual(['已通过', '草稿'].sort());
		// The new one is now the open one: no third.
		expect(await openRecheck(store, site, { another: true })).toBe(second);
		expect(await store.recordsOfSite(site.code)).toHaveLength(2);
	});
});
