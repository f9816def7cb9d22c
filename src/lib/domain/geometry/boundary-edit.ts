/**
 * Pure helpers for editing a 本体边界 (no Leaflet): the editor keeps the boundary as a list of
 * parts, each a list of open rings (outer ring first, then holes) of `[lon, lat]` vertices, and
 * turns it into GeoJSON with closed rings. Like `measure.ts`, nothing here throws.
 */
import type { Boundary } from '../schemas/common.js';

/** One vertex, `[lon, lat]` (GeoJSON order). */
export type Vertex = [lon: number, lat: number];
/** An open ring: the closing vertex (a copy of the first) is not stored. */
export type Ring = Vertex[];
/** One part of the boundary: its outer ring, then its holes. */
export type Part = Ring[];

/** Square metres in one 亩 (1 亩 = 10000/15 m²). */
export const M2_PER_MU = 10000 / 15;
/** Square metres in one 公顷 (hectare). */
export const M2_PER_HA = 10000;

/** Coordinates are kept to 1e-7° (about 1 cm), finer than any field measurement. */
export function roundCoord(value: number): number {
	return Math.round(value * 1e7) / 1e7;
}

/** A vertex from a latitude and longitude, rounded to 1e-7°. */
export function vertexAt(point: { lat: number; lon: number }): Vertex {
	return [roundCoord(point.lon), roundCoord(point.lat)];
}

function isVertex(p: unknown): p is number[] {
	return (
		Array.isArray(p) &&
		p.length >= 2 &&
		typeof p[0] === 'number' &&
		typeof p[1] === 'number' &&
		Number.isFinite(p[0]) &&
		Number.isFinite(p[1]) &&
		Math.abs(p[0]) <= 180 &&
		Math.abs(p[1]) <= 90
	);
}

/** The open ring of a list of positions: invalid positions and the closing repeat dropped. */
export function openRing(positions: unknown): Ring {
	if (!Array.isArray(positions)) return [];
	const ring: Ring = positions.filter(isVertex).map((p) => [p[0] as number, p[1] as number]);
	const first = ring[0];
	const last = ring[ring.length - 1];
	if (ring.length > 1 && first && last && first[0] === last[0] && first[1] === last[1]) {
		ring.pop();
	}
	return ring;
}

/** The ring closed, as GeoJSON wants it (last position equal to the first). */
export function closeRing(ring: readonly Vertex[]): Vertex[] {
	const closed = ring.map((v): Vertex => [v[0], v[1]]);
	const first = closed[0];
	if (first) closed.push([first[0], first[1]]);
	return closed;
}

/** A part can be a polygon once its outer ring has 3 vertices. */
export function isCompletePart(part: Part | undefined): boolean {
	return (part?.[0]?.length ?? 0) >= 3;
}

/**
 * The parts of a stored boundary (Polygon or MultiPolygon), with open rings. Anything that is not
 * a polygon gives no parts; holes with fewer than 3 vertices and parts whose outer ring has fewer
 * than 3 vertices are left out (they are not areas).
 */
export function partsFromBoundary(boundary: unknown): Part[] {
	const b = boundary as { type?: unknown; coordinates?: unknown } | null | undefined;
	if (!b || typeof b !== 'object' || !Array.isArray(b.coordinates)) return [];
	const polygons: unknown[] =
		b.type === 'Polygon' ? [b.coordinates] : b.type === 'MultiPolygon' ? b.coordinates : [];
	const parts: Part[] = [];
	for (const polygon of polygons) {
		if (!Array.isArray(polygon)) continue;
		const rings = polygon.map(openRing);
		const [outer, ...holes] = rings;
		if (!outer || outer.length < 3) continue;
		parts.push([outer, ...holes.filter((h) => h.length >= 3)]);
	}
	return parts;
}

/**
 * The GeoJSON boundary of the parts that are complete (outer ring of 3 vertices or more; holes of
 * fewer are left out): `null` for none, a Polygon for one, a MultiPolygon for two or more. Rings
 * are closed. It is not checked for self-intersection (see `validatePolygonal`).
 */
