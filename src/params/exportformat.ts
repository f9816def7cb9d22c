import type { ParamMatcher } from '@sveltejs/kit';
import { isExportFormat } from '$lib/server/registry/export/index.js';

/** The download formats of a registry version: geojson, csv, xlsx, kml, shp.zip, gpkg. */
export const match = ((param: string) => isExportFormat(param)) satisfies ParamMatcher;
