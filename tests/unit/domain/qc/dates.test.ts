import { describe, expect, it } from 'vitest';
import { runQc } from '$lib/domain/qc/index.js';
import { findingsOf, makeContext, perfectRecheck } from '../../../fixtures/builders.js';

const date001 = (surveyedOn: string, now: string) =>
	findingsOf(
		runQc(perfectRecheck(undefined, { surveyedOn }), makeContext({ now: new Date(now) })),
		'DATE-001'
	);

describe('DATE-001 survey date', () => {
	it('refuses a date before 2023-11-01 and accepts 2023-11-01', () => {
		expect(date001('2023-10-31', '2025-06-02T12:00:00+08:00')).toEqual([
			expect.objectContaining({ severity: 'error', path: 'surveyedOn' })
		]);
		expect(date001('2023-11-01', '2025-06-02T12:00:00+08:00')).toEqual([]);
	});

	it('refuses a future date, comparing China dates', () => {
		// 2025-06-02 15:59:59 UTC is 23:59:59 in Beijing: 06-03 is still tomorrow
		expect(date001('2025-06-03', '2025-06-02T15:59:59Z')).toHaveLength(1);
		// 2025-06-02 16:30 UTC is already 06-03 in Beijing
		expect(date001('2025-06-03', '2025-06-02T16:30:00Z')).toEqual([]);
		expect(date001('2025-06-02', '2025-06-02T00:00:00+08:00')).toEqual([]);
		expect(date001('2026-01-01', '2025-06-02T12:00:00+08:00')).toHaveLength(1);
	});

	it('leaves an empty date to REQ-001', () => {
		const found = runQc(perfectRecheck(undefined, { surveyedOn: null }), makeContext());
		expect(findingsOf(found, 'DATE-001')).toEqual([]);
		expect(findingsOf(found, 'REQ-001').map((f) => f.path)).toEqual(['surveyedOn']);
	});
});
