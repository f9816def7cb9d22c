import { describe, expect, it } from 'vitest';
import {
	appendVertex,
	areaUnits,
	boundaryFromParts,
	closeRing,
	formatArea,
	isCompletePart,
	M2_PER_MU,
	openRing,
	outerVertexCount,
	partsBounds,
	partsContacts,
	partsFromBoundary,
	removeLastVertex,
	removePart,
	replacePart,
	ringContacts,
	roundCoord,
	sameBoundary,
	vertexAt,
	type Part,
	type Vertex
} from '$lib/domain/geometry/boundary-edit.js';
import { geodesicAreaM2, validatePolygonal } from '$lib/domain/geometry/measure.js';

const square: Vertex[] = [
	[109.9, 39.6],
	[109.901, 39.6],
	[109.901, 39.601],
	[109.9, 39.601]
];
const other: Vertex[] = [
	[109.91, 39.6],
	[109.911, 39.6],
	[109.911, 39.601]
];
/** A bow tie: the edges 1–2 and 3–4 cross at its centre. */
const bowTie: Vertex[] = [
	[0, 0],
	[2, 2],
	[2, 0],
	[0, 2]
];

describe('rings', () => {
	it('closes an open ring and opens a closed one', () => {
		const closed = closeRing(square);
		expect(closed).toHaveLength(5);
		expect(closed[4]).toEqual(square[0]);
		expect(openRing(closed)).toEqual(square);
		expect(closeRing([])).toEqual([]);
	});

	it('drops invalid positions and altitudes when opening', () => {
		expect(
			openRing([[1, 2, 1000], [Number.NaN, 1], 'x', [200, 1], [3, 4], [1, 2]] as unknown)
		).toEqual([
			[1, 2],
			[3, 4]
		]);
		expect(openRing('nope')).toEqual([]);
	});

	it('rounds vertices to 1e-7 degrees, [lon, lat]', () => {
		expect(vertexAt({ lat: 39.123456789, lon: 109.987654321 })).toEqual([109.9876543, 39.1234568]);
		expect(roundCoord(1.00000004)).toBe(1);
	});
});

describe('boundaryFromParts', () => {
	it('gives null without a complete part', () => {
		expect(boundaryFromParts([])).toBeNull();
		expect(boundaryFromParts([[square.slice(0, 2)]])).toBeNull();
	});

	it('gives a Polygon for one part, with closed rings', () => {
		const b = boundaryFromParts([[square]]);
		expect(b).toEqual({ type: 'Polygon', coordinates: [closeRing(square)] });
		expect(validatePolygonal(b).ok).toBe(true);
	});

	it('gives a MultiPolygon for two parts or more, leaving out incomplete parts and holes', () => {
		const b = boundaryFromParts([[square, [[1, 1]]], [other], [[[109.92, 39.6]]]]);
		expect(b).toEqual({
			type: 'MultiPolygon',
			coordinates: [[closeRing(square)], [closeRing(other)]]
		});
		expect(validatePolygonal(b).ok).toBe(true);
	});

	it('keeps a self-intersecting ring (a draft can be saved; QC blocks finalizing)', () => {
		const b = boundaryFromParts([[bowTie]]);
		expect(b?.type).toBe('Polygon');
		const v = validatePolygonal(b);
		expect(v.ok).toBe(false);
		if (!v.ok) expect(v.issues[0]?.kind).toBe('self-intersection');
	});

	it('round-trips through partsFromBoundary', () => {
		const parts: Part[] = [[square], [other]];
		expect(partsFromBoundary(boundaryFromParts(parts))).toEqual(parts);
		const one: Part[] = [[square]];
		expect(partsFromBoundary(boundaryFromParts(one))).toEqual(one);
	});
});

describe('partsFromBoundary', () => {
	it('reads a Polygon with a hole', () => {
		const hole: Vertex[] = [
			[109.9002, 39.6002],
			[109.9004, 39.6002],
			[109.9004, 39.6004]
		];
		expect(
			partsFromBoundary({ type: 'Polygon', coordinates: [closeRing(square), closeRing(hole)] })
		).toEqual([[square, hole]]);
	});

	it('never throws, and gives no parts for anything that is not a polygon', () => {
		for (const input of [
			null,
			undefined,
			42,
			'x',
			{},
			{ type: 'Point', coordinates: [1, 2] },
			{ type: 'Polygon' },
			{ type: 'Polygon', coordinates: 'x' },
			{ type: 'MultiPolygon', coordinates: [null, 'x', [[[1, 2]]]] }
		]) {
			expect(partsFromBoundary(input)).toEqual([]);
		}
	});
});

