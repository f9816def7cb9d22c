/**
 * The statistics' data layer (issue 14 point 2): migration 0015 fills a stored record's
 * statistics columns from its content, as a push fills them (statColumns); and the China
 * Standard Time week of the weekly figures.
 */
import { describe, expect, it } from 'vitest';
import { DataStore } from '$lib/server/db/store.js';
import { statColumns } from '$lib/server/db/stat-columns.js';
import { chinaWeeks } from '$lib/server/stats/index.js';
import type { SurveyRecord } from '$lib/domain/schemas/index.js';
import { BACKENDS, freshWhere, insertSurveyor, migratedUpTo } from './databases.js';

const CONTENTS: Record<string, Partial<SurveyRecord>> = {
	full: {
		changeType: '消失',
		eraGroup: '明代',
		protectionLevel: '县级文物保护单位',
		condition: '差',
		threats: ['盗掘盗窃', '沙漠化（风沙侵蚀）']
	},
	empty: { changeType: '', eraGroup: null, condition: '', threats: [] },
	absent: {},
	oneThreat: { threats: ['地震'], eraGroup: '清代' }
};

describe('migration 0015 fills the statistics columns of the records already stored', () => {
	for (const backend of BACKENDS) {
		it(backend.name, async () => {
			const at = await freshWhere(backend.postgres, 'survey-stats-unit-');
			const old = await migratedUpTo(at, '0014_team_sites');
			const now = '2026-05-01T08:00:00.000Z';
			const user = await insertSurveyor(old, now);
			for (const [id, content] of Object.entries(CONTENTS))
				await old
					.insertInto('records')
					.values({
						id,
						county_code: '150602',
						kind: '复查',
						site_code: null,
						name: id,
						category: null,
						lat: 39.8,
						lon: 109.9,
						status: 'submitted',
						revision: 1,
						owner_id: user.id,
						content: JSON.stringify({ id, ...content }),
						content_key: id,
						created_at: now,
						updated_at: now
					})
					.execute();
			await old.destroy();
			const store = await DataStore.open({ dataDir: at.dataDir, url: at.url });
			try {
				const rows = await store.db
					.selectFrom('records')
					.select(['id', 'stat_change', 'stat_era', 'stat_level', 'stat_condition', 'stat_threats'])
					.orderBy('id')
					.execute();
				expect(Object.fromEntries(rows.map(({ id, ...columns }) => [id, columns]))).toEqual(
					Object.fromEntries(
						Object.entries(CONTENTS)
							.sort(([a], [b]) => (a < b ? -1 : 1))
							.map(([id, content]) => [id, statColumns(content)])
					)
				);
				expect(rows.find((r) => r.id === 'full')!.stat_threats).toBe(
					'|盗掘盗窃|沙漠化（风沙侵蚀）|'
				);
			} finally {
				await store.close();
			}
		});
	}
});

describe('chinaWeeks', () => {
	const mondays = (first: string, last: string) => chinaWeeks(first, last).map((w) => w.week);
	it('starts at the Monday of the China Standard Time week', () => {
		// Sunday 6 December 2026 (UTC): before 16:00 it is Sunday in China, from it Monday
		expect(mondays('2026-12-06T15:59:59.999Z', '2026-12-06T15:59:59.999Z')).toEqual(['2026-11-30']);
		expect(mondays('2026-12-06T16:00:00.000Z', '2026-12-06T16:00:00.000Z')).toEqual(['2026-12-07']);
		expect(mondays('2026-12-12T23:00:00.000Z', '2026-12-31T20:00:00.000Z')).toEqual([
			'2026-12-07',
			'2026-12-14',
			'2026-12-21',
			'2026-12-28'
		]);
		expect(chinaWeeks('2026-12-07T00:00:00.000Z', '2026-12-06T00:00:00.000Z')).toEqual([]);
	});
	it('bounds each week by its Monday 00:00 in China, as UTC text that compares as time', () => {
		const [week] = chinaWeeks('2026-12-09T03:00:00.000Z', '2026-12-09T03:00:00.000Z');
		expect(week).toEqual({
			week: '2026-12-07',
			start: '2026-12-06T16:00:00.000Z',
			stop: '2026-12-13T16:00:00.000Z'
		});
	});
});
