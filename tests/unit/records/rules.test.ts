import { describe, expect, it } from 'vitest';
import { mayDelete, planRecheck, type DeleteRow, type RecheckRow } from '$lib/records/rules.js';
import { uuid } from '../../fixtures/builders.js';

type Row = RecheckRow & DeleteRow;

/** A row in one of the device's states, as the form, the outbox and the sync leave it. */
function row(
	state: '草稿' | '待上传' | '冲突' | '已送达' | '已退回' | '审核中' | '已通过' | '已公布',
	n: number,
	updatedAt = `2025-06-02T10:${String(n).padStart(2, '0')}:00+08:00`
): Row {
	const base = { id: uuid(n), updatedAt, record: { baseRevision: 0 } };
	switch (state) {
		case '草稿':
			return { ...base, localState: 'draft' };
		case '待上传':
			return { ...base, localState: 'finalized', outbox: 'queued' };
		case '冲突':
			return {
				...base,
				localState: 'finalized',
				outbox: 'conflict',
				serverStatus: 'submitted',
				serverRevision: 1,
				conflict: { current: { revision: 2 }, at: updatedAt }
			};
		case '已退回':
			return { ...base, localState: 'draft', serverStatus: 'returned', serverRevision: 2 };
		default: {
			const serverStatus = (
				{
					已送达: 'submitted',
					审核中: 'county_approved',
					已通过: 'accepted',
					已公布: 'published'
				} as const
			)[state];
			return { ...base, localState: 'finalized', serverStatus, serverRevision: 1 };
		}
	}
}

describe('planRecheck: a site has at most one open re-check', () => {
	it('starts one when the device holds none', () => {
		expect(planRecheck([])).toEqual({ action: 'start' });
	});

	it.each(['草稿', '待上传', '冲突', '已送达', '已退回', '审核中'] as const)(
		'opens the %s record and offers no second one',
		(state) => {
			const r = row(state, 1);
			expect(planRecheck([r])).toEqual({
				action: 'open',
				current: r,
				status: state,
				another: false
			});
		}
	);

	it.each(['已通过', '已公布'] as const)(
		'opens the %s record; a second one may be made (after a confirmation)',
		(state) => {
			const r = row(state, 1);
			expect(planRecheck([r])).toMatchObject({ action: 'open', current: r, another: true });
		}
	);

	it('opens the returned record, not a newer empty duplicate draft', () => {
		const returned = row('已退回', 1);
		const duplicate = row('草稿', 2);
		expect(planRecheck([duplicate, returned])).toMatchObject({
			current: returned,
			status: '已退回'
		});
	});

	it('opens the conflict before a draft, and a draft before a delivered one', () => {
		const conflict = row('冲突', 1);
		const draft = row('草稿', 2);
		const delivered = row('已送达', 3);
		expect(planRecheck([delivered, draft, conflict])).toMatchObject({ current: conflict });
		expect(planRecheck([delivered, draft])).toMatchObject({ current: draft });
	});

	it('opens the newer of two records in the same state', () => {
		const older = row('草稿', 1);
		const newer = row('草稿', 2);
		expect(planRecheck([newer, older])).toMatchObject({ current: newer });
		expect(planRecheck([older, newer])).toMatchObject({ current: newer });
	});

	it('after a second re-check of an accepted site, that one is open and no third is offered', () => {
		const accepted = row('已通过', 1);
		const second = row('草稿', 2, '2025-05-01T10:00:00+08:00');
		expect(planRecheck([accepted, second])).toMatchObject({
			current: second,
			status: '草稿',
			another: false
		});
	});
});

describe('mayDelete: only a draft that never left the device', () => {
	it('allows a draft never sent', () => {
		expect(mayDelete(row('草稿', 1))).toEqual({ ok: true });
	});

	it.each(['待上传', '冲突', '已送达', '审核中', '已通过', '已公布'] as const)(
		'refuses a %s record: it is not a draft',
		(state) => {
			expect(mayDelete(row(state, 1))).toEqual({ ok: false, reason: 'not-draft' });
		}
	);

	it('refuses a returned record: the server holds it', () => {
		expect(mayDelete(row('已退回', 1))).toEqual({ ok: false, reason: 'not-draft' });
	});

	it.each([
		['a server status', { serverStatus: 'submitted' as const }],
		['a server revision', { serverRevision: 1 }],
		['a resolved conflict', { resolvedConflicts: [{} as never] }],
		['a record based on a server revision', { record: { baseRevision: 2 } }]
	])('refuses a draft with %s: it was sent', (_what, extra) => {
		expect(mayDelete({ ...row('草稿', 1), ...extra })).toEqual({ ok: false, reason: 'sent' });
	});
});