export function boundaryFromParts(parts: readonly Part[]): Boundary | null {
	const polygons = parts
		.filter(isCompletePart)
		.map((part) => part.filter((ring) => ring.length >= 3).map(closeRing));
	if (polygons.length === 0) return null;
	if (polygons.length === 1) return { type: 'Polygon', coordinates: polygons[0] as Vertex[][] };
	return { type: 'MultiPolygon', coordinates: polygons };
}

/** Two boundaries with the same type and coordinates (either may be absent). */
export function sameBoundary(
	a: Boundary | null | undefined,
	b: Boundary | null | undefined
): boolean {
	return JSON.stringify(a ?? null) === JSON.stringify(b ?? null);
}

/**
 * The parts with `vertex` appended to the outer ring of part `index`; `index === parts.length`
 * starts a new part. Any other index leaves the parts as they are.
 */
export function appendVertex(parts: readonly Part[], index: number, vertex: Vertex): Part[] {
	if (!Number.isInteger(index) || index < 0 || index > parts.length) return [...parts];
	if (!isVertex(vertex)) return [...parts];
	const v: Vertex = [vertex[0], vertex[1]];
	if (index === parts.length) return [...parts, [[v]]];
	return parts.map((part, i) => {
		if (i !== index) return part;
		const [outer = [], ...holes] = part;
		return [[...outer, v], ...holes];
	});
}

/**
 * The parts with the last vertex of part `index`'s outer ring removed; a part left with no
 * vertex is removed.
 */
export function removeLastVertex(parts: readonly Part[], index: number): Part[] {
	const part = parts[index];
	if (!part) return [...parts];
	const [outer = [], ...holes] = part;
	if (outer.length <= 1) return removePart(parts, index);
	return parts.map((p, i) => (i === index ? [outer.slice(0, -1), ...holes] : p));
}

/** The parts without part `index`. */
export function removePart(parts: readonly Part[], index: number): Part[] {
	return parts.filter((_, i) => i !== index);
}

/** The parts with part `index` replaced. */
export function replacePart(parts: readonly Part[], index: number, part: Part): Part[] {
	if (index < 0 || index >= parts.length) return [...parts];
	return parts.map((p, i) => (i === index ? part : p));
}

/** The number of vertices in the outer ring of part `index` (0 for a part not yet started). */
export function outerVertexCount(parts: readonly Part[], index: number | null): number {
	return index === null ? 0 : (parts[index]?.[0]?.length ?? 0);
}

/** The south-west and north-east corners (`[lat, lon]`) of all vertices, or `null`. */
export function partsBounds(
	parts: readonly Part[]
): [[south: number, west: number], [north: number, east: number]] | null {
	let south = Infinity;
	let west = Infinity;
	let north = -Infinity;
	let east = -Infinity;
	for (const part of parts)
		for (const ring of part)
			for (const [lon, lat] of ring) {
				south = Math.min(south, lat);
				north = Math.max(north, lat);
				west = Math.min(west, lon);
				east = Math.max(east, lon);
			}
	return Number.isFinite(south)
		? [
				[south, west],
				[north, east]
			]
		: null;
}

function orient(a: Vertex, b: Vertex, c: Vertex): number {
	return Math.sign((b[0] - a[0]) * (c[1] - a[1]) - (b[1] - a[1]) * (c[0] - a[0]));
}

function onSegment(a: Vertex, b: Vertex, c: Vertex): boolean {
	return (
		Math.min(a[0], b[0]) <= c[0] &&
		c[0] <= Math.max(a[0], b[0]) &&
		Math.min(a[1], b[1]) <= c[1] &&
		c[1] <= Math.max(a[1], b[1])
	);
}

