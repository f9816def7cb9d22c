import 'fake-indexeddb/auto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { DeviceStore, StoredRecord } from '$lib/db/index.js';
import type { SurveyRecord } from '$lib/domain/schemas/survey-record.js';
import { runSync } from '$lib/sync/engine.js';
import { DraftEditor } from '$lib/state/draft.svelte.js';
import { recordStatus } from '$lib/records/status.js';
import { isTeammateCopy, mayRevise } from '$lib/records/rules.js';
import { makeSite, perfectNewFind, uuid } from '../../fixtures/builders.js';
import { sha256Hex, uniqueJpeg } from '../../fixtures/photos.js';
import { FakeServer } from './fake-server.js';
import { closeStore, context, loadCounties, openStore, queuedRecord } from './device.js';

/**
 * Teammates' records on the device (issue 13 point 2, device side): received through pull,
 * kept as copies marked with their author, revised here, and removed (as sent only) when the
 * author leaves the team. The device's account is surveyor-150627.
 */
const ZHANG = 'surveyor-150627-2';
const WANG = 'surveyor-150627-3';

let store: DeviceStore;
let server: FakeServer;
beforeEach(async () => {
	store = await openStore();
	server = new FakeServer([makeSite()]);
});
afterEach(() => closeStore(store));

let n = 100;
/** A teammate's 新发现 on the server, its photos there too. */
function teammateRecord(author: string): SurveyRecord {
	const id = uuid(++n);
	const base = perfectNewFind({}, id);
	const photos = base.photos.map((p) => {
		const bytes = uniqueJpeg();
		const sha256 = sha256Hex(bytes);
		server.photos.set(sha256, bytes);
		return { ...p, sha256 };
	});
	const record = { ...base, photos, name: `队友的墓葬${n}` };
	server.addTeammateRecord(record, author);
	return record;
}

const row = async (id: string) => (await store.getRecord(id))!;

