import 'fake-indexeddb/auto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { DeviceStore } from '$lib/db/index.js';
import type { SurveyRecord } from '$lib/domain/schemas/survey-record.js';
import { runSync } from '$lib/sync/engine.js';
import { DraftEditor } from '$lib/state/draft.svelte.js';
import { recordStatus } from '$lib/records/status.js';
import { makeSite } from '../../fixtures/builders.js';
import { FakeServer } from './fake-server.js';
import { closeStore, context, loadCounties, openStore, queuedRecord } from './device.js';

let store: DeviceStore;
let server: FakeServer;
beforeEach(async () => {
	store = await openStore();
	server = new FakeServer([makeSite()]);
});
afterEach(() => closeStore(store));

type Pushed = { records: SurveyRecord[] };
const lastPushed = (id: string) =>
	server
		.pushes()
		.flatMap((p) => (p.body as Pushed).records)
		.filter((r) => r.id === id)
		.at(-1)!;

/** A record sent at schemaVersion 1 (an app from before issue 12), then returned with comments. */
async function returnedRecord(
	comments: { path?: string; message: string; severity?: '必须修改' | '建议' }[]
): Promise<string> {
	const row = await queuedRecord(store, 1);
	await store.updateRecord(row.id, (r) => ({ ...r, record: { ...r.record, schemaVersion: 1 } }));
	await runSync(context(store, server));
	server.decide(row.id, 'returned', comments);
	await runSync(context(store, server));
	return row.id;
}

describe('answers to a return', () => {
	it('are stored as given, survive reopening, and go with the record at the returned revision', async () => {
		const id = await returnedRecord([
			{ path: 'description', message: '简介过于简略', severity: '必须修改' },
			{ message: '建议补拍全景', severity: '建议' }
		]);
		const draft = new DraftEditor(store, (await store.getRecord(id))!, { loadCounties });
		expect(draft.record.schemaVersion).toBe(1);

		draft.record.description = `${draft.record.description}台基夯土，夯层厚8至12厘米。`;
		draft.changed();
		draft.answer('2.1', '已修改');
		// 说明 without text is not an answer yet: nothing invalid is stored
		draft.answer('2.2', '说明', '');
		await draft.flush();
		expect((await store.getRecord(id))!.record.answers).toEqual([
			{ commentId: '2.1', reply: '已修改' }
		]);
		draft.answer('2.2', '说明', '现场植被茂密，全景已尽量拍摄');
		await draft.flush();

		// a reload (a new form on what is stored) shows the answers, now in schemaVersion 2
		const reopened = new DraftEditor(store, (await store.getRecord(id))!, { loadCounties });
		expect(reopened.record.schemaVersion).toBe(2);
		expect(reopened.record.answers).toEqual([
			{ commentId: '2.1', reply: '已修改' },
			{ commentId: '2.2', reply: '说明', text: '现场植被茂密，全景已尽量拍摄' }
		]);

		await reopened.finalize();
		const outcome = await runSync(context(store, server));
		expect(outcome).toMatchObject({ ok: true, accepted: 1 });
		const sent = lastPushed(id);
		expect(sent.baseRevision).toBe(2);
		expect(sent.schemaVersion).toBe(2);
		expect(sent.answers).toEqual(reopened.record.answers);
		expect(server.records.get(id)).toMatchObject({ status: 'submitted', revision: 3 });
		expect(server.records.get(id)?.record.answers).toEqual(reopened.record.answers);
		expect(recordStatus((await store.getRecord(id))!)).toBe('已送达');
	});

	it('withdrawn, or a 说明 whose text is cleared, are not sent', async () => {
		const id = await returnedRecord([
			{ path: 'name', message: '名称有误' },
			{ path: 'era', message: '年代请核实' }
		]);
		const draft = new DraftEditor(store, (await store.getRecord(id))!, { loadCounties });
		draft.answer('2.1', '已修改');
		draft.answer('2.2', '说明', '已核实');
		draft.answer('2.1', null);
		draft.answer('2.2', '说明', '   ');
		draft.record.name = '改正后的名称';
		draft.changed();
		await draft.finalize();
		await runSync(context(store, server));
		expect(lastPushed(id).answers).toEqual([]);
	});

	it('to an earlier return are dropped when a second return replaces its comments', async () => {
		const id = await returnedRecord([{ path: 'description', message: '请补充形制' }]);
		const first = new DraftEditor(store, (await store.getRecord(id))!, { loadCounties });
		first.record.description = `${first.record.description}补充形制。`;
		first.changed();
		first.answer('2.1', '已修改');
		await first.finalize();
		await runSync(context(store, server));
		expect(lastPushed(id).answers).toEqual([{ commentId: '2.1', reply: '已修改' }]);

		// revision 3 is the fix; the reviewer returns it again (revision 4) with a new comment
		server.decide(id, 'returned', [{ path: 'name', message: '名称与简介不符', severity: '建议' }]);
		await runSync(context(store, server));
		const again = (await store.getRecord(id))!;
		expect(again).toMatchObject({ serverStatus: 'returned', serverRevision: 4 });
		expect(again.serverComments?.map((c) => [c.id, c.severity])).toEqual([['4.1', '建议']]);
		expect(again.record.answers).toEqual([]);

		const second = new DraftEditor(store, again, { loadCounties });
		second.answer('4.1', '说明', '名称沿用当地通称');
		await second.finalize();
		await runSync(context(store, server));
		const sent = lastPushed(id);
		expect(sent.baseRevision).toBe(4);
		expect(sent.answers).toEqual([{ commentId: '4.1', reply: '说明', text: '名称沿用当地通称' }]);
		expect(server.records.get(id)).toMatchObject({ status: 'submitted', revision: 5 });
	});

	it('to comments no longer there are not sent even when the form wrote them after the return', async () => {
		const id = await returnedRecord([{ path: 'name', message: '名称有误' }]);
		const draft = new DraftEditor(store, (await store.getRecord(id))!, { loadCounties });
		// an answer to a comment of an older round, kept in the content by an open form
		await store.updateRecord(id, (r) => ({
			...r,
			record: { ...r.record, schemaVersion: 2, answers: [{ commentId: '1.1', reply: '已修改' }] }
		}));
		draft.refresh((await store.getRecord(id))!);
		draft.answer('2.1', '已修改');
		draft.record.name = '改正后的名称';
		draft.changed();
		await draft.finalize();
		await runSync(context(store, server));
		expect(lastPushed(id).answers).toEqual([{ commentId: '2.1', reply: '已修改' }]);
	});
});

