import 'fake-indexeddb/auto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { DeviceStore } from '$lib/db/index.js';
import type { RegistrySummary } from '$lib/domain/sync/wire.js';
import { runSync, syncRegistry } from '$lib/sync/engine.js';
import { makeSite } from '../../fixtures/builders.js';
import { FakeServer } from './fake-server.js';
import { closeStore, context, openStore, queuedRecord } from './device.js';

/** The registry step with teams (issue 13): the choice, the team's scope, its token. */
let store: DeviceStore;
let server: FakeServer;
const codes = ['150627-0001', '150627-0002', '150627-0003', '150627-0004'];
const now = () => '2025-06-02T12:00:00.000Z';

beforeEach(async () => {
	store = await openStore();
	server = new FakeServer(codes.map((code, i) => makeSite({ code, name: `测试遗址${i + 1}` })));
});
afterEach(() => closeStore(store));

const held = async () => (await store.sitesOf('150627')).map((s) => s.code).sort();
const choose = (scope: 'team' | 'county') =>
	store.setSetting('registryScope', { username: 'surveyor-150627', scope });

describe('the registry step with teams', () => {
	it('waits for the surveyor’s choice on a first download when the team has an assignment', async () => {
		server.team = { id: 7, name: '一队', codes: new Set(codes.slice(0, 2)) };
		let heard: RegistrySummary | null = null;

		const count = await syncRegistry(
			context(store, server, { onRegistryChoice: (s) => (heard = s) }),
			now
		);

		expect(count).toBe(0);
		expect(heard).toMatchObject({ county: { sites: 4 }, team: { id: 7, name: '一队', sites: 2 } });
		expect(await held()).toEqual([]);
		expect(server.trace()).toEqual(['GET /api/registry/summary']);
	});

	it('downloads only the team’s sites, then changes; a new token replaces them', async () => {
		server.team = { id: 7, name: '一队', codes: new Set(codes.slice(0, 2)) };
		await choose('team');
		await syncRegistry(context(store, server), now);
		expect(await held()).toEqual(codes.slice(0, 2));
		expect(await store.getSetting('registryCursor')).toMatchObject({
			scope: 'team',
			team: { id: 7, name: '一队', sites: 2 }
		});

		// same assignment: only the changes since the cursor
		server.addSite(makeSite({ code: codes[1]!, name: '改名的遗址' }));
		await syncRegistry(context(store, server), now);
		expect((await store.getSite(codes[1]!))?.name).toBe('改名的遗址');

		// the assignment changes: one site off, one on; a full download replaces the registry
		server.team.codes = new Set([codes[1]!, codes[3]!]);
		server.log.length = 0;
		await syncRegistry(context(store, server), now);
		expect(await held()).toEqual([codes[1], codes[3]]);
		expect(server.log.map((r) => r.query)).toEqual([
			expect.stringContaining('since='),
			'?scope=team'
		]);
	});

	it('replacing the registry keeps every record and draft', async () => {
		const row = await queuedRecord(store, 1);
		server.team = { id: 7, name: '一队', codes: new Set(codes.slice(0, 1)) };
		await choose('team');
		await syncRegistry(context(store, server), now);
		expect(await store.getRecord(row.id)).toEqual(row);
	});

	it('falls back to the county when the team has nothing (409), and switches when chosen', async () => {
		await choose('team');
		await syncRegistry(context(store, server), now);
		expect(await held()).toEqual(codes);
		expect(await store.getSetting('registryCursor')).toMatchObject({ scope: 'county' });

		server.team = { id: 7, name: '一队', codes: new Set([codes[2]!]) };
		await syncRegistry(context(store, server), now);
		expect(await held()).toEqual([codes[2]]);

		await choose('county');
		await syncRegistry(context(store, server), now);
		expect(await held()).toEqual(codes);
	});

	it('without a team, a first download is the county’s as before', async () => {
		await syncRegistry(context(store, server), now);
		expect(await held()).toEqual(codes);
	});
});

describe('a teammate’s revision of the author’s record', () => {
	it('replaces the copy the author’s device holds as sent, and is not a correction', async () => {
		const row = await queuedRecord(store, 1);
		await runSync(context(store, server));
		server.reviseAsTeammate(row.id, { description: '队友补充的描述，写得更完整。' }, '队友');

		await runSync(context(store, server));

		const after = await store.getRecord(row.id);
		expect(after?.record.description).toBe('队友补充的描述，写得更完整。');
		expect(after).toMatchObject({ serverRevision: 2, serverStatus: 'submitted' });
		expect(after?.serverCorrections).toBeUndefined();
	});
});