describe('editing parts', () => {
	it('appends vertices, starting a new part at index parts.length', () => {
		let parts: Part[] = [];
		parts = appendVertex(parts, 0, [1, 1]);
		parts = appendVertex(parts, 0, [2, 1]);
		expect(parts).toEqual([
			[
				[
					[1, 1],
					[2, 1]
				]
			]
		]);
		parts = appendVertex(parts, 1, [5, 5]);
		expect(parts).toHaveLength(2);
		expect(outerVertexCount(parts, 0)).toBe(2);
		expect(outerVertexCount(parts, 1)).toBe(1);
		expect(outerVertexCount(parts, null)).toBe(0);
		expect(appendVertex(parts, 7, [1, 1])).toEqual(parts);
		expect(appendVertex(parts, 0, [Number.NaN, 1])).toEqual(parts);
	});

	it('does not change the parts it was given', () => {
		const parts: Part[] = [[square.slice()]];
		const before = JSON.stringify(parts);
		appendVertex(parts, 0, [0, 0]);
		removeLastVertex(parts, 0);
		removePart(parts, 0);
		replacePart(parts, 0, [other]);
		expect(JSON.stringify(parts)).toBe(before);
	});

	it('removes the last vertex, and the part when it had one vertex', () => {
		const parts: Part[] = [[square], [[[5, 5]]]];
		expect(removeLastVertex(parts, 0)[0]?.[0]).toEqual(square.slice(0, 3));
		expect(removeLastVertex(parts, 1)).toEqual([[square]]);
		expect(removeLastVertex(parts, 4)).toEqual(parts);
	});

	it('removes and replaces parts; the boundary becomes a Polygon again', () => {
		const parts: Part[] = [[square], [other]];
		expect(boundaryFromParts(parts)?.type).toBe('MultiPolygon');
		const left = removePart(parts, 0);
		expect(left).toEqual([[other]]);
		expect(boundaryFromParts(left)?.type).toBe('Polygon');
		expect(replacePart(parts, 1, [square])).toEqual([[square], [square]]);
		expect(replacePart(parts, 2, [square])).toEqual(parts);
	});

	it('knows complete parts and the bounds of all vertices', () => {
		expect(isCompletePart([square])).toBe(true);
		expect(isCompletePart([square.slice(0, 2)])).toBe(false);
		expect(isCompletePart(undefined)).toBe(false);
		expect(partsBounds([])).toBeNull();
		expect(partsBounds([[square], [other]])).toEqual([
			[39.6, 109.9],
			[39.601, 109.911]
		]);
	});

	it('compares boundaries', () => {
		expect(sameBoundary(null, undefined)).toBe(true);
		expect(sameBoundary(boundaryFromParts([[square]]), boundaryFromParts([[square]]))).toBe(true);
		expect(sameBoundary(boundaryFromParts([[square]]), null)).toBe(false);
	});
});

describe('ringContacts', () => {
	it('finds nothing on a simple ring', () => {
		expect(ringContacts(square)).toEqual([]);
		expect(ringContacts(closeRing(square))).toEqual([]);
		expect(ringContacts(square.slice(0, 2))).toEqual([]);
	});

	it('finds the crossing of a bow tie', () => {
		expect(ringContacts(bowTie)).toEqual([[1, 1]]);
		expect(partsContacts([[square], [bowTie]])).toEqual([[1, 1]]);
	});

	it('finds a vertex touching another edge, and a vertex used twice', () => {
		// vertex 4 (1, 0) lies on the edge 1–2
		const touching: Vertex[] = [
			[0, 0],
			[2, 0],
			[2, 2],
			[1, 0],
			[0, 2]
		];
		expect(ringContacts(touching)).toContainEqual([1, 0]);
		// a figure eight through (1, 1)
		const eight: Vertex[] = [
			[0, 0],
			[1, 1],
			[2, 0],
			[2, 2],
			[1, 1],
			[0, 2]
		];
		expect(ringContacts(eight)).toContainEqual([1, 1]);
		expect(validatePolygonal(boundaryFromParts([[eight]])).ok).toBe(false);
	});

	it('finds a fold back, and ignores repeated consecutive vertices', () => {
		const fold: Vertex[] = [
			[0, 0],
			[2, 0],
			[1, 0],
			[1, 2]
		];
		expect(ringContacts(fold)).toContainEqual([2, 0]);
		const repeated: Vertex[] = [square[0]!, square[0]!, square[1]!, square[2]!, square[3]!];
		expect(ringContacts(repeated)).toEqual([]);
	});

	it('skips incomplete parts and respects the limit', () => {
		expect(partsContacts([[bowTie.slice(0, 2)]])).toEqual([]);
		const zigzag: Vertex[] = [];
		for (let i = 0; i < 20; i++) zigzag.push([i, i % 2 ? 10 : 0]);
		for (let i = 19; i >= 0; i--) zigzag.push([i + 0.5, i % 2 ? 0 : 10]);
		expect(ringContacts(zigzag, 5)).toHaveLength(5);
	});
});

describe('areas', () => {
	it('converts square metres to 亩 and 公顷', () => {
		expect(M2_PER_MU).toBeCloseTo(666.6667, 4);
		const a = areaUnits(10000);
		expect(a.ha).toBe(1);
		expect(a.mu).toBeCloseTo(15, 10);
	});

	it('formats an area for the surveyor', () => {
		expect(formatArea(1234.4)).toBe('1,234 平方米（约 1.85 亩，0.12 公顷）');
		expect(formatArea(0)).toBe('0 平方米（约 0.00 亩，0.00 公顷）');
		expect(formatArea(Number.NaN)).toBe('—');
		expect(formatArea(-1)).toBe('—');
	});

	it('measures what it builds', () => {
		const area = geodesicAreaM2(boundaryFromParts([[square], [other]]));
		expect(area.ok).toBe(true);
		// about 85.6 m × 111.2 m plus half of that
		if (area.ok) expect(area.value).toBeGreaterThan(13_000);
		if (area.ok) expect(area.value).toBeLessThan(15_000);
	});
});
