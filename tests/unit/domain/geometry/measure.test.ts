import { describe, expect, it } from 'vitest';
import type { MultiPolygon, Polygon } from 'geojson';
import {
	checkPolygonalStructure,
	containsPoint,
	distanceM,
	distanceOutsideM,
	geodesicAreaM2,
	validatePolygonal
} from '$lib/domain/geometry/measure.js';
import {
	counties,
	countyRing,
	destination,
	distanceToRingM,
	haversineM,
	pointOutsideCounty,
	SITE_POINT,
	squareAround
} from '../../../fixtures/builders.js';

const poly = (...rings: number[][][]): Polygon => ({ type: 'Polygon', coordinates: rings });

const square: number[][] = [
	[0, 0],
	[1, 0],
	[1, 1],
	[0, 1],
	[0, 0]
];

describe('validatePolygonal', () => {
	it('accepts a square, a square with a hole and a MultiPolygon of two squares', () => {
		const hole = [
			[0.25, 0.25],
			[0.25, 0.75],
			[0.75, 0.75],
			[0.75, 0.25],
			[0.25, 0.25]
		];
		expect(validatePolygonal(poly(square)).ok).toBe(true);
		expect(validatePolygonal(poly(square, hole)).ok).toBe(true);
		const multi: MultiPolygon = {
			type: 'MultiPolygon',
			coordinates: [[square], [square.map(([x = 0, y = 0]) => [x + 2, y])]]
		};
		expect(validatePolygonal(multi).ok).toBe(true);
	});

	it('tolerates a vertex repeated consecutively', () => {
		const repeated = [
			[0, 0],
			[1, 0],
			[1, 0],
			[1, 1],
			[0, 1],
			[0, 0]
		];
		expect(validatePolygonal(poly(repeated)).ok).toBe(true);
	});

	it('refuses a ring of fewer than 4 positions', () => {
		const result = validatePolygonal(
			poly([
				[0, 0],
				[1, 0],
				[0, 0]
			])
		);
		expect(result).toMatchObject({ ok: false, issues: [{ kind: 'too-few-positions' }] });
	});

	it('refuses a ring that is not closed', () => {
		const result = validatePolygonal(
			poly([
				[0, 0],
				[1, 0],
				[1, 1],
				[0, 1]
			])
		);
		expect(result).toMatchObject({ ok: false, issues: [{ kind: 'not-closed' }] });
	});

	it('refuses a bow-tie (crossing edges)', () => {
		const result = validatePolygonal(
			poly([
				[0, 0],
				[1, 1],
				[1, 0],
				[0, 1],
				[0, 0]
			])
		);
		expect(result).toMatchObject({ ok: false, issues: [{ kind: 'self-intersection' }] });
		if (!result.ok) expect(result.issues[0]?.message).toContain('交叉');
	});

	it('refuses a ring touching itself at one vertex (a figure eight)', () => {
		const eight = [
			[0, 0],
			[1, 0],
			[1, 1],
			[2, 1],
			[2, 2],
			[1, 2],
			[1, 1],
			[0, 1],
			[0, 0]
		];
		const result = validatePolygonal(poly(eight));
		expect(result).toMatchObject({ ok: false, issues: [{ kind: 'self-intersection' }] });
		if (!result.ok) expect(result.issues[0]?.message).toMatch(/第 3 点与第 7 点/);
	});

	it('refuses a vertex lying on another edge', () => {
		const touching = [
			[0, 0],
			[2, 0],
			[2, 2],
			[1, 0],
			[0, 2],
			[0, 0]
		];
		const result = validatePolygonal(poly(touching));
		expect(result).toMatchObject({ ok: false, issues: [{ kind: 'self-intersection' }] });
	});

	it('refuses a spike that folds back over its own edge, and a collinear ring', () => {
		const spike = [
			[0, 0],
			[1, 0],
			[1, 1],
			[1, 2],
			[1, 1],
			[0, 1],
			[0, 0]
		];
		expect(validatePolygonal(poly(spike)).ok).toBe(false);
		expect(
			validatePolygonal(
				poly([
					[0, 0],
					[1, 0],
					[2, 0],
					[0, 0]
				])
			).ok
		).toBe(false);
	});

	it('refuses a ring of fewer than 3 distinct vertices', () => {
		const result = validatePolygonal(
			poly([
				[0, 0],
				[1, 1],
				[1, 1],
				[0, 0]
			])
		);
		expect(result).toMatchObject({ ok: false, issues: [{ kind: 'degenerate' }] });
	});

	it('checks every part of a MultiPolygon and points at the bad one', () => {
		const multi: MultiPolygon = {
			type: 'MultiPolygon',
			coordinates: [
				[square],
				[
					[
						[3, 0],
						[4, 1],
						[4, 0],
						[3, 1],
						[3, 0]
					]
				]
			]
		};
		const result = validatePolygonal(multi);
		expect(result).toMatchObject({ ok: false, issues: [{ path: 'coordinates.1.0' }] });
		if (!result.ok) expect(result.issues[0]?.message).toContain('第 2 部分');
	});

	it('is exact at the scale of real coordinates', () => {
		const c = SITE_POINT;
		const e = 1e-6;
		// a vertex exactly on the opposite edge, 10 cm wide shapes
		const t = [
			[c.lon, c.lat],
			[c.lon + 2 * e, c.lat],
			[c.lon + 2 * e, c.lat + 2 * e],
			[c.lon + e, c.lat],
			[c.lon, c.lat + 2 * e],
			[c.lon, c.lat]
		];
		expect(validatePolygonal(poly(t)).ok).toBe(false);
		const nearMiss = t.map(([x = 0, y = 0], i) => (i === 3 ? [x, y + 1e-7] : [x, y]));
		expect(validatePolygonal(poly(nearMiss)).ok).toBe(true);
	});

	it('finds the self-touching vertices the county file is known to have', () => {
		const bad = counties.features.filter((f) => !validatePolygonal(f.geometry).ok);
		expect(bad.length).toBeGreaterThan(0);
		expect(bad.length).toBeLessThan(counties.features.length);
	});

	it('never throws on garbage', () => {
		for (const garbage of [
			null,
			undefined,
			42,
			'polygon',
			{},
			{ type: 'Point', coordinates: [1, 2] },
			{ type: 'Polygon' },
			{ type: 'Polygon', coordinates: [] },
			{ type: 'Polygon', coordinates: [null] },
			{
				type: 'Polygon',
				coordinates: [
					[
						[0, 0],
						[Number.NaN, 1],
						[1, 1],
						[0, 0]
					]
				]
			},
			{ type: 'Polygon', coordinates: [[[0, 0], [1], [1, 1], [0, 0]]] },
			{
				type: 'Polygon',
				coordinates: [
					[
						[0, 0],
						[500, 1],
						[1, 1],
						[0, 0]
					]
				]
			},
			{ type: 'MultiPolygon', coordinates: [[]] }
		]) {
			expect(validatePolygonal(garbage).ok).toBe(false);
			expect(checkPolygonalStructure(garbage).ok).toBe(false);
			expect(geodesicAreaM2(garbage).ok).toBe(false);
			expect(distanceOutsideM(SITE_POINT, garbage).ok).toBe(false);
			expect(containsPoint(garbage, SITE_POINT)).toBe(false);
		}
	});
});

