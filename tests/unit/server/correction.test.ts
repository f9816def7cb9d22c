/**
 * Reviewers' corrections and decisions in the data layer, on SQLite and (TEST_PG_URL) PostgreSQL:
 * a correction is a new revision by the reviewer with its reason, its findings, its audit entry
 * and the change the author pulls; every refusal writes nothing; comments get ids and severity;
 * a database made before corrections keeps its revisions when it is upgraded.
 */
import type { Kysely } from 'kysely';
import { describe, expect, it } from 'vitest';
import { DataStore } from '$lib/server/db/store.js';
import type { Database } from '$lib/server/db/schema.js';
import type { Principal } from '$lib/server/auth/roles.js';
import { push } from '$lib/server/sync/push.js';
import { correct } from '$lib/server/review/correction.js';
import { decide } from '$lib/server/review/decision.js';
import { readRecordForReview } from '$lib/server/review/record.js';
import { verifyAudit } from '$lib/server/audit-verify.js';
import { COUNTY_CODES, type CountyCode } from '$lib/domain/codelists/index.js';
import type { SurveyRecord } from '$lib/domain/schemas/index.js';
import { counties, NOW, perfectNewFind, uuid } from '../../fixtures/builders.js';
import { BACKENDS, freshWhere, insertSurveyor, migratedUpTo, type Where } from './databases.js';

const later = (minutes: number) => new Date(NOW.getTime() + minutes * 60_000);

type World = {
	where: Where;
	store: DataStore;
	deps: { store: DataStore; counties: typeof counties };
	surveyor: Principal;
	reviewer: Principal;
	outsider: Principal;
	city: Principal;
};

async function world(postgres: boolean): Promise<World> {
	const where = await freshWhere(postgres, 'survey-correction-');
	const store = await DataStore.open(where);
	const principal = async (
		username: string,
		role: Principal['role'],
		list: CountyCode[]
	): Promise<Principal> => {
		const user = await store.users.create({ username, role, counties: list, passwordHash: 'x' });
		return { id: user.id, username, role, counties: list, demo: false, tokenId: 0 };
	};
	return {
		where,
		store,
		deps: { store, counties },
		surveyor: await principal('surveyor-150627', 'surveyor', ['150627']),
		reviewer: await principal('reviewer-150627', 'county_reviewer', ['150627']),
		outsider: await principal('reviewer-150602', 'county_reviewer', ['150602']),
		city: await principal('city', 'city_reviewer', [...COUNTY_CODES])
	};
}

/** A clean 新发现 without photos (QC then finds only the missing photos), pushed: revision 1. */
async function pushed(w: World, n: number): Promise<SurveyRecord> {
	const record = perfectNewFind({ photos: [], name: `更正测试墓葬${n}` }, uuid(n, 'c0c0c0c0'));
	const [result] = await push(w.deps, w.surveyor, 'device-1', [record], NOW);
	expect(result).toMatchObject({ status: 'accepted', revision: 1 });
	return record;
}

async function revisionsOf(w: World, id: string) {
	return w.store.db
		.selectFrom('revisions')
		.select(['revision', 'action', 'by_user', 'status', 'reason'])
		.where('record_id', '=', id)
		.orderBy('revision')
		.execute();
}

