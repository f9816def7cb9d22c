/**
 * The audit log in the data layer (contract §6), on SQLite and, with TEST_PG_URL, PostgreSQL:
 * an upgraded database gets a complete chain from the revisions it holds; a write that fails
 * leaves no entry and no head line; writers that run at once still make one chain.
 */
import type { Kysely } from 'kysely';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DataStore } from '$lib/server/db/store.js';
import type { Database } from '$lib/server/db/schema.js';
import { AUDIT_HEAD_FILE } from '$lib/server/db/audit.js';
import { verifyAudit } from '$lib/server/audit-verify.js';
import { BACKENDS, freshWhere, insertSurveyor, migratedUpTo, type Where } from './databases.js';

const where = (postgres: boolean) => freshWhere(postgres, 'survey-audit-unit-');

/** The database of `at` as a server before the audit log made it: migrated up to 0004. */
function beforeAudit(at: Where): Promise<Kysely<Database>> {
	return migratedUpTo(at, '0004_sites_seq');
}

/** A surveyor and `n` records, each with its first revision (a push). */
async function seedRecords(db: Kysely<Database>, n: number, at = '2026-05-01T08:00:00.000Z') {
	const now = at;
	const user = await insertSurveyor(db, now);
	const ids = Array.from({ length: n }, (_, i) => `record-${String(i).padStart(3, '0')}`);
	for (const id of ids) {
		const content = JSON.stringify({ id, name: `遗址 ${id}` });
		await db
			.insertInto('records')
			.values({
				id,
				county_code: '150602',
				kind: '新发现',
				site_code: null,
				name: id,
				category: null,
				lat: 39.8,
				lon: 109.9,
				status: 'submitted',
				revision: 1,
				owner_id: user.id,
				content,
				content_key: id,
				created_at: now,
				updated_at: now
			})
			.execute();
		await db
			.insertInto('revisions')
			.values({
				record_id: id,
				revision: 1,
				at: now,
				by_user: 'surveyor-a',
				action: 'push',
				status: 'submitted',
				content,
				device_id: 'device-a'
			})
			.execute();
	}
	return ids;
}

const approve = (store: DataStore, id: string) =>
	store.write(async (tx) => {
		const row = (await tx.records.getForUpdate(id))!;
		return tx.records.storeDecision({
			row,
			action: 'approve',
			status: 'county_approved',
			by: 'reviewer-a',
			comments: [],
			at: new Date().toISOString()
		});
	});

const backends = BACKENDS;

describe.each(backends)('audit log on $name', ({ postgres }) => {
	it('seeds a complete chain when a database with revisions is upgraded', async () => {
		const at = await where(postgres);
		const old = await beforeAudit(at);
		const ids = await seedRecords(old, 3);
		await old
			.insertInto('revisions')
			.values({
				record_id: ids[1]!,
				revision: 2,
				at: '2026-05-02T09:00:00.000Z',
				by_user: 'reviewer-a',
				action: 'return',
				status: 'returned',
				content: null,
				comments: '[{"message":"请补充","by":"reviewer-a","at":"2026-05-02T09:00:00.000Z"}]'
			})
			.execute();
		await old.destroy();

		const store = await DataStore.open(at);
		const log = await store.db.selectFrom('audit_log').selectAll().orderBy('seq').execute();
		await store.close();
		expect(log.map((e) => [e.seq, e.record_id, e.revision, e.action])).toEqual([
			[1, ids[0], 1, 'push'],
			[2, ids[1], 1, 'push'],
			[3, ids[2], 1, 'push'],
			[4, ids[1], 2, 'return']
		]);
		// opening the upgraded database anchored its head
		expect(readFileSync(join(at.dataDir, AUDIT_HEAD_FILE), 'utf8')).toBe(`4 ${log[3]!.hash}\n`);
		expect(await verifyAudit(at)).toMatchObject({ ok: true, entries: 4, unanchored: 0 });
	}, 30_000);

	it('keeps nothing of a failed write, and one chain under writers at once', async () => {
		const at = await where(postgres);
		const store = await DataStore.open(at);
		const ids = await store.write((tx) => seedRecords(tx.db, 12));
		// rows written around the repository: no entry, no head line yet
		expect(existsSync(join(at.dataDir, AUDIT_HEAD_FILE))).toBe(false);
		expect(await verifyAudit(at)).toMatchObject({ ok: false });

		const failing = store.write(async (tx) => {
			const row = (await tx.records.getForUpdate(ids[0]!))!;
			await tx.records.storeDecision({
				row,
				action: 'approve',
				status: 'county_approved',
				by: 'reviewer-a',
				comments: [],
				at: new Date().toISOString()
			});
			throw new Error('half-way');
		});
		await expect(failing).rejects.toThrow('half-way');
		expect(await store.db.selectFrom('audit_log').selectAll().execute()).toEqual([]);
		expect(existsSync(join(at.dataDir, AUDIT_HEAD_FILE))).toBe(false);

		await Promise.all(ids.map((id) => approve(store, id)));
		const log = await store.db.selectFrom('audit_log').select('seq').orderBy('seq').execute();
		expect(log.map((e) => e.seq)).toEqual(ids.map((_, i) => i + 1));
		const lines = readFileSync(join(at.dataDir, AUDIT_HEAD_FILE), 'utf8').trim().split('\n');
		expect(lines).toHaveLength(ids.length);
		await store.close();
		// the seeded pushes have no entries (written around the server): the check says so
		expect(await verifyAudit(at)).toMatchObject({
			ok: false,
			problem: { recordId: ids[0], revision: 1 }
		});
	}, 30_000);
});