/** Where segments a–b and c–d share a point (a crossing point, or a touching vertex), if they do. */
function segmentContact(a: Vertex, b: Vertex, c: Vertex, d: Vertex): Vertex | null {
	const o1 = orient(a, b, c);
	const o2 = orient(a, b, d);
	const o3 = orient(c, d, a);
	const o4 = orient(c, d, b);
	if (o1 * o2 < 0 && o3 * o4 < 0) {
		const rx = b[0] - a[0];
		const ry = b[1] - a[1];
		const sx = d[0] - c[0];
		const sy = d[1] - c[1];
		const t = ((c[0] - a[0]) * sy - (c[1] - a[1]) * sx) / (rx * sy - ry * sx);
		return [a[0] + t * rx, a[1] + t * ry];
	}
	if (o1 === 0 && onSegment(a, b, c)) return c;
	if (o2 === 0 && onSegment(a, b, d)) return d;
	if (o3 === 0 && onSegment(c, d, a)) return a;
	if (o4 === 0 && onSegment(c, d, b)) return b;
	return null;
}

/**
 * The points where a ring (open, taken as closed) crosses or touches itself: crossings of two
 * non-adjacent edges, a vertex lying on a non-adjacent edge, and vertices where two adjacent
 * edges fold back over each other. Consecutive repeated vertices are ignored. At most `limit`
 * points, without repeats. For showing where to fix a ring; `validatePolygonal` is the rule.
 */
export function ringContacts(ring: readonly Vertex[], limit = 100): Vertex[] {
	const v: Vertex[] = [];
	for (const p of ring) {
		const last = v[v.length - 1];
		if (isVertex(p) && !(last && last[0] === p[0] && last[1] === p[1])) v.push([p[0], p[1]]);
	}
	while (v.length > 1) {
		const first = v[0] as Vertex;
		const last = v[v.length - 1] as Vertex;
		if (first[0] !== last[0] || first[1] !== last[1]) break;
		v.pop();
	}
	const n = v.length;
	if (n < 3) return [];
	const at = (k: number) => v[k % n] as Vertex;
	const found = new Map<string, Vertex>();
	const add = (p: Vertex) => {
		const key = `${p[0].toFixed(9)},${p[1].toFixed(9)}`;
		if (!found.has(key)) found.set(key, p);
	};
	// adjacent edges p→q→r folding back: r lies back along q→p
	for (let q = 0; q < n && found.size < limit; q++) {
		const p = at(q + n - 1);
		const r = at(q + 1);
		const dot = (p[0] - at(q)[0]) * (r[0] - at(q)[0]) + (p[1] - at(q)[1]) * (r[1] - at(q)[1]);
		if (orient(p, at(q), r) === 0 && dot > 0) add(at(q));
	}
	for (let i = 0; i < n && found.size < limit; i++) {
		for (let j = i + 2; j < n && found.size < limit; j++) {
			if (i === 0 && j === n - 1) continue; // the closing edge is adjacent to the first
			const p = segmentContact(at(i), at(i + 1), at(j), at(j + 1));
			if (p) add(p);
		}
	}
	return [...found.values()];
}

/** The contact points (see `ringContacts`) of every ring of every complete part. */
export function partsContacts(parts: readonly Part[], limit = 100): Vertex[] {
	const all: Vertex[] = [];
	for (const part of parts) {
		if (!isCompletePart(part)) continue;
		for (const ring of part) {
			if (all.length >= limit) return all;
			all.push(...ringContacts(ring, limit - all.length));
		}
	}
	return all;
}

export type AreaUnits = { m2: number; mu: number; ha: number };

/** An area in 平方米, 亩 and 公顷. */
export function areaUnits(m2: number): AreaUnits {
	return { m2, mu: m2 / M2_PER_MU, ha: m2 / M2_PER_HA };
}

const grouped = new Intl.NumberFormat('zh-CN', { maximumFractionDigits: 0 });
const twoPlaces = new Intl.NumberFormat('zh-CN', {
	minimumFractionDigits: 2,
	maximumFractionDigits: 2
});

/** `1,234 平方米（约 1.85 亩，0.12 公顷）`; an invalid area gives `—`. */
export function formatArea(m2: number): string {
	if (!Number.isFinite(m2) || m2 < 0) return '—';
	const { mu, ha } = areaUnits(m2);
	return `${grouped.format(Math.round(m2))} 平方米（约 ${twoPlaces.format(mu)} 亩，${twoPlaces.format(ha)} 公顷）`;
}
