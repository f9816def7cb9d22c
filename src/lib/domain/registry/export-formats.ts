/**
 * The download formats of a registry version (issue 13 point 5; contract §3 *Downloads*), by
 * the file extension the routes name them with. Pure: the route matcher (src/params), the
 * server's writers and the review page's download menu share it.
 */
export const EXPORT_FORMAT_NAMES = ['geojson', 'csv', 'xlsx', 'kml', 'shp.zip', 'gpkg'] as const;
export type ExportFormat = (typeof EXPORT_FORMAT_NAMES)[number];

export function isExportFormat(text: string): text is ExportFormat {
	return (EXPORT_FORMAT_NAMES as readonly string[]).includes(text);
}
