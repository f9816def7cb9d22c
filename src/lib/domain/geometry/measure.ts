/**
 * Geometry checks and measures on user geometry (本体边界, centre points, photo points).
 *
 * Contract: every function here MUST NOT throw, whatever it is given (drafts reach it before any
 * schema ran); a failure is a result union with a Chinese message. Distances are great-circle
 * metres on Turf's mean Earth radius (6,371,008.8 m); areas are Turf's geodesic area in m².
 */
import { area } from '@turf/area';
import { booleanPointInPolygon } from '@turf/boolean-point-in-polygon';
import { distance } from '@turf/distance';
import type { MultiPolygon, Polygon, Position } from 'geojson';

export type LonLat = { lat: number; lon: number };
export type Polygonal = Polygon | MultiPolygon;

export type GeometryIssueKind =
	'structure' | 'too-few-positions' | 'not-closed' | 'degenerate' | 'self-intersection';

/** `path` is relative to the geometry: `coordinates.R` (Polygon) or `coordinates.P.R`. */
export type GeometryIssue = { kind: GeometryIssueKind; path: string; message: string };

export type GeometryValidation =
	{ ok: true; value: Polygonal } | { ok: false; issues: GeometryIssue[] };

export type Measurement = { ok: true; value: number } | { ok: false; message: string };

/** Great-circle distance in metres. Non-finite coordinates give `NaN`. */
export function distanceM(a: LonLat, b: LonLat): number {
	if (![a.lat, a.lon, b.lat, b.lon].every(Number.isFinite)) return Number.NaN;
	return distance([a.lon, a.lat], [b.lon, b.lat], { units: 'meters' });
}

type Ring = { position: number[][]; path: string; label: string };

function ringLabel(multi: boolean, part: number, ring: number): string {
	const which = ring === 0 ? '外环' : `第 ${ring} 个内环（洞）`;
	return multi ? `第 ${part + 1} 部分的${which}` : which;
}

function isFinitePosition(p: unknown): p is number[] {
	return (
		Array.isArray(p) &&
		p.length >= 2 &&
		p.every((n) => typeof n === 'number' && Number.isFinite(n)) &&
		Math.abs(p[0] as number) <= 180 &&
		Math.abs(p[1] as number) <= 90
	);
}

/** The rings of a Polygon/MultiPolygon, or the structural issues that keep it from being one. */
function ringsOf(
	geometry: unknown
): { ok: true; value: Polygonal; rings: Ring[] } | { ok: false; issues: GeometryIssue[] } {
	const g = geometry as { type?: unknown; coordinates?: unknown } | null;
	const structure = (message: string, path = ''): { ok: false; issues: GeometryIssue[] } => ({
		ok: false,
		issues: [{ kind: 'structure', path, message }]
	});
	if (!g || typeof g !== 'object' || (g.type !== 'Polygon' && g.type !== 'MultiPolygon')) {
		return structure('边界不是面（Polygon 或 MultiPolygon）：请重新绘制边界');
	}
	const multi = g.type === 'MultiPolygon';
	const parts: unknown[] = multi
		? Array.isArray(g.coordinates)
			? g.coordinates
			: []
		: [g.coordinates];
	if (!Array.isArray(g.coordinates) || parts.length === 0) {
		return structure('边界没有坐标：请重新绘制边界', 'coordinates');
	}
	const rings: Ring[] = [];
	const issues: GeometryIssue[] = [];
	parts.forEach((part, p) => {
		const partPath = multi ? `coordinates.${p}` : 'coordinates';
		if (!Array.isArray(part) || part.length === 0) {
			issues.push({
				kind: 'structure',
				path: partPath,
				message: `边界${multi ? `第 ${p + 1} 部分` : ''}没有坐标：请重新绘制该部分`
			});
			return;
		}
		part.forEach((ring: unknown, r) => {
			const path = `${partPath}.${r}`;
			const label = ringLabel(multi, p, r);
			if (!Array.isArray(ring)) {
				issues.push({ kind: 'structure', path, message: `边界${label}不是坐标列表：请重新绘制` });
				return;
			}
			const bad = ring.findIndex((position) => !isFinitePosition(position));
			if (bad >= 0) {
				issues.push({
					kind: 'structure',
					path,
					message: `边界${label}第 ${bad + 1} 点的坐标无效（须为 [经度, 纬度] 且在取值范围内）：请删除或重新输入该点`
				});
				return;
			}
			const positions = ring as number[][];
			if (positions.length < 4) {
				issues.push({
					kind: 'too-few-positions',
					path,
					message: `边界${label}只有 ${positions.length} 个点，至少需要 4 个（3 个顶点再回到起点）：请补画顶点，或删除这个环`
				});
				return;
			}
			const first = positions[0] as number[];
			const last = positions[positions.length - 1] as number[];
			if (first[0] !== last[0] || first[1] !== last[1]) {
				issues.push({
					kind: 'not-closed',
					path,
					message: `边界${label}未闭合（末点与首点不同）：请让末点回到首点`
				});
				return;
			}
			rings.push({ position: positions, path, label });
		});
	});
	if (issues.length > 0) return { ok: false, issues };
	return { ok: true, value: g as Polygonal, rings };
}

