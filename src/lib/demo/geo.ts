import type { Position } from 'geojson';
import type { CountyFeature } from '../domain/geometry/counties.js';

/** Metres per degree of latitude (mean, WGS-84, at Ordos' latitudes). */
const M_PER_DEG_LAT = 110_990;
/** Metres per degree of longitude at the equator. */
const M_PER_DEG_LON_EQ = 111_320;
const DEG = Math.PI / 180;

/** Metres per degree of longitude at latitude `lat`. */
export function metresPerDegLon(lat: number): number {
	return M_PER_DEG_LON_EQ * Math.cos(lat * DEG);
}

/** The largest margin (metres) a query of {@link PreparedCounty.borderDistanceAtLeast} may ask. */
const MAX_MARGIN_M = 3_000;
/** Cell size (metres) of the segment grid used for border-distance queries. */
const SEG_CELL_M = 2_000;
/** Number of horizontal bands used to speed up point-in-polygon tests. */
const BANDS = 256;

/**
 * A county polygon prepared for fast sampling: projected to a local equirectangular plane in
 * metres (good to well under 1 % over one county), with its edges bucketed into horizontal bands
 * (point in polygon) and into a grid (distance to the border).
 */
export class PreparedCounty {
	readonly code: string;
	readonly name: string;
	readonly lat0: number;
	readonly lon0: number;
	private readonly kx: number;
	/** Bounding box in projected metres. */
	readonly minX: number;
	readonly minY: number;
	readonly maxX: number;
	readonly maxY: number;
	/** x1, y1, x2, y2 of every edge of every ring. */
	private readonly segs: Float64Array;
	private readonly bandH: number;
	private readonly bands: Int32Array[];
	private readonly cells = new Map<number, Int32Array>();

	constructor(feature: CountyFeature) {
		this.code = feature.properties.code;
		this.name = feature.properties.name;
		const polygons: Position[][][] =
			feature.geometry.type === 'Polygon'
				? [feature.geometry.coordinates]
				: feature.geometry.coordinates;
		let minLon = Infinity;
		let minLat = Infinity;
		let maxLon = -Infinity;
		let maxLat = -Infinity;
		let n = 0;
		for (const poly of polygons) {
			for (const ring of poly) {
				n += Math.max(0, ring.length - 1);
				for (const p of ring) {
					const [lon, lat] = p as [number, number];
					if (lon < minLon) minLon = lon;
					if (lon > maxLon) maxLon = lon;
					if (lat < minLat) minLat = lat;
					if (lat > maxLat) maxLat = lat;
				}
			}
		}
		if (n === 0) throw new Error(`旗区 ${this.code} 的边界为空`);
		this.lon0 = (minLon + maxLon) / 2;
		this.lat0 = (minLat + maxLat) / 2;
		this.kx = metresPerDegLon(this.lat0);
		const segs = new Float64Array(n * 4);
		let k = 0;
		for (const poly of polygons) {
			for (const ring of poly) {
				for (let i = 0; i + 1 < ring.length; i++) {
					const a = this.project(ring[i]![0]!, ring[i]![1]!);
					const b = this.project(ring[i + 1]![0]!, ring[i + 1]![1]!);
					segs[k++] = a[0];
					segs[k++] = a[1];
					segs[k++] = b[0];
					segs[k++] = b[1];
				}
			}
		}
		this.segs = segs;
		[this.minX, this.minY] = this.project(minLon, minLat);
		[this.maxX, this.maxY] = this.project(maxLon, maxLat);

		// Horizontal bands for ray casting.
		this.bandH = (this.maxY - this.minY) / BANDS || 1;
		const bandLists: number[][] = Array.from({ length: BANDS }, () => []);
		for (let s = 0; s < n; s++) {
			const y1 = segs[s * 4 + 1]!;
			const y2 = segs[s * 4 + 3]!;
			const b0 = this.band(Math.min(y1, y2));
			const b1 = this.band(Math.max(y1, y2));
			for (let b = b0; b <= b1; b++) bandLists[b]!.push(s);
		}
		this.bands = bandLists.map((l) => Int32Array.from(l));

		// Grid of edges, each in every cell its bounding box (grown by the largest margin) touches.
		const cellLists = new Map<number, number[]>();
		for (let s = 0; s < n; s++) {
			const x1 = segs[s * 4]!;
			const y1 = segs[s * 4 + 1]!;
			const x2 = segs[s * 4 + 2]!;
			const y2 = segs[s * 4 + 3]!;
			const cx0 = this.cell(Math.min(x1, x2) - MAX_MARGIN_M);
			const cx1 = this.cell(Math.max(x1, x2) + MAX_MARGIN_M);
			const cy0 = this.cell(Math.min(y1, y2) - MAX_MARGIN_M);
			const cy1 = this.cell(Math.max(y1, y2) + MAX_MARGIN_M);
			for (let cx = cx0; cx <= cx1; cx++) {
				for (let cy = cy0; cy <= cy1; cy++) {
					const key = cellKey(cx, cy);
					let list = cellLists.get(key);
					if (!list) cellLists.set(key, (list = []));
					list.push(s);
				}
			}
		}
		for (const [key, list] of cellLists) this.cells.set(key, Int32Array.from(list));
	}

