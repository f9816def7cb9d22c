/**
 * The columns of a registry download (issue 13 point 5), shared by every format.
 *
 * - Headers are the census form's field names as the registry import reads them
 *   (`IMPORT_FIELD_INFO[field].label` of domain/registry/site-import.ts), so a CSV or XLSX download
 *   imports again with every column mapped; then what a version adds: 是否消失, 消失原因, 名录版本,
 *   and 位置已概化 (true where the public download carries a protected site's generalized point).
 * - Lists (使用情况, 影响因素) are joined with 、 as the import splits them; 所在旗区 is the county
 *   code (the import reads a code or a name); 本体边界 is GeoJSON text.
 * - A Shapefile's dBase field names are at most 10 ASCII characters: `shp` below is each column's
 *   name there (the mapping is written in docs/spec/contract.md §3 *Downloads*).
 */
import { IMPORT_FIELD_INFO, type ImportField } from '../../../domain/registry/site-import.js';
import type { PublishedSiteData } from '../../../domain/registry/publish.js';
import { publicSite, type PublicSite } from '../../../domain/registry/public-site.js';
import type { VersionSiteRow } from '../../db/registry-versions.js';

/** A site as a download holds it: exact (reviewers) or as the public may know it. */
export type ExportSite = {
	site: PublishedSiteData | PublicSite;
	lost: boolean;
	lostReason: string | null;
	version: number;
	generalized: boolean;
};

/** A version's stored site for a download: through `publicSite` unless `exact`. */
export function exportSite(row: VersionSiteRow, exact: boolean): ExportSite {
	const site = exact ? row.data : publicSite(row.data);
	return {
		site,
		lost: row.lost,
		lostReason: row.lostReason,
		version: row.version,
		generalized: !exact && (site as PublicSite).generalized
	};
}

export type ColumnKind = 'text' | 'number';

export type Column = {
	key: ImportField | 'lost' | 'lostReason' | 'version' | 'generalized';
	/** the header (Chinese, the census form's) */
	header: string;
	/** the dBase field name of the Shapefile (≤ 10 ASCII characters) */
	shp: string;
	kind: ColumnKind;
	value: (s: ExportSite) => string | number | null;
};

const text = (v: string | undefined | null): string | null =>
	v === undefined || v === null || v === '' ? null : v;
const list = (v: readonly string[] | undefined): string | null =>
	v && v.length > 0 ? v.join('、') : null;
const num = (v: number | undefined | null): number | null =>
	v === undefined || v === null || !Number.isFinite(v) ? null : v;

const field = (
	key: ImportField,
	shp: string,
	value: (s: ExportSite['site']) => string | number | null,
	kind: ColumnKind = 'text'
): Column => ({
	key,
	header: IMPORT_FIELD_INFO[key].label,
	shp,
	kind,
	value: (e) => value(e.site)
});

/** Every column, in the census form's order, then the version's own. */
export const COLUMNS: readonly Column[] = [
	field('code', 'CODE', (s) => s.code),
	field('name', 'NAME', (s) => text(s.name)),
	field('countyCode', 'COUNTY', (s) => s.countyCode),
	field('township', 'TOWNSHIP', (s) => text(s.township)),
	field('village', 'VILLAGE', (s) => text(s.village)),
	field('address', 'ADDRESS', (s) => text(s.address)),
	field('category', 'CATEGORY', (s) => text(s.category)),
	field('subcategory', 'SUBCAT', (s) => text(s.subcategory)),
	field('era', 'ERA', (s) => text(s.era)),
	field('eraGroup', 'ERA_GROUP', (s) => text(s.eraGroup)),
	field('protectionLevel', 'PROT_LEVEL', (s) => text(s.protectionLevel)),
	field('ownership', 'OWNERSHIP', (s) => text(s.ownership)),
	field('usage', 'USAGE', (s) => list(s.usage)),
	field('condition', 'CONDITION', (s) => text(s.condition)),
	field('openStatus', 'OPEN_STAT', (s) => text(s.openStatus)),
	field('threats', 'THREATS', (s) => list(s.threats)),
	field('areaM2', 'AREA_M2', (s) => num(s.areaM2), 'number'),
	field('lon', 'LON', (s) => s.location.lon, 'number'),
	field('lat', 'LAT', (s) => s.location.lat, 'number'),
	field('altitude', 'ALTITUDE', (s) => num(s.location.altitude), 'number'),
	field('boundary', 'BOUNDARY', (s) => (s.boundary ? JSON.stringify(s.boundary) : null)),
	field('description', 'DESCRIPT', (s) => text(s.description)),
	{
		key: 'lost',
		header: '是否消失',
		shp: 'LOST',
		kind: 'text',
		value: (e) => (e.lost ? '是' : '否')
	},
	{
		key: 'lostReason',
		header: '消失原因',
		shp: 'LOST_REASN',
		kind: 'text',
		value: (e) => text(e.lostReason)
	},
	{ key: 'version', header: '名录版本', shp: 'VERSION', kind: 'number', value: (e) => e.version },
	{
		key: 'generalized',
		header: '位置已概化',
		shp: 'GENERALIZD',
		kind: 'text',
		value: (e) => (e.generalized ? '是' : '否')
	}
];

/** The columns a GIS format carries as attributes: all but the boundary (it is a geometry there). */
export const ATTRIBUTE_COLUMNS: readonly Column[] = COLUMNS.filter((c) => c.key !== 'boundary');

/** A site's attributes under the columns' headers. */
export function attributes(
	site: ExportSite,
	columns: readonly Column[] = ATTRIBUTE_COLUMNS
): Record<string, string | number | null> {
	const out: Record<string, string | number | null> = {};
	for (const column of columns) out[column.header] = column.value(site);
	return out;
}
