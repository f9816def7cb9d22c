import type { ParamMatcher } from '@sveltejs/kit';
import { isExportFormat } from '$lib/domain/registry/export-formats.js';

/** The download formats of a registry version: geojson, csv, xlsx, kml, shp.zip, gpkg. */
export const match = ((param: string) => isExportFormat(param)) satisfies ParamMatcher;
