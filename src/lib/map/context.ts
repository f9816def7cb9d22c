import { createContext } from 'svelte';
import type { Map as LeafletMap } from 'leaflet';
import type { LeafletModule } from './leaflet.js';

/** What a map gives the layers inside it. */
export type MapContext = {
	L: LeafletModule;
	map: LeafletMap;
	/**
	 * Runs `fn` once the map has a size: now, or when a map created hidden (a portrait tab not
	 * shown) is first shown. Returns a cancel.
	 */
	whenSized(fn: () => void): () => void;
};

const [getMapGetter, setMapGetter] = createContext<() => MapContext>();

/** For BaseMap: the getter its layers read the map through. */
export const provideMap = setMapGetter;

/** For a layer inside a BaseMap: the map and Leaflet (layers render once the map exists). */
export const useMap = getMapGetter;