/**
 * Checks only that the geometry is a Polygon/MultiPolygon whose rings have at least 4 finite
 * positions and are closed, i.e. that it can be measured. Self-intersection is not checked.
 */
export function checkPolygonalStructure(geometry: unknown): GeometryValidation {
	const result = ringsOf(geometry);
	return result.ok ? { ok: true, value: result.value } : result;
}

/**
 * A valid boundary (QC GEO-001): the structure of `checkPolygonalStructure`, and no ring crossing
 * or touching itself — two non-adjacent edges sharing any point (a crossing, a vertex on another
 * edge, a vertex used twice), or two adjacent edges folding back over each other, or fewer than
 * 3 distinct vertices. Consecutive repeated vertices are tolerated. Points closer than 1e-8°
 * (about 1 mm) are one point; the tests are exact on that grid. Rings are checked each on its
 * own; rings of one polygon are not checked against each other.
 */
export function validatePolygonal(geometry: unknown): GeometryValidation {
	const result = ringsOf(geometry);
	if (!result.ok) return result;
	const issues: GeometryIssue[] = [];
	for (const ring of result.rings) {
		const issue = ringSimplicity(ring);
		if (issue) issues.push(issue);
	}
	return issues.length > 0 ? { ok: false, issues } : { ok: true, value: result.value };
}

const GRID = 1e8;
/** Largest coordinate offset (grid units) for which orientation is exact in doubles. */
const SAFE_EXTENT = 3.3e7;

function formatPoint(p: readonly number[]): string {
	return `(${(p[0] as number).toFixed(6)}, ${(p[1] as number).toFixed(6)})`;
}