describe('geodesicAreaM2', () => {
	it('measures a 100 m square as about 10,000 m²', () => {
		const result = geodesicAreaM2(squareAround(SITE_POINT, 100));
		expect(result.ok).toBe(true);
		if (result.ok) expect(result.value).toBeCloseTo(10_000, -1);
	});

	it('subtracts holes and sums parts', () => {
		const outer = squareAround(SITE_POINT, 100).coordinates[0] as number[][];
		const inner = (squareAround(SITE_POINT, 50).coordinates[0] as number[][]).slice().reverse();
		const withHole = geodesicAreaM2(poly(outer, inner));
		if (withHole.ok) expect(withHole.value).toBeCloseTo(7_500, -1);
		const far = squareAround(destination(SITE_POINT, 1000, 90), 100);
		const multi: MultiPolygon = {
			type: 'MultiPolygon',
			coordinates: [[outer], far.coordinates]
		};
		const both = geodesicAreaM2(multi);
		if (both.ok) expect(both.value).toBeCloseTo(20_000, -1);
		expect(withHole.ok && both.ok).toBe(true);
	});
});

describe('distanceOutsideM', () => {
	const box = squareAround(SITE_POINT, 100);
	const ring = box.coordinates[0] as number[][];

	it('is 0 inside and on the edge', () => {
		expect(distanceOutsideM(SITE_POINT, box)).toEqual({ ok: true, value: 0 });
		expect(distanceOutsideM({ lon: ring[1]?.[0] ?? 0, lat: SITE_POINT.lat }, box)).toEqual({
			ok: true,
			value: 0
		});
	});

	it('agrees with an independent measure outside', () => {
		for (const [metres, bearing] of [
			[60, 90],
			[80, 0],
			[250, 200],
			[3000, 300]
		] as const) {
			const point = destination(SITE_POINT, metres, bearing);
			const result = distanceOutsideM(point, box);
			expect(result.ok).toBe(true);
			if (result.ok) expect(result.value).toBeCloseTo(distanceToRingM(point, ring), 0);
		}
	});

	it('measures to the nearest part of a MultiPolygon, and from inside a hole', () => {
		const far = squareAround(destination(SITE_POINT, 1000, 90), 100);
		const multi: MultiPolygon = {
			type: 'MultiPolygon',
			coordinates: [box.coordinates, far.coordinates]
		};
		const point = destination(SITE_POINT, 1000 - 50 - 20, 90);
		const result = distanceOutsideM(point, multi);
		if (result.ok) expect(result.value).toBeCloseTo(20, 0);
		const hole = (squareAround(SITE_POINT, 50).coordinates[0] as number[][]).slice().reverse();
		const inHole = distanceOutsideM(SITE_POINT, poly(ring, hole));
		if (inHole.ok) expect(inHole.value).toBeCloseTo(25, 0);
		expect(result.ok && inHole.ok).toBe(true);
	});

	it('measures the distance outside a county as the independent measure does', () => {
		const county = counties.features.find((f) => f.properties.code === '150627');
		for (const metres of [100, 499, 501, 2000]) {
			const point = pointOutsideCounty('150627', metres);
			expect(distanceToRingM(point, countyRing('150627'))).toBeCloseTo(metres, 2);
			const result = distanceOutsideM(point, county?.geometry);
			expect(result.ok).toBe(true);
			// the independent measure is planar: good to centimetres near, to a metre at 2 km
			if (result.ok) expect(Math.abs(result.value - metres)).toBeLessThan(metres < 1000 ? 0.1 : 1);
		}
	});
});

describe('distanceM', () => {
	it('is the great-circle distance in metres', () => {
		const b = destination(SITE_POINT, 1234.5, 33);
		expect(distanceM(SITE_POINT, b)).toBeCloseTo(1234.5, 3);
		expect(distanceM(SITE_POINT, b)).toBeCloseTo(haversineM(SITE_POINT, b), 6);
		expect(distanceM(SITE_POINT, SITE_POINT)).toBe(0);
		expect(distanceM(SITE_POINT, { lat: Number.NaN, lon: 0 })).toBeNaN();
	});
});
