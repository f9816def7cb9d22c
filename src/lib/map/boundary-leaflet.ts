/** Conversions between the boundary editor's parts and Leaflet layers, and a touch tweak. */
import type * as Leaflet from 'leaflet';
import { vertexAt, type Part } from '$lib/domain/geometry/boundary-edit.js';

/** The rings of a part as Leaflet `[lat, lng]` pairs. */
export function partLatLngs(part: Part): [number, number][][] {
	return part.map((ring) => ring.map(([lon, lat]): [number, number] => [lat, lon]));
}

/** The part a polygon layer shows now (after geoman edited it), as open `[lon, lat]` rings. */
export function partFromPolygon(polygon: Leaflet.Polygon): Part {
	const latlngs = polygon.getLatLngs() as Leaflet.LatLng[] | Leaflet.LatLng[][];
	const rings = (Array.isArray(latlngs[0]) ? latlngs : [latlngs]) as Leaflet.LatLng[][];
	return rings
		.map((ring) => ring.map((ll) => vertexAt({ lat: ll.lat, lon: ll.lng })))
		.filter((ring) => ring.length > 0);
}

/**
 * Lets a tap that drifts a few pixels (a gloved finger) still count as a tap: Leaflet ignores
 * a click once the map moved 3 px. Uses Leaflet 1.9's map drag handler internals; a no-op if
 * they are not there.
 */
export function widenTapTolerance(map: Leaflet.Map, pixels = 10): void {
	const handler = map.dragging as unknown as {
		_draggable?: { options?: { clickTolerance?: number } };
	};
	const options = handler._draggable?.options;
	if (options) options.clickTolerance = pixels;
}
