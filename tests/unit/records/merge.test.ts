import { describe, expect, it } from 'vitest';
import {
	conflictFields,
	lastChangeOf,
	mergeRecords,
	serverVersion,
	undecided,
	type HistoryEntry,
	type ServerVersion
} from '$lib/domain/records/merge.js';
import { SurveyRecordSchema } from '$lib/domain/schemas/survey-record.js';
import { makePhoto, perfectRecheck } from '../../fixtures/builders.js';

const base = perfectRecheck();

/** The server's version: `base` edited on another device, as revision 3. */
function server(overrides: Record<string, unknown>, revision = 3): ServerVersion {
	const current = serverVersion({
		...structuredClone(base),
		baseRevision: 2,
		updatedAt: '2025-06-03T08:00:00.000Z',
		...overrides,
		status: 'submitted',
		revision
	});
	if (!current) throw new Error('no revision');
	return current;
}

const history: HistoryEntry[] = [
	{
		revision: 1,
		at: '2025-06-02T02:00:00.000Z',
		by: 'surveyor-a',
		action: 'push',
		changed: ['condition', 'description', 'location', 'name', 'photos', 'threats']
	},
	{ revision: 2, at: '2025-06-02T05:00:00.000Z', by: 'reviewer-150627', action: 'return' },
	{
		revision: 3,
		at: '2025-06-03T08:00:01.000Z',
		by: 'surveyor-b',
		action: 'push',
		changed: ['condition', 'threats']
	}
];

describe('serverVersion', () => {
	it('splits status and revision off the record', () => {
		const v = server({});
		expect(v.revision).toBe(3);
		expect(v.status).toBe('submitted');
		expect(v.record).not.toHaveProperty('status');
		expect(v.record).not.toHaveProperty('revision');
		expect(v.record.id).toBe(base.id);
	});

	it('refuses a current without a usable revision', () => {
		expect(serverVersion({ ...base })).toBeNull();
		expect(serverVersion({ ...base, revision: 0 })).toBeNull();
		expect(serverVersion({ ...base, revision: '3' })).toBeNull();
	});
});

describe('conflictFields', () => {
	it('lists nothing when the versions differ only in updatedAt, baseRevision, key order and empties', () => {
		const reordered = Object.fromEntries(Object.entries(base).reverse());
		const v = server({ ...reordered, lostReason: '', usageNote: undefined, qcNotes: [] });
		expect(conflictFields({ ...base, usageNote: null }, v, history)).toEqual([]);
	});

	it('lists each differing field with both values and the server’s last change', () => {
		const mine = { ...base, description: '本机的简介' };
		const v = server({ condition: '差', description: '服务器的简介' });
		const fields = conflictFields(mine, v, history);
		expect(fields.map((f) => f.field)).toEqual(['condition', 'description']);
		expect(fields[0]).toEqual({
			field: 'condition',
			mine: base.condition,
			server: '差',
			lastChange: { revision: 3, at: '2025-06-03T08:00:01.000Z', by: 'surveyor-b' }
		});
		expect(fields[1]!.lastChange).toEqual({
			revision: 1,
			at: '2025-06-02T02:00:00.000Z',
			by: 'surveyor-a'
		});
	});

	it('compares arrays and objects by content: location, photos, threats', () => {
		const v = server({
			location: { ...base.location, lat: base.location.lat + 0.001 },
			photos: [...base.photos, makePhoto(99, '细部')],
			threats: ['农耕']
		});
		const mine = {
			...base,
			// same location, keys in another order: not a difference
			location: Object.fromEntries(Object.entries(base.location).reverse())
		};
		const fields = conflictFields(mine, v, history);
		expect(fields.map((f) => f.field)).toEqual(['location', 'photos', 'threats']);
		expect(fields.find((f) => f.field === 'threats')!.lastChange?.revision).toBe(3);
	});

	it('says nothing of who changed a field when there is no history (offline)', () => {
		const fields = conflictFields(base, server({ condition: '差' }));
		expect(fields).toEqual([
			{ field: 'condition', mine: base.condition, server: '差', lastChange: null }
		]);
	});

	it('lists a field only one version fills in', () => {
		const mine: Record<string, unknown> = { ...base };
		delete mine.village;
		const fields = conflictFields(mine, server({ village: '新村' }), history);
		expect(fields).toEqual([
			{ field: 'village', mine: undefined, server: '新村', lastChange: null }
		]);
	});
});

