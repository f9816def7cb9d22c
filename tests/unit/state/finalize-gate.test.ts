import 'fake-indexeddb/auto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { DeviceStore, StoredRecord } from '$lib/db/index.js';
import { DraftEditor, FinalizeRefusedError } from '$lib/state/draft.svelte.js';
import { closeStore, loadCounties, openStore, queuedRecord } from '../sync/device.js';

/*
 * Issue 11 point 3: the finalize gate is the engine's (domain/qc/finalize.ts), and DraftEditor
 * refuses to finalize what it blocks, whatever the screen did: nothing changes in the store.
 */

let store: DeviceStore;
beforeEach(async () => {
	store = await openStore();
});
afterEach(() => closeStore(store));

/** A draft on the device: a perfect 新发现 unless `row` changes it. */
async function draft(row: Partial<StoredRecord> = {}): Promise<StoredRecord> {
	const base = await queuedRecord(store, 1);
	const changed: StoredRecord = { ...base, localState: 'draft', ...row };
	delete changed.outbox;
	await store.putRecord(changed);
	return changed;
}

async function refusal(editor: DraftEditor): Promise<FinalizeRefusedError> {
	const error = await editor.finalize().then(
		() => undefined,
		(e: unknown) => e
	);
	expect(error).toBeInstanceOf(FinalizeRefusedError);
	return error as FinalizeRefusedError;
}

describe('DraftEditor.finalize', () => {
	it('finalizes a record the engine passes: it joins the outbox', async () => {
		const row = await draft();
		await new DraftEditor(store, row, { loadCounties }).finalize();
		expect(await store.getRecord(row.id)).toMatchObject({
			localState: 'finalized',
			outbox: 'queued'
		});
	});

	it('refuses while the location is the provisional point (LOC-TAKEN), and changes nothing', async () => {
		const row = await draft({ locationTaken: false });
		const error = await refusal(new DraftEditor(store, row, { loadCounties }));
		expect(error.verdict).toMatchObject({ locationMissing: true, blockers: 1 });
		expect(error.message).toContain('LOC-TAKEN');
		expect(await store.getRecord(row.id)).toEqual(row);
	});

	it('refuses a record with an error finding (REQ-001, an empty name)', async () => {
		const row = await draft();
		const editor = new DraftEditor(store, row, { loadCounties });
		editor.record.name = '';
		editor.changed();
		const error = await refusal(editor);
		expect(error.verdict.errors.map((e) => e.rule)).toContain('REQ-001');
		expect(error.message).toContain('REQ-001');
		const stored = (await store.getRecord(row.id))!;
		// the edit itself is kept (nothing is lost), the record stays a draft
		expect(stored.record.name).toBe('');
		expect(stored.localState).toBe('draft');
		expect(stored.outbox).toBeUndefined();
	});

	it('refuses a warning nobody explained, and finalizes once it is explained', async () => {
		const row = await draft();
		const editor = new DraftEditor(store, row, { loadCounties });
		// PHO-002: a photo without its photographer
		editor.record.photos = editor.record.photos.map((p, i) =>
			i === 0 ? { ...p, photographer: '' } : p
		);
		editor.changed();
		const error = await refusal(editor);
		expect(error.verdict.errors).toEqual([]);
		expect(error.verdict.unexplained).toEqual(['PHO-002']);
		expect((await store.getRecord(row.id))!.localState).toBe('draft');

		editor.record.qcNotes = [{ rule: 'PHO-002', note: '拍摄者未记，为调查队集体拍摄' }];
		editor.changed();
		await editor.finalize();
		expect((await store.getRecord(row.id))!).toMatchObject({
			localState: 'finalized',
			outbox: 'queued'
		});
	});
});