function ringSimplicity(ring: Ring): GeometryIssue | undefined {
	const source = ring.position;
	const n = source.length;
	const origin = source[0] as number[];
	const ox = Math.round((origin[0] as number) * GRID);
	const oy = Math.round((origin[1] as number) * GRID);
	// distinct consecutive vertices of the open ring, with their original indices
	const xs: number[] = [];
	const ys: number[] = [];
	const index: number[] = [];
	for (let i = 0; i < n - 1; i++) {
		const p = source[i] as number[];
		const x = Math.round((p[0] as number) * GRID) - ox;
		const y = Math.round((p[1] as number) * GRID) - oy;
		const k = xs.length;
		if (k > 0 && xs[k - 1] === x && ys[k - 1] === y) continue;
		xs.push(x);
		ys.push(y);
		index.push(i);
	}
	while (xs.length > 1 && xs[xs.length - 1] === xs[0] && ys[ys.length - 1] === ys[0]) {
		xs.pop();
		ys.pop();
		index.pop();
	}
	const m = xs.length;
	if (m < 3) {
		return {
			kind: 'degenerate',
			path: ring.path,
			message: `边界${ring.label}不同的顶点少于 3 个，围不成面：请补画顶点，或删除这个环`
		};
	}
	let extent = 0;
	for (let k = 0; k < m; k++)
		extent = Math.max(extent, Math.abs(xs[k] as number), Math.abs(ys[k] as number));
	const big = extent > SAFE_EXTENT;
	const X = (k: number) => xs[k % m] as number;
	const Y = (k: number) => ys[k % m] as number;
	const orient = (a: number, b: number, c: number): number => {
		const ux = X(b) - X(a);
		const uy = Y(b) - Y(a);
		const vx = X(c) - X(a);
		const vy = Y(c) - Y(a);
		if (!big) return Math.sign(ux * vy - uy * vx);
		const d = BigInt(ux) * BigInt(vy) - BigInt(uy) * BigInt(vx);
		return d > 0n ? 1 : d < 0n ? -1 : 0;
	};
	/** Sign of (a − q)·(c − q). */
	const dotSign = (a: number, q: number, c: number): number => {
		const ux = X(a) - X(q);
		const uy = Y(a) - Y(q);
		const vx = X(c) - X(q);
		const vy = Y(c) - Y(q);
		if (!big) return Math.sign(ux * vx + uy * vy);
		const d = BigInt(ux) * BigInt(vx) + BigInt(uy) * BigInt(vy);
		return d > 0n ? 1 : d < 0n ? -1 : 0;
	};
	/** Collinear c lies within the bounding box of a–b. */
	const within = (a: number, b: number, c: number): boolean =>
		Math.min(X(a), X(b)) <= X(c) &&
		X(c) <= Math.max(X(a), X(b)) &&
		Math.min(Y(a), Y(b)) <= Y(c) &&
		Y(c) <= Math.max(Y(a), Y(b));
	/** 1-based number of a vertex in the ring as drawn; an edge ending at k = m ends at point n. */
	const vertexNo = (k: number): number => (k === m ? n : (index[k] as number) + 1);
	const pointNo = (k: number): number => (index[k % m] as number) + 1;
	const edgeName = (e: number): string => `第 ${vertexNo(e)}–${vertexNo(e + 1)} 点之间的边`;
	const at = (k: number): number[] => source[index[k % m] as number] as number[];

	type Hit = { first: number; second: number; text: string; key: string };
	const hits: Hit[] = [];

	// adjacent edges p→q→r folding back over each other
	for (let q = 0; q < m; q++) {
		const p = (q + m - 1) % m;
		const r = (q + 1) % m;
		if (orient(p, q, r) === 0 && dotSign(p, q, r) > 0) {
			const point = at(q);
			hits.push({
				first: p,
				second: q,
				text: `在第 ${pointNo(q)} 点处折返，相邻两条边重叠`,
				key: formatPoint(point)
			});
		}
	}

	// non-adjacent edges sharing a point; sweep over edges sorted by their west end
	const minX = (e: number) => Math.min(X(e), X(e + 1));
	const maxX = (e: number) => Math.max(X(e), X(e + 1));
	const minY = (e: number) => Math.min(Y(e), Y(e + 1));
	const maxY = (e: number) => Math.max(Y(e), Y(e + 1));
	const order = Array.from({ length: m }, (_, e) => e).sort((a, b) => minX(a) - minX(b));
	for (let a = 0; a < m; a++) {
		const i = order[a] as number;
		for (let b = a + 1; b < m; b++) {
			const j = order[b] as number;
			if (minX(j) > maxX(i)) break;
			if (minY(j) > maxY(i) || minY(i) > maxY(j)) continue;
			const gap = Math.abs(i - j);
			if (gap === 1 || gap === m - 1) continue;
			const e = Math.min(i, j);
			const f = Math.max(i, j);
			const hit = shared(e, f);
			if (hit) hits.push(hit);
		}
	}
	if (hits.length === 0) return undefined;

	function shared(e: number, f: number): Hit | undefined {
		const [a, b, c, d] = [e, e + 1, f, f + 1];
		const o1 = orient(a, b, c);
		const o2 = orient(a, b, d);
		const o3 = orient(c, d, a);
		const o4 = orient(c, d, b);
		/** Vertex k (an end of one edge) lies on the other edge u–v. */
		const touching = (k: number, u: number, v: number): Hit => {
			const point = at(k);
			const same = [u, v].find((w) => X(w) === X(k) && Y(w) === Y(k));
			const text =
				same === undefined
					? `第 ${pointNo(k)} 点 ${formatPoint(point)} 落在${edgeName(u)}上（边界在此处与自身相接）`
					: `第 ${Math.min(pointNo(k), pointNo(same))} 点与第 ${Math.max(pointNo(k), pointNo(same))} 点是同一位置（边界在此处与自身相接）`;
			return { first: e, second: f, text, key: formatPoint(point) };
		};
		if (o1 * o2 < 0 && o3 * o4 < 0) {
			const p = at(a);
			const q = at(b);
			const r = at(c);
			const s = at(d);
			const rx = (q[0] as number) - (p[0] as number);
			const ry = (q[1] as number) - (p[1] as number);
			const sx = (s[0] as number) - (r[0] as number);
			const sy = (s[1] as number) - (r[1] as number);
			const t =
				(((r[0] as number) - (p[0] as number)) * sy - ((r[1] as number) - (p[1] as number)) * sx) /
				(rx * sy - ry * sx);
			const point = [(p[0] as number) + t * rx, (p[1] as number) + t * ry];
			return {
				first: e,
				second: f,
				text: `${edgeName(e)}与${edgeName(f)}在 ${formatPoint(point)} 附近交叉`,
				key: formatPoint(point)
			};
		}
		// an end of one edge on the other edge (covers shared vertices and collinear overlaps)
		if (o1 === 0 && within(a, b, c)) return touching(c, a, b);
		if (o2 === 0 && within(a, b, d)) return touching(d, a, b);
		if (o3 === 0 && within(c, d, a)) return touching(a, c, d);
		if (o4 === 0 && within(c, d, b)) return touching(b, c, d);
		return undefined;
	}
	hits.sort((p, q) => p.first - q.first || p.second - q.second);
	const places = new Set(hits.map((h) => h.key)).size;
	const firstHit = hits[0] as Hit;
	return {
		kind: 'self-intersection',
		path: ring.path,
		message:
			`边界${ring.label}自相交或自相接触：${firstHit.text}` +
			(places > 1 ? `（共 ${places} 处）` : '') +
			'。请移动或删除顶点，使边界既不交叉、也不在某一点处与自身相接；如本体分成几块，请画成多个部分'
	};
}