	/** Projected metres `[x, y]` of a position. */
	project(lon: number, lat: number): [number, number] {
		return [(lon - this.lon0) * this.kx, (lat - this.lat0) * M_PER_DEG_LAT];
	}

	/** `[lon, lat]` of projected metres. */
	unproject(x: number, y: number): [number, number] {
		return [this.lon0 + x / this.kx, this.lat0 + y / M_PER_DEG_LAT];
	}

	private band(y: number): number {
		return Math.min(BANDS - 1, Math.max(0, Math.floor((y - this.minY) / this.bandH)));
	}

	private cell(v: number): number {
		return Math.floor(v / SEG_CELL_M);
	}

	/** Even-odd point in polygon (holes and several parts included), in projected metres. */
	contains(x: number, y: number): boolean {
		if (x < this.minX || x > this.maxX || y < this.minY || y > this.maxY) return false;
		const segs = this.segs;
		let inside = false;
		for (const s of this.bands[this.band(y)]!) {
			const x1 = segs[s * 4]!;
			const y1 = segs[s * 4 + 1]!;
			const x2 = segs[s * 4 + 2]!;
			const y2 = segs[s * 4 + 3]!;
			if (y1 > y !== y2 > y && x < ((x2 - x1) * (y - y1)) / (y2 - y1) + x1) inside = !inside;
		}
		return inside;
	}

	/** True when no edge of the county lies within `margin` metres (≤ 3 km) of the point. */
	borderDistanceAtLeast(x: number, y: number, margin: number): boolean {
		if (margin > MAX_MARGIN_M) throw new Error('margin too large');
		const list = this.cells.get(cellKey(this.cell(x), this.cell(y)));
		if (!list) return true;
		const segs = this.segs;
		const m2 = margin * margin;
		for (const s of list) {
			const d2 = segDist2(x, y, segs[s * 4]!, segs[s * 4 + 1]!, segs[s * 4 + 2]!, segs[s * 4 + 3]!);
			if (d2 < m2) return false;
		}
		return true;
	}
}

function cellKey(cx: number, cy: number): number {
	return (cx + 50_000) * 100_000 + (cy + 50_000);
}

function segDist2(px: number, py: number, x1: number, y1: number, x2: number, y2: number): number {
	const dx = x2 - x1;
	const dy = y2 - y1;
	const len2 = dx * dx + dy * dy;
	let t = len2 > 0 ? ((px - x1) * dx + (py - y1) * dy) / len2 : 0;
	t = t < 0 ? 0 : t > 1 ? 1 : t;
	const ex = x1 + t * dx - px;
	const ey = y1 + t * dy - py;
	return ex * ex + ey * ey;
}

/**
 * Keeps sites apart: a spatial hash (metres in one plane for the whole city) of the centres
 * placed so far and the radius of each one's boundary.
 */
export class SpacingIndex {
	private static readonly CELL = 2_000;
	private readonly cells = new Map<number, number[]>();
	private readonly lat0: number;
	private readonly kx: number;

	constructor(lat0 = 39.3) {
		this.lat0 = lat0;
		this.kx = metresPerDegLon(lat0);
	}

	private xy(lon: number, lat: number): [number, number] {
		return [lon * this.kx, (lat - this.lat0) * M_PER_DEG_LAT];
	}

