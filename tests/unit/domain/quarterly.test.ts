import { describe, expect, it } from 'vitest';
import {
	checkQuarter,
	FIRST_QUARTER,
	parseQuarter,
	percentText,
	quarterBounds,
	quarterKey,
	quarterOf,
	QUARTERLY_COLUMNS,
	QUARTERLY_FIGURES,
	reportQuarters,
	sumRows,
	emptyRow
} from '$lib/domain/quarterly.js';

describe('quarters in China Standard Time', () => {
	it('parses YYYYQn and nothing else', () => {
		expect(parseQuarter('2026Q4')).toEqual({ year: 2026, q: 4 });
		for (const bad of ['2026Q5', '2026Q0', '2026q4', '2026-Q4', ' 2026Q4', '26Q4', '2026Q4 '])
			expect(parseQuarter(bad), bad).toBeUndefined();
	});

	it('bounds a quarter at midnight in Beijing, as UTC text', () => {
		expect(quarterBounds({ year: 2026, q: 4 })).toEqual({
			start: '2026-09-30T16:00:00.000Z',
			end: '2026-12-31T16:00:00.000Z'
		});
		expect(quarterBounds({ year: 2027, q: 1 }).start).toBe('2026-12-31T16:00:00.000Z');
	});

	it('puts an instant in the quarter of its Beijing date', () => {
		expect(quarterKey(quarterOf('2026-09-30T15:59:59.999Z'))).toBe('2026Q3');
		expect(quarterKey(quarterOf('2026-09-30T16:00:00.000Z'))).toBe('2026Q4');
		expect(quarterKey(quarterOf('2026-12-31T16:00:00.000Z'))).toBe('2027Q1');
		expect(quarterKey(FIRST_QUARTER)).toBe('2023Q4');
	});

	it('offers the quarters from the census start to now, newest first', () => {
		const list = reportQuarters(new Date('2024-04-02T00:00:00+08:00')).map(quarterKey);
		expect(list).toEqual(['2024Q2', '2024Q1', '2023Q4']);
	});

	it('refuses a malformed quarter, one before the census and one not yet begun', () => {
		const now = new Date('2026-12-08T08:00:00+08:00');
		expect(checkQuarter('2026Q4', now)).toEqual({ ok: true, quarter: { year: 2026, q: 4 } });
		expect(checkQuarter('2023Q4', now).ok).toBe(true);
		expect(checkQuarter('2027Q1', now)).toEqual({ ok: false, reason: 'future' });
		expect(checkQuarter('2023Q3', now)).toEqual({ ok: false, reason: 'before_census' });
		expect(checkQuarter('Q4', now)).toEqual({ ok: false, reason: 'malformed' });
	});
});

describe('rows', () => {
	it('sums every figure and places the rate after the cumulative re-checks', () => {
		const a = { ...emptyRow('150602'), sites: 10, recheckedToDate: 3, received: 2 };
		const b = { ...emptyRow('150603'), sites: 5, recheckedToDate: 1, received: 1 };
		expect(sumRows([a, b])).toMatchObject({
			county: '',
			sites: 15,
			recheckedToDate: 4,
			received: 3
		});
		expect(QUARTERLY_COLUMNS.length).toBe(QUARTERLY_FIGURES.length + 1);
		expect(QUARTERLY_COLUMNS[QUARTERLY_COLUMNS.indexOf('recheckedToDate') + 1]).toBe('recheckRate');
		expect(percentText(4 / 15)).toBe('26.7%');
		expect(percentText(0)).toBe('0.0%');
		expect(percentText(null)).toBe('—');
	});
});
