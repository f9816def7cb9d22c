/**
 * Leaflet for every map of the app, loaded in the browser only: Leaflet touches `window` at
 * import (TOOLCHAIN.md pitfall 4). The module system caches each import, so nothing is kept here.
 */
import type * as Leaflet from 'leaflet';

export type LeafletModule = typeof Leaflet;

/** Leaflet alone. */
export async function loadLeaflet(): Promise<LeafletModule> {
	return (await import('leaflet')).default;
}

/** Leaflet with geoman attached (`map.pm`, `layer.pm`); geoman must load before a map is made. */
export async function loadLeafletWithGeoman(): Promise<LeafletModule> {
	const L = await loadLeaflet();
	// geoman's bundle is a plain script that extends the global `L` (it never imports 'leaflet'),
	// so Leaflet must be on window.L before it is imported.
	(window as unknown as { L: LeafletModule }).L = L;
	await import('@geoman-io/leaflet-geoman-free');
	return L;
}
