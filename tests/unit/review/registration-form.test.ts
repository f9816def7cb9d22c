import { describe, expect, it } from 'vitest';
import { approver, photoNumber, reviewSteps, surveyPoints } from '$lib/review/registration-form.js';
import type { HistoryEntry } from '$lib/domain/sync/wire.js';

const ring = (n: number): [number, number][] => {
	const out: [number, number][] = [];
	for (let i = 0; i < n; i++) {
		const a = (2 * Math.PI * i) / n;
		out.push([109.745 + 0.001 * Math.cos(a), 39.3 + 0.001 * Math.sin(a)]);
	}
	return [...out, out[0]!];
};

describe('the registration form’s lists', () => {
	it('numbers photos Z001… as the census form does', () => {
		expect([0, 1, 11, 99, 999].map(photoNumber)).toEqual(['Z001', 'Z002', 'Z012', 'Z100', 'Z1000']);
	});

	it('lists the centre, then each boundary vertex once, in 度分秒', () => {
		const points = surveyPoints(
			{ lat: 39.300242, lon: 109.74505, altitude: 1320.44 },
			{ type: 'Polygon', coordinates: [ring(40)] }
		);
		expect(points).toHaveLength(41);
		expect(points[0]).toEqual({
			n: 1,
			group: '',
			kind: '中心点',
			lat: '北纬39°18′00.8712″',
			lon: '东经109°44′42.1800″',
			altitude: '1320.4'
		});
		expect(points.slice(1).every((p) => p.kind === '边界点' && p.group === '')).toBe(true);
		expect(points.at(-1)!.n).toBe(41);
		// the first vertex (109.746, 39.3)
		expect(points[1]).toMatchObject({ lat: '北纬39°18′00.0000″', lon: '东经109°44′45.6000″' });
	});

	it('groups the rings of a polygon with a hole and of a multipolygon', () => {
		const points = surveyPoints(undefined, {
			type: 'MultiPolygon',
			coordinates: [[ring(4), ring(3)], [ring(5)]]
		});
		expect(points.map((p) => p.group)).toEqual([
			...Array(4).fill('1外'),
			...Array(3).fill('1内1'),
			...Array(5).fill('2')
		]);
	});

	it('signs with the city’s acceptance, else the county’s approval, and lists every step in order', () => {
		const h = (revision: number, action: string, by: string, status?: string): HistoryEntry =>
			({ revision, action, by, at: `2025-06-0${revision}T02:00:00Z`, status }) as HistoryEntry;
		const county = [
			h(1, 'push', 'surveyor-150627', 'submitted'),
			h(2, 'approve', 'reviewer-150627', 'county_approved')
		];
		expect(approver(county)).toEqual({ by: 'reviewer-150627', at: '2025-06-02T02:00:00Z' });
		const city = [h(3, 'approve', 'city', 'accepted'), ...county];
		expect(approver(city)).toEqual({ by: 'city', at: '2025-06-03T02:00:00Z' });
		expect(approver([county[0]!])).toBeNull();
		expect(reviewSteps(city).map((s) => [s.revision, s.action])).toEqual([
			[1, 'push'],
			[2, 'approve'],
			[3, 'approve']
		]);
	});
});
