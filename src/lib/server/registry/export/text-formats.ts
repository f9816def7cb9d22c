/**
 * The downloads that are text, written as the pages arrive (nothing of a version is held in
 * memory but one page): GeoJSON, CSV and KML.
 */
import Papa from 'papaparse';
import { toKML } from '@placemarkio/tokml';
import type { Feature, FeatureCollection, Geometry } from 'geojson';
import { ATTRIBUTE_COLUMNS, COLUMNS, attributes, type ExportSite } from './columns.js';
import type { ExportContext, Pages } from './types.js';

const encoder = new TextEncoder();

function pointOf(e: ExportSite): Geometry {
	return { type: 'Point', coordinates: [e.site.location.lon, e.site.location.lat] };
}

/**
 * GeoJSON (RFC 7946: WGS-84 longitude/latitude, which CGCS2000 coordinates are to well under a
 * metre): a FeatureCollection of points, each with every column as a property (本体边界 as
 * GeoJSON text, so the point layer stays one geometry type that every GIS opens as it is).
 */
export async function* geojson(pages: Pages, context: ExportContext): AsyncGenerator<Uint8Array> {
	yield encoder.encode(
		`{"type":"FeatureCollection","name":${JSON.stringify(context.layer)},"features":[\n`
	);
	let first = true;
	for await (const page of pages) {
		const parts = page.map((e) =>
			JSON.stringify({
				type: 'Feature',
				properties: attributes(e, COLUMNS),
				geometry: pointOf(e)
			})
		);
		yield encoder.encode(`${first ? '' : ',\n'}${parts.join(',\n')}`);
		first = false;
	}
	yield encoder.encode('\n]}\n');
}

/**
 * CSV, UTF-8 with a byte-order mark (Excel and WPS read it as UTF-8 then), CRLF line ends,
 * headers the registry import reads. Cells that a spreadsheet would take for a formula
 * (=, +, -, @ first) are quoted with a leading ' (papaparse's escapeFormulae, on the first character even of a text of several lines).
 */
export async function* csv(pages: Pages): AsyncGenerator<Uint8Array> {
	const options = { newline: '\r\n', escapeFormulae: /^[=+\-@\t\r]/ };
	yield encoder.encode('\uFEFF' + Papa.unparse([COLUMNS.map((c) => c.header)], options) + '\r\n');
	for await (const page of pages) {
		const rows = page.map((e) => COLUMNS.map((c) => c.value(e) ?? ''));
		yield encoder.encode(Papa.unparse(rows, options) + '\r\n');
	}
}

const XML_ESCAPES: Record<string, string> = {
	'&': '&amp;',
	'<': '&lt;',
	'>': '&gt;',
	'"': '&quot;'
};
const xmlText = (t: string) => t.replace(/[&<>"]/g, (c) => XML_ESCAPES[c]!);

/** The KML Schema of the attributes: typed fields under the columns' Chinese headers. */
function kmlSchema(): string {
	const fields = ATTRIBUTE_COLUMNS.map(
		(c) =>
			`<SimpleField name="${xmlText(c.header)}" type="${c.kind === 'number' ? 'double' : 'string'}"><displayName>${xmlText(c.header)}</displayName></SimpleField>`
	);
	return `<Schema name="sites" id="sites">${fields.join('')}</Schema>\n`;
}

/** Each attribute column with the opening tag of its SimpleData. */
const KML_FIELDS = ATTRIBUTE_COLUMNS.map((c) => ({
	column: c,
	open: `<SimpleData name="${xmlText(c.header)}">`
}));

function kmlSchemaData(e: ExportSite): string {
	let data = '';
	for (const { column, open } of KML_FIELDS) {
		const value = column.value(e);
		if (value !== null) data += `${open}${xmlText(String(value))}</SimpleData>`;
	}
	return `<ExtendedData><SchemaData schemaUrl="#sites">${data}</SchemaData></ExtendedData>`;
}

/**
 * KML 2.2, a page at a time: @placemarkio/tokml writes each page's placemarks (name and
 * geometry: a site with a boundary is a MultiGeometry of its point and its polygons), cut out of
 * the document it makes and written into one document. The attributes are a typed
 * Schema/SchemaData under the Chinese headers, put where tokml leaves its (empty) ExtendedData:
 * tokml writes properties as untyped `<Data>`, whose Chinese names GDAL's LIBKML reader turns
 * into underscores.
 */
export async function* kml(pages: Pages, context: ExportContext): AsyncGenerator<Uint8Array> {
	yield encoder.encode(
		`<?xml version="1.0" encoding="UTF-8"?>\n<kml xmlns="http://www.opengis.net/kml/2.2"><Document id="registry"><name>${xmlText(context.title)}</name>\n${kmlSchema()}`
	);
	for await (const page of pages) {
		const features: Feature[] = page.map((e) => {
			const boundary = e.site.boundary;
			const geometry: Geometry = boundary
				? {
						type: 'GeometryCollection',
						geometries: [
							pointOf(e),
							...(boundary.type === 'Polygon'
								? [boundary]
								: boundary.coordinates.map(
										(coordinates) => ({ type: 'Polygon', coordinates }) as Geometry
									))
						]
					}
				: pointOf(e);
			return { type: 'Feature', properties: { name: e.site.name ?? e.site.code }, geometry };
		});
		const document = toKML({ type: 'FeatureCollection', features } as FeatureCollection);
		const start = document.indexOf('<Document>') + '<Document>'.length;
		const end = document.lastIndexOf('</Document>');
		let i = 0;
		const placemarks = document
			.slice(start, end)
			.replace(/<ExtendedData><\/ExtendedData>/g, () => kmlSchemaData(page[i++]!));
		if (i !== page.length) throw new Error('KML: tokml wrote an unexpected document');
		yield encoder.encode(placemarks);
	}
	yield encoder.encode('\n</Document></kml>\n');
}
