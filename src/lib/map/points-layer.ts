import type * as Leaflet from 'leaflet';

export type MapPoint = { code: string; lat: number; lon: number };

export type PointsLayer = Leaflet.Layer & {
	/** Draws `points`; a point object seen before is not projected again. */
	setPoints(points: readonly MapPoint[], colorOf: (point: MapPoint) => string): void;
	/** The code of the point drawn nearest to a container point, within `radius` pixels. */
	pick(containerPoint: Leaflet.Point, radius?: number): string | null;
};

/**
 * All site points drawn on one canvas. Leaflet's own canvas renderer keeps one object (and its
 * events) per marker, which is slow to build and rebuild at 20,000 sites; here a redraw is one
 * pass over projected coordinates computed once per point list.
 */
export function createPointsLayer(L: typeof Leaflet, radius = 6): PointsLayer {
	let map: Leaflet.Map | null = null;
	let canvas: HTMLCanvasElement | null = null;
	let points: readonly MapPoint[] = [];
	let colors: string[] = [];
	// Web Mercator coordinates at zoom 0, so a redraw only scales and shifts.
	let projected = new Float64Array(0);
	const cache = new WeakMap<MapPoint, Leaflet.Point>();
	let measured = 0;

	function project() {
		projected = new Float64Array(points.length * 2);
		points.forEach((p, i) => {
			let xy = cache.get(p);
			if (!xy) {
				xy = L.CRS.EPSG3857.latLngToPoint(L.latLng(p.lat, p.lon), 0);
				cache.set(p, xy);
			}
			projected[i * 2] = xy.x;
			projected[i * 2 + 1] = xy.y;
		});
	}

	function draw() {
		if (!map || !canvas) return;
		const size = map.getSize();
		const ratio = window.devicePixelRatio || 1;
		const topLeft = map.containerPointToLayerPoint([0, 0]);
		L.DomUtil.setPosition(canvas, topLeft);
		canvas.width = Math.round(size.x * ratio);
		canvas.height = Math.round(size.y * ratio);
		canvas.style.width = `${size.x}px`;
		canvas.style.height = `${size.y}px`;
		const ctx = canvas.getContext('2d');
		if (!ctx) return;
		ctx.setTransform(ratio, 0, 0, ratio, 0, 0);
		const scale = 2 ** map.getZoom();
		const origin = map.getPixelOrigin();
		const dx = -origin.x - topLeft.x;
		const dy = -origin.y - topLeft.y;
		ctx.lineWidth = 1.5;
		ctx.strokeStyle = '#ffffff';
		// One path per colour: a fill and a stroke per colour, not per point.
		for (const color of new Set(colors)) {
			ctx.beginPath();
			for (let i = 0; i < points.length; i++) {
				if (colors[i] !== color) continue;
				const x = projected[i * 2]! * scale + dx;
				const y = projected[i * 2 + 1]! * scale + dy;
				if (x < -radius || y < -radius || x > size.x + radius || y > size.y + radius) continue;
				ctx.moveTo(x + radius, y);
				ctx.arc(x, y, radius, 0, Math.PI * 2);
			}
			ctx.fillStyle = color;
			ctx.fill();
			ctx.stroke();
		}
	}

	const hide = () => canvas && (canvas.style.visibility = 'hidden');
	const show = () => {
		draw();
		if (canvas) canvas.style.visibility = 'visible';
	};

	const layer = new L.Layer() as PointsLayer;
	layer.onAdd = (m: Leaflet.Map) => {
		map = m;
		canvas = L.DomUtil.create('canvas', 'site-points');
		canvas.style.position = 'absolute';
		canvas.style.pointerEvents = 'none';
		m.getPane('overlayPane')!.appendChild(canvas);
		m.on('zoomstart', hide);
		m.on('moveend zoomend resize viewreset', show);
		draw();
		return layer;
	};
	layer.onRemove = (m: Leaflet.Map) => {
		m.off('zoomstart', hide);
		m.off('moveend zoomend resize viewreset', show);
		canvas?.remove();
		canvas = null;
		map = null;
		return layer;
	};
	layer.setPoints = (next, colorOf) => {
		const start = performance.now();
		points = next;
		colors = next.map(colorOf);
		project();
		draw();
		// A user-timing measure of this projection and draw (read by `npm run bench`); the entries
		// are cleared now and then so that a long day of searching does not pile them up.
		if (++measured % 200 === 0) performance.clearMeasures('map-points-draw');
		performance.measure('map-points-draw', {
			start,
			end: performance.now(),
			detail: { points: next.length }
		});
	};
	layer.pick = (containerPoint, within = radius + 6) => {
		if (!map) return null;
		const scale = 2 ** map.getZoom();
		const origin = map.getPixelOrigin();
		const pane = map.containerPointToLayerPoint([0, 0]);
		let best: string | null = null;
		let bestD = within * within;
		for (let i = 0; i < points.length; i++) {
			const x = projected[i * 2]! * scale - origin.x - pane.x;
			const y = projected[i * 2 + 1]! * scale - origin.y - pane.y;
			const d = (x - containerPoint.x) ** 2 + (y - containerPoint.y) ** 2;
			if (d <= bestD) {
				bestD = d;
				best = points[i]!.code;
			}
		}
		return best;
	};
	return layer;
}