	/**
	 * True when a site at (lon, lat) with boundary radius `r` keeps at least `minGap` metres to
	 * every placed centre and its boundary does not reach any placed boundary.
	 */
	fits(lon: number, lat: number, r: number, minGap: number): boolean {
		const [x, y] = this.xy(lon, lat);
		const cx = Math.floor(x / SpacingIndex.CELL);
		const cy = Math.floor(y / SpacingIndex.CELL);
		for (let i = cx - 1; i <= cx + 1; i++) {
			for (let j = cy - 1; j <= cy + 1; j++) {
				const list = this.cells.get(cellKey(i, j));
				if (!list) continue;
				for (let k = 0; k < list.length; k += 3) {
					const dx = list[k]! - x;
					const dy = list[k + 1]! - y;
					const need = Math.max(minGap, r + list[k + 2]! + 20);
					if (dx * dx + dy * dy < need * need) return false;
				}
			}
		}
		return true;
	}

	add(lon: number, lat: number, r: number): void {
		const [x, y] = this.xy(lon, lat);
		const key = cellKey(Math.floor(x / SpacingIndex.CELL), Math.floor(y / SpacingIndex.CELL));
		let list = this.cells.get(key);
		if (!list) this.cells.set(key, (list = []));
		list.push(x, y, r);
	}
}

/** Rounds a coordinate to 6 decimals (about 0.1 m). */
export function round6(v: number): number {
	return Math.round(v * 1e6) / 1e6;
}

/** A GeoJSON Polygon whose positions are `[lon, lat]` pairs (as the record schema types them). */
export type RingPolygon = { type: 'Polygon'; coordinates: [number, number][][] };

export type BoundaryShape = {
	polygon: RingPolygon;
	/** Largest distance (metres) from the centre to a vertex. */
	radius: number;
	/** Extent of the shape along east–west and north–south, in metres. */
	widthM: number;
	heightM: number;
};

/**
 * An irregular, star-shaped ring of `vertices` (5–9) points around (0, 0) in metres, scaled so
 * its area is about `areaM2`, elongated by `aspect` (≥ 1) along `rotation` (radians). Angles
 * strictly increase, so the ring is simple, counter-clockwise, and contains the centre well
 * inside. `rand` gives floats in [0, 1).
 */
export function irregularRing(
	rand: () => number,
	areaM2: number,
	vertices: number,
	aspect: number,
	rotation: number
): { points: [number, number][]; radius: number } {
	const n = vertices;
	const gap = (2 * Math.PI) / n;
	const start = rand() * 2 * Math.PI;
	const raw: [number, number][] = [];
	for (let k = 0; k < n; k++) {
		const theta = start + k * gap + (rand() - 0.5) * 0.6 * gap;
		const rho = 0.8 + 0.4 * rand();
		raw.push([rho * Math.cos(theta), rho * Math.sin(theta)]);
	}
	// Area of the unit shape (shoelace), then scale to the wanted area.
	let a = 0;
	for (let k = 0; k < n; k++) {
		const [x1, y1] = raw[k]!;
		const [x2, y2] = raw[(k + 1) % n]!;
		a += x1 * y2 - x2 * y1;
	}
	a = Math.abs(a) / 2;
	const scale = Math.sqrt(areaM2 / a);
	const sx = Math.sqrt(aspect);
	const sy = 1 / sx;
	const cos = Math.cos(rotation);
	const sin = Math.sin(rotation);
	let radius = 0;
	const points = raw.map(([x, y]): [number, number] => {
		const ex = x * sx * scale;
		const ey = y * sy * scale;
		const px = ex * cos - ey * sin;
		const py = ex * sin + ey * cos;
		radius = Math.max(radius, Math.hypot(px, py));
		return [px, py];
	});
	return { points, radius };
}

/** Turns a ring in metres around (lon, lat) into a closed GeoJSON Polygon, rounded to 6 decimals. */
export function ringToPolygon(
	lon: number,
	lat: number,
	points: readonly [number, number][]
): BoundaryShape {
	const kx = metresPerDegLon(lat);
	const ring: [number, number][] = points.map(([x, y]) => [
		round6(lon + x / kx),
		round6(lat + y / M_PER_DEG_LAT)
	]);
	ring.push([ring[0]![0], ring[0]![1]]);
	let radius = 0;
	let minX = Infinity;
	let maxX = -Infinity;
	let minY = Infinity;
	let maxY = -Infinity;
	for (const [x, y] of points) {
		radius = Math.max(radius, Math.hypot(x, y));
		minX = Math.min(minX, x);
		maxX = Math.max(maxX, x);
		minY = Math.min(minY, y);
		maxY = Math.max(maxY, y);
	}
	return {
		polygon: { type: 'Polygon', coordinates: [ring] },
		radius,
		widthM: maxX - minX,
		heightM: maxY - minY
	};
}
