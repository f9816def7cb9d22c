import 'fake-indexeddb/auto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DeviceStore, type StoredRecord } from '$lib/db/index.js';
import { resolveConflict } from '$lib/records/conflict.js';
import { wireRecord } from '$lib/sync/engine.js';
import { perfectRecheck, storedRowOf } from '../../fixtures/builders.js';

const mine = { ...perfectRecheck(), description: '本机的简介', baseRevision: 2 };
const current = {
	...perfectRecheck(),
	condition: '差',
	description: '服务器的简介',
	baseRevision: 2,
	status: 'submitted',
	revision: 3
};
const AT = '2025-06-03T08:00:00.000Z';

function conflictRow(): StoredRecord {
	return {
		...storedRowOf(mine),
		serverStatus: 'returned',
		serverRevision: 2,
		outbox: 'conflict',
		conflict: { current, at: '2025-06-03T07:00:00.000Z' },
		createdAt: '2025-06-02T01:00:00.000Z',
		updatedAt: '2025-06-02T01:00:00.000Z'
	};
}

let store: DeviceStore;
let n = 0;
beforeEach(async () => {
	store = new DeviceStore(`conflict-${++n}`);
	await store.open();
	await store.putRecord(conflictRow());
});
afterEach(() => store.close());

describe('resolveConflict', () => {
	it('writes nothing while a differing field has no choice', async () => {
		const outcome = await resolveConflict(store, mine.id, 3, { description: 'mine' }, AT);
		expect(outcome).toEqual({ ok: false, reason: 'undecided', undecided: ['condition'] });
		expect(await store.getRecord(mine.id)).toEqual(conflictRow());
	});

	it('queues the merged record at the server’s revision and keeps both versions', async () => {
		const outcome = await resolveConflict(
			store,
			mine.id,
			3,
			{ description: 'mine', condition: 'server' },
			AT
		);
		expect(outcome.ok).toBe(true);
		const row = (await store.getRecord(mine.id))!;
		expect(row).toMatchObject({
			localState: 'finalized',
			outbox: 'queued',
			serverRevision: 3,
			serverStatus: 'submitted',
			updatedAt: AT,
			record: { description: '本机的简介', condition: '差', baseRevision: 3, updatedAt: AT }
		});
		expect(row.conflict).toBeUndefined();
		expect(row.resolvedConflicts).toEqual([
			{ mine, server: current, choices: { description: 'mine', condition: 'server' }, at: AT }
		]);
		// the next push names the server's revision as its base
		expect(wireRecord(row).baseRevision).toBe(3);
		expect((await store.queuedRecords()).map((r) => r.id)).toEqual([mine.id]);
	});

	it('refuses when the server version changed since the screen was opened', async () => {
		const outcome = await resolveConflict(
			store,
			mine.id,
			2,
			{ description: 'mine', condition: 'server' },
			AT
		);
		expect(outcome).toEqual({ ok: false, reason: 'newer' });
		expect((await store.getRecord(mine.id))!.outbox).toBe('conflict');
	});

	it('refuses a record that is not in conflict', async () => {
		await store.updateRecord(mine.id, (r) => {
			const next = { ...r, outbox: 'queued' as const };
			delete next.conflict;
			return next;
		});
		expect(await resolveConflict(store, mine.id, 3, {}, AT)).toEqual({
			ok: false,
			reason: 'resolved'
		});
		expect(await resolveConflict(store, crypto.randomUUID(), 3, {}, AT)).toEqual({
			ok: false,
			reason: 'gone'
		});
	});
});