describe('a reviewer’s correction', () => {
	it('replaces the content of a record the device holds as sent, and is noted on it', async () => {
		const row = await queuedRecord(store, 1);
		await runSync(context(store, server));
		server.correct(row.id, { name: '巴音敖包东汉墓', era: '东汉' }, '名称与年代按考古报告更正');

		await runSync(context(store, server));

		const after = (await store.getRecord(row.id))!;
		expect(after.record).toMatchObject({ name: '巴音敖包东汉墓', era: '东汉', baseRevision: 2 });
		expect(after.record.description).toBe(row.record.description);
		expect(after).toMatchObject({ serverStatus: 'submitted', serverRevision: 2 });
		expect(after.outbox).toBeUndefined();
		expect(after.serverCorrections).toEqual([
			{
				by: 'reviewer-150627',
				reason: '名称与年代按考古报告更正',
				revision: 2,
				at: '2025-06-03T10:00:00.000Z',
				fields: ['name', 'era'],
				applied: true
			}
		]);

		// the same change pulled again (a cursor reset) changes and notes nothing more
		await store.deleteSetting('syncCursor');
		await runSync(context(store, server));
		expect((await store.getRecord(row.id))!.serverCorrections).toHaveLength(1);

		// returned later, the fix starts from the corrected content and its revision
		server.decide(row.id, 'returned', [{ path: 'description', message: '请补充' }]);
		await runSync(context(store, server));
		const draft = new DraftEditor(store, (await store.getRecord(row.id))!, { loadCounties });
		expect(draft.record.name).toBe('巴音敖包东汉墓');
		draft.record.description = `${draft.record.description}补充。`;
		draft.changed();
		await draft.finalize();
		expect(await runSync(context(store, server))).toMatchObject({ ok: true, accepted: 1 });
		expect(lastPushed(row.id)).toMatchObject({ baseRevision: 3, name: '巴音敖包东汉墓' });
	});

	it('keeps the local edits of a returned record being fixed; the next push meets a conflict', async () => {
		const row = await queuedRecord(store, 1);
		await runSync(context(store, server));
		server.decide(row.id, 'returned', [{ path: 'name', message: '名称有误' }]);
		await runSync(context(store, server));
		const draft = new DraftEditor(store, (await store.getRecord(row.id))!, { loadCounties });
		draft.record.name = '调查员改的名称';
		draft.changed();
		await draft.flush();

		server.correct(row.id, { name: '审核员改的名称' }, '按名录更正');
		await runSync(context(store, server));

		const kept = (await store.getRecord(row.id))!;
		expect(kept.record.name).toBe('调查员改的名称');
		expect(kept).toMatchObject({ localState: 'draft', serverRevision: 2 });
		expect(kept.serverComments).toHaveLength(1);
		expect(kept.serverCorrections).toMatchObject([
			{ by: 'reviewer-150627', reason: '按名录更正', revision: 3, fields: [], applied: false }
		]);

		await draft.finalize();
		const outcome = await runSync(context(store, server));
		expect(outcome).toMatchObject({ ok: true, conflicts: 1, accepted: 0 });
		expect(lastPushed(row.id).baseRevision).toBe(2);
		const conflicted = (await store.getRecord(row.id))!;
		expect(conflicted.outbox).toBe('conflict');
		expect(conflicted.conflict?.current).toMatchObject({ name: '审核员改的名称', revision: 3 });
		expect(conflicted.record.name).toBe('调查员改的名称');
		expect(server.records.get(row.id)?.record.name).toBe('审核员改的名称');
	});

	it('keeps a finalized version waiting in the outbox', async () => {
		const row = await queuedRecord(store, 1);
		await runSync(context(store, server));
		server.decide(row.id, 'returned', [{ path: 'name', message: '名称有误' }]);
		await runSync(context(store, server));
		const draft = new DraftEditor(store, (await store.getRecord(row.id))!, { loadCounties });
		draft.record.name = '调查员改的名称';
		draft.changed();
		await draft.finalize();
		server.correct(row.id, { era: '东汉' }, '年代更正');
		// the pull runs after the push in one sync; the push already meets the conflict
		await runSync(context(store, server));
		const after = (await store.getRecord(row.id))!;
		expect(after.record.name).toBe('调查员改的名称');
		expect(after.record.era).toBe(row.record.era);
		expect(after.outbox).toBe('conflict');
		expect(after.serverCorrections?.[0]).toMatchObject({ reason: '年代更正', applied: false });
	});
});
