import { describe, expect, it } from 'vitest';
import { countRecords, statusBySite, type RecordSummary } from '$lib/records/status.js';
import { uuid } from '../../fixtures/builders.js';

function summary(
	n: number,
	siteCode: string,
	status: RecordSummary['status'],
	kind: RecordSummary['kind'] = '复查'
): RecordSummary {
	return {
		id: uuid(n),
		kind,
		siteCode,
		name: '',
		status,
		updatedAt: `2025-06-02T10:${String(n).padStart(2, '0')}:00+08:00`
	};
}

describe('statusBySite', () => {
	it('shows the record the site page opens, not the newest', () => {
		const records = [summary(2, 'A', '草稿'), summary(1, 'A', '已退回'), summary(3, 'B', '已送达')];
		expect(statusBySite(records)).toEqual({ A: '已退回', B: '已送达' });
	});

	it('shows 上传中 for the record being uploaded', () => {
		expect(statusBySite([summary(1, 'A', '待上传')], uuid(1))).toEqual({ A: '上传中' });
	});
});

describe('countRecords', () => {
	it('counts from the states: a delivered re-check is re-checked, whatever else the site has', () => {
		const counts = countRecords([
			summary(1, 'A', '已送达'),
			summary(2, 'A', '草稿'),
			summary(3, 'B', '草稿'),
			summary(4, 'C', '待上传'),
			summary(5, 'D', '上传中'),
			summary(6, 'E', '已退回'),
			summary(7, 'F', '冲突'),
			summary(8, '', '待上传', '新发现'),
			summary(9, '', '草稿', '新发现')
		]);
		expect(counts).toMatchObject({
			rechecked: 5,
			newFinds: 2,
			pending: 3,
			returned: 1,
			conflicts: 1
		});
		expect(counts.byStatus['草稿']).toBe(3);
		expect(counts.byStatus['已送达']).toBe(1);
		expect(counts.byStatus['未复查']).toBe(0);
	});
});

describe('countRecords with teammates’ records (issue 13)', () => {
	it('a teammate’s re-check is the team’s site done; its new finds and returns are not mine', () => {
		const mate = (r: RecordSummary): RecordSummary => ({ ...r, teammate: '张三' });
		const counts = countRecords([
			summary(1, 'A', '已送达'),
			mate(summary(2, 'B', '已送达')),
			mate(summary(3, 'C', '已退回')),
			mate(summary(4, '', '已送达', '新发现')),
			// a teammate's record this surveyor revised: this device sends it
			mate(summary(5, '', '待上传', '新发现')),
			summary(6, '', '待上传', '新发现')
		]);
		expect(counts).toMatchObject({
			rechecked: 3,
			newFinds: 1,
			pending: 2,
			returned: 0,
			teammates: 4
		});
	});
});

describe('statusText', () => {
	// loading the message catalogue takes seconds on a busy 2-core machine
	it(
		'words every status in Chinese as the contract names it, with the upload progress',
		{
			timeout: 30_000
		},
		async () => {
			const { DEVICE_STATUSES } = await import('$lib/domain/codelists/index.js');
			const { statusText } = await import('$lib/records/status-text.js');
			for (const status of DEVICE_STATUSES) {
				expect(statusText(status)).toBe(status === '冲突' ? '冲突 待处理' : status);
			}
			expect(statusText('上传中', { done: 2, total: 5 })).toBe('上传中 2/5');
		}
	);
});
