/**
 * Leaflet and leaflet-geoman for the boundary editor, loaded in the browser only (Leaflet touches
 * `window` at import: TOOLCHAIN.md pitfall 4), and conversions between editor parts and layers.
 */
import type * as Leaflet from 'leaflet';
import { vertexAt, type Part } from '$lib/domain/geometry/boundary-edit.js';

export type LeafletModule = typeof Leaflet;

let loading: Promise<LeafletModule> | null = null;

/** Leaflet with geoman attached (`map.pm`, `layer.pm`); geoman must load before a map is made. */
export function loadLeafletWithGeoman(): Promise<LeafletModule> {
	loading ??= (async () => {
		const L = (await import('leaflet')).default;
		// geoman's bundle is a plain script that extends the global `L` (it never imports 'leaflet'), so Leaflet must be on window.L before it is imported.
		(window as unknown as { L: LeafletModule }).L = L;
		await import('@geoman-io/leaflet-geoman-free');
		return L;
	})();
	loading.catch(() => (loading = null));
	return loading;
}

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