/** Geodesic area in m² of a structurally usable Polygon/MultiPolygon (holes subtracted). */
export function geodesicAreaM2(geometry: unknown): Measurement {
	const result = ringsOf(geometry);
	if (!result.ok) return { ok: false, message: (result.issues[0] as GeometryIssue).message };
	try {
		const value = area(result.value);
		return Number.isFinite(value)
			? { ok: true, value }
			: { ok: false, message: '无法计算边界面积：请检查边界坐标' };
	} catch {
		return { ok: false, message: '无法计算边界面积：请检查边界坐标' };
	}
}

/** True when the point lies inside or on the boundary of the geometry; false on bad input. */
export function containsPoint(geometry: unknown, point: LonLat): boolean {
	const result = ringsOf(geometry);
	if (!result.ok || !Number.isFinite(point.lat) || !Number.isFinite(point.lon)) return false;
	try {
		return booleanPointInPolygon([point.lon, point.lat], result.value);
	} catch {
		return false;
	}
}

/**
 * Metres from the point to the nearest point of the area (0 inside or on its edge). For a
 * MultiPolygon, the distance to the nearest part; a point in a hole is outside.
 *
 * Edges are straight lines in longitude/latitude, as GeoJSON (RFC 7946) defines them: the nearest
 * point of each edge is found in a plane scaled to the point's latitude, and its great-circle
 * distance is measured. (Turf's point-to-polygon distance takes edges as great-circle arcs, which
 * differ from the drawn edge by about 0.8 m on a 7 km county edge, enough to matter at a 500 m
 * threshold.)
 */
export function distanceOutsideM(point: LonLat, geometry: unknown): Measurement {
	const result = ringsOf(geometry);
	if (!result.ok) return { ok: false, message: (result.issues[0] as GeometryIssue).message };
	if (!Number.isFinite(point.lat) || !Number.isFinite(point.lon)) {
		return { ok: false, message: '坐标无效：请重新定位' };
	}
	try {
		if (booleanPointInPolygon([point.lon, point.lat], result.value)) return { ok: true, value: 0 };
	} catch {
		return { ok: false, message: '无法计算到边界的距离：请检查边界坐标' };
	}
	const cos = Math.cos((point.lat * Math.PI) / 180);
	const at: Position = [point.lon, point.lat];
	let best = Infinity;
	for (const ring of result.rings) {
		const positions = ring.position;
		for (let i = 0; i + 1 < positions.length; i++) {
			const [aLon = 0, aLat = 0] = positions[i] as number[];
			const [bLon = 0, bLat = 0] = positions[i + 1] as number[];
			const ax = (aLon - point.lon) * cos;
			const ay = aLat - point.lat;
			const dx = (bLon - aLon) * cos;
			const dy = bLat - aLat;
			const length2 = dx * dx + dy * dy;
			const t = length2 === 0 ? 0 : Math.max(0, Math.min(1, -(ax * dx + ay * dy) / length2));
			const metres = distance(at, [aLon + t * (bLon - aLon), aLat + t * (bLat - aLat)], {
				units: 'meters'
			});
			if (metres < best) best = metres;
		}
	}
	return Number.isFinite(best)
		? { ok: true, value: best }
		: { ok: false, message: '无法计算到边界的距离：请检查边界坐标' };
}
