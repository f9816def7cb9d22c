import { describe, expect, it } from 'vitest';
import { runQc } from '$lib/domain/qc/index.js';
import type { SurveyRecord } from '$lib/domain/schemas/index.js';
import {
	destination,
	distanceToRingM,
	findingsOf,
	type MultiPolygonBoundary,
	type PolygonBoundary,
	makeContext,
	perfectRecheck,
	SITE_POINT,
	squareAround,
	type Point
} from '../../../fixtures/builders.js';

const box = squareAround(SITE_POINT, 100);
const ring = box.coordinates[0] as PolygonBoundary['coordinates'][number];

function recheck(overrides: Partial<SurveyRecord>, at: Point = SITE_POINT): SurveyRecord {
	const record = perfectRecheck(undefined, overrides);
	return { ...record, location: { ...record.location, lat: at.lat, lon: at.lon } };
}

function bowTie(center: Point): PolygonBoundary {
	const [w, s] = [center.lon - 0.0005, center.lat - 0.0005];
	const [e, n] = [center.lon + 0.0005, center.lat + 0.0005];
	return {
		type: 'Polygon',
		coordinates: [
			[
				[w, s],
				[e, n],
				[e, s],
				[w, n],
				[w, s]
			]
		]
	};
}

describe('GEO-001 boundary is a valid polygon', () => {
	it('fires on a crossing boundary, at path boundary', () => {
		const found = findingsOf(
			runQc(recheck({ boundary: bowTie(SITE_POINT) }), makeContext()),
			'GEO-001'
		);
		expect(found).toEqual([expect.objectContaining({ severity: 'error', path: 'boundary' })]);
	});

	it('fires on a boundary touching itself at one vertex', () => {
		const [x, y] = [SITE_POINT.lon, SITE_POINT.lat];
		const d = 0.0005;
		const eight: PolygonBoundary = {
			type: 'Polygon',
			coordinates: [
				[
					[x - d, y - d],
					[x, y - d],
					[x, y],
					[x + d, y],
					[x + d, y + d],
					[x, y + d],
					[x, y],
					[x - d, y],
					[x - d, y - d]
				]
			]
		};
		expect(findingsOf(runQc(recheck({ boundary: eight }), makeContext()), 'GEO-001')).toHaveLength(
			1
		);
	});

	it('fires on a ring of 3 positions and on an open ring', () => {
		const short: PolygonBoundary = {
			type: 'Polygon',
			coordinates: [[...ring.slice(0, 2), ...ring.slice(0, 1)]]
		};
		expect(findingsOf(runQc(recheck({ boundary: short }), makeContext()), 'GEO-001')).toHaveLength(
			1
		);
		const open: PolygonBoundary = { type: 'Polygon', coordinates: [ring.slice(0, 4)] };
		expect(findingsOf(runQc(recheck({ boundary: open }), makeContext()), 'GEO-001')).toHaveLength(
			1
		);
	});

	it('checks every part of a MultiPolygon', () => {
		const multi: MultiPolygonBoundary = {
			type: 'MultiPolygon',
			coordinates: [box.coordinates, bowTie(destination(SITE_POINT, 500, 90)).coordinates]
		};
		const found = findingsOf(
			runQc(recheck({ boundary: multi, areaM2: null }), makeContext()),
			'GEO-001'
		);
		expect(found).toHaveLength(1);
		expect(found[0]?.message).toContain('第 2 部分');
	});

	it('does not fire on a valid boundary or on none', () => {
		expect(findingsOf(runQc(recheck({}), makeContext()), 'GEO-001')).toEqual([]);
		expect(findingsOf(runQc(recheck({ boundary: null }), makeContext()), 'GEO-001')).toEqual([]);
	});
});

describe('GEO-002 location outside the boundary', () => {
	/** A point `metres` east of the square's east edge, checked with an independent measure. */
	const east = (metres: number) => {
		const point = destination(SITE_POINT, 50 + metres, 90);
		expect(distanceToRingM(point, ring)).toBeCloseTo(metres, 1);
		return point;
	};

	it('accepts 49 m outside and fires 51 m outside', () => {
		expect(findingsOf(runQc(recheck({}, east(49)), makeContext()), 'GEO-002')).toEqual([]);
		expect(findingsOf(runQc(recheck({}, east(51)), makeContext()), 'GEO-002')).toEqual([
			expect.objectContaining({ severity: 'error', path: 'location' })
		]);
	});

	it('measures to the nearest part of a MultiPolygon', () => {
		const part = squareAround(destination(SITE_POINT, 300, 90), 100);
		const multi: MultiPolygonBoundary = {
			type: 'MultiPolygon',
			coordinates: [box.coordinates, part.coordinates]
		};
		// 150 m east of the centre: 100 m from either part; 210 m east: 40 m from the second
		const between = destination(SITE_POINT, 150, 90);
		expect(
			findingsOf(
				runQc(recheck({ boundary: multi, areaM2: 20_000 }, between), makeContext()),
				'GEO-002'
			)
		).toHaveLength(1);
		const nearSecond = destination(SITE_POINT, 210, 90);
		expect(
			findingsOf(
				runQc(recheck({ boundary: multi, areaM2: 20_000 }, nearSecond), makeContext()),
				'GEO-002'
			)
		).toEqual([]);
	});

	it('does not fire without a boundary', () => {
		expect(
			findingsOf(runQc(recheck({ boundary: null }, east(500)), makeContext()), 'GEO-002')
		).toEqual([]);
	});
});

describe('GEO-003 areaM2 against the boundary', () => {
	// the independent area of the 100 m square, planar at this scale
	const area = 100 * 100;

	it('accepts 19 % off and warns 21 % off, either way', () => {
		for (const factor of [0.81, 1.19]) {
			const found = runQc(recheck({ areaM2: area * factor }), makeContext());
			expect(findingsOf(found, 'GEO-003')).toEqual([]);
		}
		for (const factor of [0.79, 1.21]) {
			const found = findingsOf(runQc(recheck({ areaM2: area * factor }), makeContext()), 'GEO-003');
			expect(found).toEqual([expect.objectContaining({ severity: 'warning', path: 'areaM2' })]);
		}
	});

	it('does not fire without areaM2, without a boundary, or with an invalid boundary', () => {
		expect(findingsOf(runQc(recheck({ areaM2: null }), makeContext()), 'GEO-003')).toEqual([]);
		expect(
			findingsOf(runQc(recheck({ boundary: null, areaM2: 5 }), makeContext()), 'GEO-003')
		).toEqual([]);
		const crossing = recheck({ boundary: bowTie(SITE_POINT), areaM2: 5 });
		expect(findingsOf(runQc(crossing, makeContext()), 'GEO-003')).toEqual([]);
	});

	it('sums the parts of a MultiPolygon', () => {
		const part = squareAround(destination(SITE_POINT, 300, 90), 100);
		const multi: MultiPolygonBoundary = {
			type: 'MultiPolygon',
			coordinates: [box.coordinates, part.coordinates]
		};
		expect(
			findingsOf(runQc(recheck({ boundary: multi, areaM2: 20_000 }), makeContext()), 'GEO-003')
		).toEqual([]);
		expect(
			findingsOf(runQc(recheck({ boundary: multi, areaM2: 10_000 }), makeContext()), 'GEO-003')
		).toHaveLength(1);
	});
});