describe('lastChangeOf', () => {
	it('takes the latest entry that changed the field, up to the given revision', () => {
		expect(lastChangeOf('condition', history)?.revision).toBe(3);
		expect(lastChangeOf('condition', history, 2)?.revision).toBe(1);
		expect(lastChangeOf('era', history)).toBeNull();
	});
});

describe('mergeRecords', () => {
	const mine = { ...base, description: '本机的简介', threats: ['盗掘盗窃'] };
	const v = server({
		condition: '差',
		description: '服务器的简介',
		threats: ['农耕', '水土流失'],
		photos: [makePhoto(99, '细部')]
	});

	it('builds nothing until every differing field has a choice (nothing chosen silently)', () => {
		const fields = conflictFields(mine, v, history);
		expect(mergeRecords(mine, v, {})).toEqual({
			ok: false,
			undecided: ['condition', 'description', 'photos', 'threats']
		});
		const partial = { description: 'mine', condition: 'server' } as const;
		expect(mergeRecords(mine, v, partial)).toEqual({ ok: false, undecided: ['photos', 'threats'] });
		expect(undecided(fields, partial)).toEqual(['photos', 'threats']);
	});

	it('takes each field from the chosen version and keeps what both agree on', () => {
		const result = mergeRecords(mine, v, {
			description: 'mine',
			condition: 'server',
			threats: 'server',
			photos: 'mine'
		});
		expect(result.ok).toBe(true);
		if (!result.ok) return;
		expect(result.record.description).toBe('本机的简介');
		expect(result.record.condition).toBe('差');
		expect(result.record.threats).toEqual(['农耕', '水土流失']);
		expect(result.record.photos).toEqual(base.photos);
		expect(result.record.location).toEqual(base.location);
		expect(result.record.name).toBe(base.name);
		expect(result.record.baseRevision).toBe(3);
		expect(result.record).not.toHaveProperty('status');
		expect(result.record).not.toHaveProperty('revision');
		// still a valid record, and exactly the choices: nothing else differs from either side
		expect(SurveyRecordSchema.safeParse(result.record).success).toBe(true);
		expect(conflictFields(result.record, v).map((f) => f.field)).toEqual(['description', 'photos']);
		expect(conflictFields(result.record, { ...v, record: mine }).map((f) => f.field)).toEqual([
			'condition',
			'threats'
		]);
	});

	it('takes arrays and objects from the server as copies, not shared references', () => {
		const result = mergeRecords(mine, v, {
			description: 'server',
			condition: 'server',
			threats: 'server',
			photos: 'server'
		});
		if (!result.ok) throw new Error('not merged');
		expect(result.record.photos).toEqual(v.record.photos);
		expect(result.record.photos).not.toBe(v.record.photos);
		(result.record.threats as string[]).push('采矿');
		expect(v.record.threats).toEqual(['农耕', '水土流失']);
	});

	it('leaves out a field the chosen server version does not fill in', () => {
		const own = { ...base, village: '旧村' };
		const sv = server({});
		delete sv.record.village;
		const result = mergeRecords(own, sv, { village: 'server' });
		if (!result.ok) throw new Error('not merged');
		expect(result.record).not.toHaveProperty('village');
		expect(mergeRecords(own, sv, { village: 'mine' })).toMatchObject({
			ok: true,
			record: { village: '旧村', baseRevision: 3 }
		});
	});

	it('with no differing field merges to the device record at the server’s revision', () => {
		const result = mergeRecords(base, server({}), {});
		expect(result).toEqual({ ok: true, record: { ...base, baseRevision: 3 } });
	});

	it('does not change its inputs', () => {
		const before = structuredClone(mine);
		mergeRecords(mine, v, {
			description: 'mine',
			condition: 'server',
			threats: 'server',
			photos: 'server'
		});
		expect(mine).toEqual(before);
	});
});