describe('a teammate’s record', () => {
	it('arrives marked with its author, with its photos, and is no task of this surveyor', async () => {
		server.roster = { id: 3, name: '一队', members: [{ username: ZHANG, displayName: '张三' }] };
		const record = teammateRecord(ZHANG);
		const outsider = teammateRecord(WANG); // not in the team

		const outcome = await runSync(context(store, server));
		expect(outcome).toMatchObject({ ok: true, teammateRecords: 1 });
		const held = await row(record.id);
		expect(held).toMatchObject({
			localState: 'finalized',
			serverStatus: 'submitted',
			serverRevision: 1,
			teammate: { username: ZHANG, name: '张三' }
		});
		expect(held.outbox).toBeUndefined();
		expect(held.record).toEqual({ ...record, baseRevision: 1 });
		expect(recordStatus(held)).toBe('已送达');
		expect((await store.photosOf(record.id)).map((p) => p.sha256)).toEqual(
			record.photos.map((p) => p.sha256)
		);
		expect(await store.getRecord(outsider.id)).toBeUndefined();
		expect(await store.getSetting('teamRoster')).toMatchObject({
			username: 'surveyor-150627',
			token: server.rosterToken(),
			members: [{ username: ZHANG, name: '张三' }]
		});
		// a second run fetches nothing again
		server.log.length = 0;
		expect(await runSync(context(store, server))).toMatchObject({ teammateRecords: 0 });
		expect(server.trace()).not.toContainEqual(expect.stringMatching(/GET \/api\/records\//));
	});

	it('reaches a device that had pulled past it before its author joined the team', async () => {
		const older = teammateRecord(WANG);
		await runSync(context(store, server)); // in no team: the cursor moves past WANG's record
		expect(await store.getRecord(older.id)).toBeUndefined();
		const cursor = (await store.getSetting('syncCursor'))!.cursor;

		server.roster = { id: 3, name: '一队', members: [{ username: WANG }] };
		const outcome = await runSync(context(store, server));
		// no change after the cursor is WANG's: the roster's index brought it
		const pull = server
			.requests('GET')
			.filter((r) => r.path === '/api/sync/pull')
			.at(-1)!;
		expect(new URLSearchParams(pull.query).get('since')).toBe(cursor);
		expect(outcome).toMatchObject({ ok: true, teammateRecords: 1 });
		expect(await row(older.id)).toMatchObject({
			teammate: { username: WANG, name: WANG },
			serverRevision: 1
		});
	});

	it('is revised here: a draft, finalized, pushed as the next revision, kept as a copy', async () => {
		server.roster = { id: 3, name: '一队', members: [{ username: ZHANG, displayName: '张三' }] };
		const record = teammateRecord(ZHANG);
		await runSync(context(store, server));
		const draft = new DraftEditor(store, await row(record.id), { loadCounties });
		expect(draft.editable).toBe(false);
		expect(draft.canRevise).toBe(true);
		await draft.revise();
		expect(draft.editable).toBe(true);
		draft.record.description = `${record.description}队友补记：东侧另见灰坑一处。`;
		draft.changed();
		await draft.flush();
		await draft.finalize();
		expect(recordStatus(await row(record.id))).toBe('待上传');

		server.log.length = 0;
		expect(await runSync(context(store, server))).toMatchObject({ ok: true, accepted: 1 });
		const sent = server.pushes()[0]!.body as { records: SurveyRecord[] };
		expect(sent.records[0]).toMatchObject({ id: record.id, baseRevision: 1 });
		// the photos are the server's already: none is uploaded
		expect(server.requests('PUT')).toEqual([]);
		expect(server.records.get(record.id)).toMatchObject({ revision: 2 });
		const after = await row(record.id);
		expect(after).toMatchObject({ serverRevision: 2, teammate: { username: ZHANG } });
		expect(isTeammateCopy(after)).toBe(true);
		expect(after.record.description).toContain('队友补记');
	});

	it('a newer revision replaces a copy as sent, never unsent edits', async () => {
		server.roster = { id: 3, name: '一队', members: [{ username: ZHANG, displayName: '张三' }] };
		const record = teammateRecord(ZHANG);
		await runSync(context(store, server));
		server.reviseAsAuthor(record.id, { name: '作者改过的名称' });
		await runSync(context(store, server));
		expect(await row(record.id)).toMatchObject({
			serverRevision: 2,
			record: { name: '作者改过的名称', baseRevision: 2 }
		});

		// this surveyor starts revising it; the author sends revision 3 meanwhile
		const draft = new DraftEditor(store, await row(record.id), { loadCounties });
		await draft.revise();
		draft.record.name = '本机修改的名称';
		draft.changed();
		await draft.flush();
		server.reviseAsAuthor(record.id, { name: '作者再改的名称' });
		await runSync(context(store, server));
		const kept = await row(record.id);
		expect(kept).toMatchObject({ localState: 'draft', serverRevision: 2 });
		expect(kept.record.name).toBe('本机修改的名称');
		// finalized and sent, it meets a conflict: the surveyor decides field by field
		await new DraftEditor(store, kept, { loadCounties }).finalize();
		expect(await runSync(context(store, server))).toMatchObject({ conflicts: 1 });
		expect((await row(record.id)).outbox).toBe('conflict');
		expect(server.records.get(record.id)?.record.name).toBe('作者再改的名称');
	});
});

describe('a former teammate’s records', () => {
	it('go from the device when held as sent; unsent edits and own records stay', async () => {
		server.roster = {
			id: 3,
			name: '一队',
			members: [
				{ username: ZHANG, displayName: '张三' },
				{ username: WANG, displayName: '王五' }
			]
		};
		const own = await queuedRecord(store, 1);
		const zhangs = teammateRecord(ZHANG);
		const wangsSent = teammateRecord(WANG);
		const wangsEdited = teammateRecord(WANG);
		await runSync(context(store, server));
		const draft = new DraftEditor(store, await row(wangsEdited.id), { loadCounties });
		await draft.revise();
		draft.record.name = '未发送的修改';
		draft.changed();
		await draft.flush();

		// WANG leaves the team
		server.roster = { ...server.roster, members: [{ username: ZHANG, displayName: '张三' }] };
		await runSync(context(store, server));
		expect(await store.getRecord(wangsSent.id)).toBeUndefined();
		expect(await store.photosOf(wangsSent.id)).toEqual([]);
		for (const p of wangsSent.photos) expect(await store.photoBlob(p.sha256)).toBeUndefined();
		expect((await row(wangsEdited.id)).record.name).toBe('未发送的修改');
		expect(await row(zhangs.id)).toMatchObject({ teammate: { username: ZHANG } });
		expect(await row(own.id)).toMatchObject({ serverRevision: 1 });

		// the team is deleted: ZHANG's copy goes too; own records stay
		server.roster = null;
		await runSync(context(store, server));
		expect(await store.getRecord(zhangs.id)).toBeUndefined();
		expect(await store.getSetting('teamRoster')).toMatchObject({ token: '', members: [] });
		expect(await row(own.id)).toBeDefined();
		expect(await row(wangsEdited.id)).toBeDefined();
	});

	it('the rules: only a teammate’s copy as sent, submitted or returned, may be revised', () => {
		const copy: Pick<StoredRecord, 'teammate' | 'localState' | 'outbox' | 'serverStatus'> = {
			teammate: { username: ZHANG, name: '张三' },
			localState: 'finalized',
			serverStatus: 'submitted'
		};
		expect(mayRevise(copy)).toBe(true);
		expect(mayRevise({ ...copy, serverStatus: 'returned' })).toBe(true);
		expect(mayRevise({ ...copy, serverStatus: 'county_approved' })).toBe(false);
		expect(mayRevise({ ...copy, outbox: 'queued' })).toBe(false);
		expect(mayRevise({ ...copy, localState: 'draft' })).toBe(false);
		const own = { ...copy };
		delete own.teammate;
		expect(mayRevise(own)).toBe(false);
	});
});