describe.each(BACKENDS)('corrections on $name', ({ postgres }) => {
	it('stores a correction as a revision by the reviewer, with its reason, findings, audit entry and pull change', async () => {
		const w = await world(postgres);
		const record = await pushed(w, 1);
		const outcome = await correct(
			w.deps,
			w.reviewer,
			record.id,
			{
				revision: 1,
				changes: { era: '明', eraGroup: '明代', description: null },
				reason: '年代据地表遗物订正；简介待调查员补写'
			},
			later(5)
		);
		expect(outcome).toEqual({
			ok: true,
			status: 'submitted',
			revision: 2,
			changed: ['description', 'era', 'eraGroup']
		});
		const read = await readRecordForReview(w.store, w.reviewer, record.id);
		expect(read?.revision).toBe(2);
		expect(read?.status).toBe('submitted');
		expect(read?.record.era).toBe('明');
		expect(read?.record.description).toBeUndefined();
		expect(read?.record.baseRevision).toBe(1);
		expect(read?.previous?.era).toBe('汉');
		expect(read?.site).toBeNull();
		expect(read?.history.map((h) => [h.revision, h.action, h.by, h.status])).toEqual([
			[1, 'push', 'surveyor-150627', 'submitted'],
			[2, 'correct', 'reviewer-150627', 'submitted']
		]);
		expect(read?.history[1]).toMatchObject({
			reason: '年代据地表遗物订正；简介待调查员补写',
			changed: ['description', 'era', 'eraGroup']
		});
		expect(read?.history[0]).not.toHaveProperty('reason');
		// QC ran again on the corrected content: the missing description is now reported
		expect(read?.findings.some((f) => f.path === 'description')).toBe(true);
		const qc = await w.store.db
			.selectFrom('record_qc')
			.selectAll()
			.where('record_id', '=', record.id)
			.executeTakeFirstOrThrow();
		const errors = read!.findings.filter((f) => f.severity === 'error').length;
		const warnings = read!.findings.filter((f) => f.severity === 'warning').length;
		expect([qc.errors, qc.warnings]).toEqual([errors, warnings]);

		// the author's device gets the corrected content with who corrected it and why
		const feed = await w.store.read((tx) =>
			tx.feed.since({ id: w.surveyor.id, counties: ['150627'], ownRecordsOnly: true }, 0, 100)
		);
		const change = feed.changes.map((c) => c.payload as Record<string, unknown>).at(-1);
		expect(change).toMatchObject({
			type: 'record',
			id: record.id,
			status: 'submitted',
			revision: 2,
			correction: { by: 'reviewer-150627', reason: '年代据地表遗物订正；简介待调查员补写' },
			record: { id: record.id, era: '明', eraGroup: '明代' }
		});
		expect((change?.record as SurveyRecord).description).toBeUndefined();

		// the chain holds the correction and verifies
		const entry = await w.store.db
			.selectFrom('audit_log')
			.selectAll()
			.where('record_id', '=', record.id)
			.where('revision', '=', 2)
			.executeTakeFirstOrThrow();
		expect([entry.action, entry.actor]).toEqual(['correct', 'reviewer-150627']);
		expect(await verifyAudit(w.where)).toMatchObject({ ok: true, entries: 2 });
		// the reason is part of the entry's body: rewriting it in the database breaks the chain
		const rewrite = (reason: string) =>
			w.store.db
				.updateTable('revisions')
				.set({ reason })
				.where('record_id', '=', record.id)
				.where('revision', '=', 2)
				.execute();
		await rewrite('年代未改');
		expect(await verifyAudit(w.where)).toMatchObject({ ok: false });
		await rewrite('年代据地表遗物订正；简介待调查员补写');
		expect(await verifyAudit(w.where)).toMatchObject({ ok: true, entries: 2 });

		// the surveyor's identical push of the corrected content is a retry; an edit from the
		// old revision is a conflict
		const [same] = await push(w.deps, w.surveyor, 'device-1', [read!.record], later(6));
		expect(same).toMatchObject({ status: 'unchanged', revision: 2 });
		const [stale] = await push(
			w.deps,
			w.surveyor,
			'device-1',
			[{ ...record, name: '另一名称' }],
			later(7)
		);
		expect(stale).toMatchObject({ status: 'conflict', revision: 2 });
		await w.store.close();
	});

	it('refuses, writing nothing: other county 404, surveyor 403, stale 409, wrong status, invalid or no change 422', async () => {
		const w = await world(postgres);
		const record = await pushed(w, 2);
		const body = { revision: 1, changes: { era: '明' }, reason: '订正年代' };
		const before = await revisionsOf(w, record.id);
		const feedBefore = await w.store.feed.last();

		expect(await correct(w.deps, w.outsider, record.id, body)).toMatchObject({
			ok: false,
			status: 404
		});
		expect(await correct(w.deps, w.outsider, uuid(999, 'c0c0c0c0'), body)).toMatchObject({
			ok: false,
			status: 404
		});
		expect(await correct(w.deps, w.surveyor, record.id, body)).toMatchObject({
			ok: false,
			status: 403
		});
		expect(await correct(w.deps, w.reviewer, record.id, { ...body, revision: 2 })).toMatchObject({
			ok: false,
			status: 409
		});
		// the city corrects only what the county approved
		expect(await correct(w.deps, w.city, record.id, body)).toMatchObject({
			ok: false,
			status: 422
		});
		const invalid = await correct(w.deps, w.reviewer, record.id, {
			...body,
			changes: { category: '不存在的类别', condition: '好' }
		});
		expect(invalid).toMatchObject({ ok: false, status: 422 });
		expect(invalid.ok ? [] : invalid.issues?.map((i) => i.path)).toEqual(['category']);
		// a 新发现 cannot be given a 复查's change type
		const misplaced = await correct(w.deps, w.reviewer, record.id, {
			...body,
			changes: { changeType: '无变更' }
		});
		expect(misplaced.ok ? [] : misplaced.issues?.map((i) => i.path)).toEqual(['changeType']);
		expect(
			await correct(w.deps, w.reviewer, record.id, {
				...body,
				changes: { era: record.era, name: ` ${record.name}`.trim() }
			})
		).toMatchObject({ ok: false, status: 422 });
		// clearing what is already empty changes nothing either
		expect(
			await correct(w.deps, w.reviewer, record.id, { ...body, changes: { village: '' } })
		).toMatchObject({ ok: false, status: 422 });

		expect(await revisionsOf(w, record.id)).toEqual(before);
		expect(await w.store.feed.last()).toBe(feedBefore);
		expect((await w.store.records.get(record.id))?.record).toEqual(record);

		// the city corrects once the county approved it
		expect(
			await decide(w.store, w.reviewer, record.id, {
				decision: 'approve',
				revision: 1,
				comments: [{ message: '照片另行提交', severity: '建议' }]
			})
		).toMatchObject({ ok: true, status: 'county_approved', revision: 2 });
		expect(await correct(w.deps, w.reviewer, record.id, { ...body, revision: 2 })).toMatchObject({
			ok: false,
			status: 422
		});
		expect(await correct(w.deps, w.city, record.id, { ...body, revision: 2 })).toMatchObject({
			ok: true,
			status: 'county_approved',
			revision: 3,
			changed: ['era']
		});
		await w.store.close();
	});

	it('names each comment of a decision by its revision and place, with its severity', async () => {
		const w = await world(postgres);
		const record = await pushed(w, 3);
		const outcome = await decide(
			w.store,
			w.reviewer,
			record.id,
			{
				decision: 'return',
				revision: 1,
				comments: [
					{ path: 'description', message: '请补充保存现状', severity: '必须修改' },
					{ message: '建议补拍远景', severity: '建议' }
				]
			},
			later(3)
		);
		expect(outcome).toEqual({ ok: true, status: 'returned', revision: 2 });
		const read = await readRecordForReview(w.store, w.surveyor, record.id);
		const at = later(3).toISOString();
		const comments = [
			{
				id: '2.1',
				path: 'description',
				message: '请补充保存现状',
				severity: '必须修改',
				by: 'reviewer-150627',
				at
			},
			{ id: '2.2', message: '建议补拍远景', severity: '建议', by: 'reviewer-150627', at }
		];
		expect(read?.comments).toEqual(comments);
		expect(read?.history[1]).toMatchObject({ action: 'return', status: 'returned', comments });
		// no content changed since the push
		expect(read?.previous).toBeNull();
		await w.store.close();
	});
});

