import { describe, expect, it } from 'vitest';
import { runQc } from '$lib/domain/qc/index.js';
import type { SurveyRecord } from '$lib/domain/schemas/index.js';
import {
	codesOf,
	counties,
	countyRing,
	distanceToRingM,
	findingsOf,
	insideRing,
	makeContext,
	perfectNewFind,
	pointOutsideCounty,
	SITE_POINT,
	type Point
} from '../../../fixtures/builders.js';

/** A perfect 新发现 moved to `at`, with no boundary or photos that would drag other rules in. */
function findAt(at: Point, location: Partial<SurveyRecord['location']> = {}): SurveyRecord {
	const record = perfectNewFind({ boundary: null });
	return {
		...record,
		location: { ...record.location, lat: at.lat, lon: at.lon, ...location },
		photos: record.photos.map((p) => ({ ...p, lat: at.lat, lon: at.lon }))
	};
}

describe('LOC-001 / LOC-002 location outside its county', () => {
	it('the fixture site lies well inside 伊金霍洛旗', () => {
		const ring = countyRing('150627');
		expect(insideRing(SITE_POINT, ring)).toBe(true);
		expect(distanceToRingM(SITE_POINT, ring)).toBeGreaterThan(5000);
	});

	it('raises LOC-002 (warning) 499 m outside and LOC-001 (error) 501 m outside', () => {
		const near = runQc(findAt(pointOutsideCounty('150627', 499)), makeContext());
		expect(findingsOf(near, 'LOC-001')).toEqual([]);
		expect(findingsOf(near, 'LOC-002')).toEqual([
			expect.objectContaining({ severity: 'warning', path: 'location' })
		]);
		expect(findingsOf(near, 'LOC-002')[0]?.message).toContain('伊金霍洛旗');

		const far = runQc(findAt(pointOutsideCounty('150627', 501)), makeContext());
		expect(findingsOf(far, 'LOC-002')).toEqual([]);
		expect(findingsOf(far, 'LOC-001')).toEqual([
			expect.objectContaining({ severity: 'error', path: 'location' })
		]);
	});

	it('raises neither just inside the county', () => {
		const found = runQc(findAt(SITE_POINT), makeContext());
		expect(codesOf(found).filter((c) => c.startsWith('LOC-00') && c !== 'LOC-003')).toEqual([]);
	});

	it('names the county the point actually lies in', () => {
		const dongsheng = counties.features.find((f) => f.properties.code === '150602');
		const ring = dongsheng?.geometry.coordinates[0] as number[][];
		// the centroid of 东胜区's vertices lies inside it (checked), far outside 伊金霍洛旗
		const centre = {
			lon: ring.reduce((s, p) => s + (p[0] ?? 0), 0) / ring.length,
			lat: ring.reduce((s, p) => s + (p[1] ?? 0), 0) / ring.length
		};
		expect(insideRing(centre, ring)).toBe(true);
		const found = findingsOf(runQc(findAt(centre), makeContext()), 'LOC-001');
		expect(found).toHaveLength(1);
		expect(found[0]?.message).toContain('东胜区');
	});

	it('raises nothing when the county boundary is unknown', () => {
		const found = runQc(findAt(pointOutsideCounty('150627', 2000)), {
			...makeContext(),
			counties: { type: 'FeatureCollection', features: [] }
		});
		expect(codesOf(found)).not.toContain('LOC-001');
	});
});

describe('LOC-003 location not measured on site', () => {
	const loc003 = (location: Partial<SurveyRecord['location']>, threshold?: number) =>
		findingsOf(
			runQc(
				findAt(SITE_POINT, location),
				makeContext(threshold === undefined ? {} : { accuracyThresholdM: threshold })
			),
			'LOC-003'
		);

	it('accepts 10 m accuracy exactly and warns at 10.1 m', () => {
		expect(loc003({ source: 'gnss', accuracyM: 10 })).toEqual([]);
		expect(loc003({ source: 'gnss', accuracyM: 10.1 })).toEqual([
			expect.objectContaining({ severity: 'warning', path: 'location' })
		]);
		expect(loc003({ source: 'rtk', accuracyM: 10.1 })).toHaveLength(1);
	});

	it('warns for a map or manual location, whatever its accuracy', () => {
		expect(loc003({ source: 'map', accuracyM: null })).toHaveLength(1);
		expect(loc003({ source: 'manual', accuracyM: 1 })).toHaveLength(1);
	});

	it('warns for gnss or rtk without accuracy', () => {
		expect(loc003({ source: 'gnss', accuracyM: null })).toHaveLength(1);
		expect(loc003({ source: 'rtk', accuracyM: undefined })).toHaveLength(1);
		expect(loc003({ source: 'rtk', accuracyM: '' })).toHaveLength(1);
	});

	it('uses the threshold of the context', () => {
		expect(loc003({ source: 'gnss', accuracyM: 12 }, 15)).toEqual([]);
		expect(loc003({ source: 'gnss', accuracyM: 5 }, 3)).toHaveLength(1);
	});
});
