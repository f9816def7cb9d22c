import 'fake-indexeddb/auto';
import Dexie from 'dexie';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DeviceStore, ValidationError } from '$lib/db/index.js';
import { newRecheckDraft } from '$lib/domain/records/drafts.js';
import type { RegisteredSite } from '$lib/domain/schemas/site.js';
import { jpegBlob, makeSite, storedPhotoOf } from '../../fixtures/builders.js';

/** Registered site `code`, named after its code. */
function site(code: string, overrides: Partial<RegisteredSite> = {}): RegisteredSite {
	return makeSite({
		code,
		name: `测试${code}遗址`,
		township: '纳林陶亥镇',
		condition: '一般',
		location: { lat: 39.5, lon: 109.8 },
		...overrides
	});
}

let store: DeviceStore;
let n = 0;
beforeEach(async () => {
	store = new DeviceStore(`test-${++n}`);
	await store.open();
});
afterEach(async () => {
	store.close();
	await store.db.delete();
});

describe('DeviceStore', () => {
	it('stores a registry and reads it back by county', async () => {
		await store.replaceRegistry(
			[site('150627-0001'), site('150627-0002'), site('150602-0001', { countyCode: '150602' })],
			{ kind: 'demo', label: '演示名录', loadedAt: '2025-06-01T08:00:00+08:00' }
		);
		expect((await store.sitesOf('150627')).map((s) => s.code).sort()).toEqual([
			'150627-0001',
			'150627-0002'
		]);
		expect(await store.sitesOf('all')).toHaveLength(3);
		expect(await store.countSitesByCounty()).toEqual({
			'150602': 1,
			'150627': 2
		});
		expect(await store.getSetting('registrySource')).toMatchObject({ kind: 'demo', count: 3 });
	});

	it('refuses a registry with one bad site and keeps the old one whole', async () => {
		await store.replaceRegistry([site('150627-0001')], {
			kind: 'demo',
			label: '演示名录',
			loadedAt: '2025-06-01T08:00:00+08:00'
		});
		const bad = { ...site('150627-0009'), category: '古遗址类' };
		await expect(
			store.replaceRegistry([site('150627-0002'), bad], {
				kind: 'file',
				label: 'x.json',
				loadedAt: '2025-06-02T08:00:00+08:00'
			})
		).rejects.toThrow(ValidationError);
		expect((await store.sitesOf('all')).map((s) => s.code)).toEqual(['150627-0001']);
		expect(await store.getSetting('registrySource')).toMatchObject({ kind: 'demo', count: 1 });
	});

	it('refuses duplicate codes in a registry', async () => {
		await expect(
			store.replaceRegistry([site('150627-0001'), site('150627-0001')], {
				kind: 'file',
				label: 'dup.json',
				loadedAt: '2025-06-02T08:00:00+08:00'
			})
		).rejects.toThrow(/重复/);
		expect(await store.countSites()).toBe(0);
	});

	it('validates every record write against the wire schema', async () => {
		const record = newRecheckDraft(site('150627-0001'), {
			id: '2f1c9a4e-8b7d-4c3a-9e2f-1a2b3c4d5e6f',
			now: '2025-06-02T10:00:00+08:00'
		});
		const row = {
			id: record.id,
			countyCode: record.countyCode,
			kind: record.kind,
			siteCode: '150627-0001',
			localState: 'draft' as const,
			locationTaken: false,
			record,
			createdAt: record.updatedAt,
			updatedAt: record.updatedAt
		};
		await store.putRecord(row);
		expect((await store.getRecord(record.id))?.record.name).toBe('测试150627-0001遗址');

		const bad = { ...row, record: { ...record, condition: '很好' } };
		await expect(store.putRecord(bad as never)).rejects.toThrow(/condition/);
		expect((await store.getRecord(record.id))?.record.condition).toBe('一般');
		expect(await store.recordsOfSite('150627-0001')).toHaveLength(1);
	});

	it('validates settings', async () => {
		await store.setSetting('county', '150627');
		expect(await store.getSetting('county')).toBe('150627');
		await expect(store.setSetting('county', '999999' as never)).rejects.toThrow(ValidationError);
		expect(await store.getSetting('county')).toBe('150627');
	});

	it('keeps photo bytes and metadata together', async () => {
		const sha = 'a'.repeat(64);
		const recordId = '2f1c9a4e-8b7d-4c3a-9e2f-1a2b3c4d5e6f';
		const bytes = new Uint8Array([1, 2, 3]);
		await store.putPhoto(
			storedPhotoOf(
				recordId,
				{ bytes, sha256: sha },
				{ kind: '全景', number: 1, createdAt: '2025-06-02T10:00:00+08:00' }
			),
			jpegBlob(bytes)
		);
		const photos = await store.photosOf(recordId);
		expect(photos.map((p) => p.sha256)).toEqual([sha]);
		expect((await store.photoBlob(sha))?.size).toBe(3);
		await expect(
			store.putPhoto({ ...photos[0]!, sha256: 'not-a-hash' }, new Blob([]))
		).rejects.toThrow(ValidationError);
	});

	it('reopens by itself when the browser closes the connection', async () => {
		await store.replaceRegistry([site('150627-0001')], {
			kind: 'demo',
			label: '演示名录',
			loadedAt: '2025-06-01T08:00:00+08:00'
		});
		const events: string[] = [];
		store.onConnection((e) => events.push(e));
		// What a browser does when it closes the connection (storage cleared, memory reclaimed).
		const idb = store.db.backendDB();
		idb.close();
		idb.onclose?.call(idb, new Event('close'));
		expect(await store.getSite('150627-0001')).toMatchObject({ code: '150627-0001' });
		expect(events).toContain('closed');
	});

	it('lists summaries of the sites for the work list', async () => {
		await store.replaceRegistry([site('150627-0001', { village: '朱开沟村' })], {
			kind: 'demo',
			label: '演示名录',
			loadedAt: '2025-06-01T08:00:00+08:00'
		});
		expect(await store.summariesOf('150627')).toEqual([
			{
				code: '150627-0001',
				countyCode: '150627',
				name: '测试150627-0001遗址',
				township: '纳林陶亥镇',
				village: '朱开沟村',
				category: '古文化遗址',
				protectionLevel: '尚未核定公布为文物保护单位的不可移动文物',
				lat: 39.5,
				lon: 109.8
			}
		]);
	});
});

