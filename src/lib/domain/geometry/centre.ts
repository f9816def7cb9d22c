import booleanPointInPolygon from '@turf/boolean-point-in-polygon';
import type { Feature, MultiPolygon, Polygon } from 'geojson';

/**
 * A representative point of an area: the centre of its bounding box when that lies inside,
 * else the vertex-average of its largest ring. Good enough to place a provisional point.
 */
export function centreOf(feature: Feature<Polygon | MultiPolygon>): { lat: number; lon: number } {
	const rings =
		feature.geometry.type === 'Polygon'
			? [feature.geometry.coordinates[0] ?? []]
			: feature.geometry.coordinates.map((p) => p[0] ?? []);
	let west = Infinity;
	let south = Infinity;
	let east = -Infinity;
	let north = -Infinity;
	for (const ring of rings) {
		for (const [lon, lat] of ring as [number, number][]) {
			west = Math.min(west, lon);
			east = Math.max(east, lon);
			south = Math.min(south, lat);
			north = Math.max(north, lat);
		}
	}
	const centre = { lat: (south + north) / 2, lon: (west + east) / 2 };
	if (booleanPointInPolygon([centre.lon, centre.lat], feature)) return centre;
	const largest = rings.reduce((a, b) => (b.length > a.length ? b : a), rings[0] ?? []);
	const n = Math.max(1, largest.length);
	return {
		lat: largest.reduce((s, p) => s + (p[1] ?? 0), 0) / n,
		lon: largest.reduce((s, p) => s + (p[0] ?? 0), 0) / n
	};
}