/** The database of `at` as a server before corrections made it: migrated up to 0006. */
function beforeCorrections(at: Where): Promise<Kysely<Database>> {
	return migratedUpTo(at, '0006_review_visits');
}

describe.each(BACKENDS)('migration 0007 on $name', ({ postgres }) => {
	it('keeps every revision, and lets revisions be corrections with a reason', async () => {
		const at = await freshWhere(postgres, 'survey-0007-');
		const old = await beforeCorrections(at);
		const now = '2026-05-01T08:00:00.000Z';
		const user = await insertSurveyor(old, now);
		await old
			.insertInto('records')
			.values({
				id: 'record-1',
				county_code: '150602',
				kind: '新发现',
				site_code: null,
				name: '遗址',
				category: null,
				lat: 39.5,
				lon: 109.5,
				status: 'returned',
				revision: 2,
				owner_id: user.id,
				content: '{"id":"record-1"}',
				content_key: 'k',
				created_at: now,
				updated_at: now
			})
			.execute();
		const rows = [
			{
				record_id: 'record-1',
				revision: 1,
				at: now,
				by_user: 'surveyor-a',
				action: 'push' as const,
				status: 'submitted',
				content: '{"id":"record-1"}',
				findings: '[{"rule":"REQ-001"}]',
				comments: '[]',
				device_id: 'device-a'
			},
			{
				record_id: 'record-1',
				revision: 2,
				at: now,
				by_user: 'reviewer-a',
				action: 'return' as const,
				status: 'returned',
				content: null,
				findings: '[]',
				comments: '[{"message":"请补充","by":"reviewer-a","at":"2026-05-01T08:00:00.000Z"}]',
				device_id: null
			}
		];
		for (const row of rows) await old.insertInto('revisions').values(row).execute();
		await old.destroy();

		const store = await DataStore.open(at);
		const kept = await store.db.selectFrom('revisions').selectAll().orderBy('revision').execute();
		expect(kept).toEqual(rows.map((row) => ({ ...row, reason: null })));
		await store.db
			.insertInto('revisions')
			.values({ ...rows[0]!, revision: 3, action: 'correct', reason: '订正' })
			.execute();
		await expect(
			store.db
				.insertInto('revisions')
				.values({ ...rows[0]!, revision: 4, action: 'forge' as never })
				.execute()
		).rejects.toThrow();
		await store.close();
	});
});