describe('database migrations', () => {
	it('upgrades a version-1 device: its sites gain the summaries of version 2', async () => {
		const name = 'migrate-v1';
		const v1 = new Dexie(name);
		v1.version(1).stores({
			sites: 'code, countyCode',
			records: 'id, countyCode, siteCode, localState, updatedAt',
			photos: 'key, recordId, sha256',
			photoBlobs: 'sha256',
			settings: 'key'
		});
		await v1.table('sites').bulkPut([site('150627-0001'), site('150627-0002')]);
		v1.close();

		const upgraded = new DeviceStore(name);
		await upgraded.open();
		expect(upgraded.db.verno).toBe(3);
		expect((await upgraded.summariesOf('150627')).map((s) => s.code)).toEqual([
			'150627-0001',
			'150627-0002'
		]);
		expect(await upgraded.getSite('150627-0002')).toMatchObject({ name: '测试150627-0002遗址' });
		upgraded.close();
		await upgraded.db.delete();
	});

	it('upgrades a version-2 device: its finalized, unsent records join the outbox', async () => {
		const name = 'migrate-v2';
		const v2 = new Dexie(name);
		v2.version(2).stores({
			sites: 'code, countyCode',
			siteIndex: 'countyCode',
			records: 'id, countyCode, siteCode, localState, updatedAt',
			photos: 'key, recordId, sha256',
			photoBlobs: 'sha256',
			settings: 'key'
		});
		const record = newRecheckDraft(site('150627-0001'), {
			id: '2f1c9a4e-8b7d-4c3a-9e2f-1a2b3c4d5e6f',
			now: '2025-06-02T10:00:00+08:00'
		});
		const row = (id: string, localState: 'draft' | 'finalized') => ({
			id,
			countyCode: '150627',
			kind: '复查',
			siteCode: '150627-0001',
			localState,
			locationTaken: true,
			record: { ...record, id },
			createdAt: record.updatedAt,
			updatedAt: record.updatedAt
		});
		await v2
			.table('records')
			.bulkPut([
				row('2f1c9a4e-8b7d-4c3a-9e2f-000000000001', 'finalized'),
				row('2f1c9a4e-8b7d-4c3a-9e2f-000000000002', 'draft')
			]);
		v2.close();

		const upgraded = new DeviceStore(name);
		await upgraded.open();
		expect((await upgraded.queuedRecords()).map((r) => r.id)).toEqual([
			'2f1c9a4e-8b7d-4c3a-9e2f-000000000001'
		]);
		expect((await upgraded.getRecord('2f1c9a4e-8b7d-4c3a-9e2f-000000000002'))?.outbox).toBe(
			undefined
		);
		upgraded.close();
		await upgraded.db.delete();
	});
});
