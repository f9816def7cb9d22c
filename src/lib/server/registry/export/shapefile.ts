/**
 * A zipped ESRI Shapefile: the sites as a point layer (`<base>_sites`) and, when any site has
 * one, their boundaries as a polygon layer (`<base>_boundaries`, CODE and NAME), each with a
 * `.cpg` that says UTF-8 and a `.prj` of CGCS2000 (EPSG:4490, ESRI WKT, which GDAL identifies as
 * 4490).
 *
 * Why not a Shapefile library for the whole: @mapbox/shp-write builds every file in memory and
 * writes dBase text with `charCodeAt`, one byte per UTF-16 unit (Chinese comes out broken), with
 * a WGS-84 `.prj` and no `.cpg`. The `.shp`/`.shx` of points and polygons are a few fixed-layout
 * records, written here a page at a time to temporary files, and so is the `.dbf` (dbf.ts,
 * dBase III in UTF-8). dBase sizes text fields in its header, so the one read of the sites
 * writes the geometry, measures each text (in UTF-8 bytes, at most 254) and keeps the attribute
 * values in a temporary file, a line per site; the `.dbf` is then written from that file (the
 * sites are read from the database once). Field names are the columns' `shp` names
 * (≤ 10 ASCII characters), listed in contract §3 *Downloads*.
 */
import { createReadStream } from 'node:fs';
import { open, type FileHandle } from 'node:fs/promises';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { makeZip } from 'client-zip';
import type { Boundary } from '../../../domain/schemas/common.js';
import { ATTRIBUTE_COLUMNS } from './columns.js';
import { DbfWriter, type DbfField, type DbfValue } from './dbf.js';
import { fileChunks } from './files.js';
import type { ExportContext, Pages } from './types.js';

/** CGCS2000 geographic (EPSG:4490) in ESRI's WKT, as a `.prj` holds it. */
export const CGCS2000_ESRI_WKT =
	'GEOGCS["GCS_China_Geodetic_Coordinate_System_2000",DATUM["D_China_2000",SPHEROID["CGCS2000",6378137.0,298.257222101]],PRIMEM["Greenwich",0.0],UNIT["Degree",0.0174532925199433]]';

const TEXT_MAX = 254;
/** Numbers: [size, decimals] of each numeric column's dBase field. */
const NUMERIC: Record<string, [number, number]> = {
	areaM2: [18, 2],
	lon: [14, 8],
	lat: [14, 8],
	altitude: [10, 2],
	version: [9, 0]
};

type Box = { xmin: number; ymin: number; xmax: number; ymax: number };
const emptyBox = (): Box => ({ xmin: Infinity, ymin: Infinity, xmax: -Infinity, ymax: -Infinity });
function grow(box: Box, x: number, y: number) {
	if (x < box.xmin) box.xmin = x;
	if (x > box.xmax) box.xmax = x;
	if (y < box.ymin) box.ymin = y;
	if (y > box.ymax) box.ymax = y;
}

/** One layer's .shp and .shx, written as records come, the headers at the end. */
class ShapeWriter {
	private offset = 100; // bytes, after the header
	private count = 0;
	private readonly box = emptyBox();
	private constructor(
		private readonly shp: FileHandle,
		private readonly shx: FileHandle,
		private readonly type: 1 | 5
	) {}

	static async create(base: string, type: 1 | 5): Promise<ShapeWriter> {
		const shp = await open(`${base}.shp`, 'w');
		const shx = await open(`${base}.shx`, 'w');
		return new ShapeWriter(shp, shx, type);
	}

	get records(): number {
		return this.count;
	}

	/** Writes records (their content, without the record header) in one go. */
	async write(contents: Buffer[]): Promise<void> {
		if (contents.length === 0) return;
		const shpParts: Buffer[] = [];
		const shx = Buffer.alloc(8 * contents.length);
		const shxAt = 100 + 8 * this.count;
		const shpAt = this.offset;
		contents.forEach((content, i) => {
			const head = Buffer.alloc(8);
			head.writeInt32BE(this.count + 1, 0);
			head.writeInt32BE(content.length / 2, 4);
			shx.writeInt32BE(this.offset / 2, i * 8);
			shx.writeInt32BE(content.length / 2, i * 8 + 4);
			shpParts.push(head, content);
			this.offset += 8 + content.length;
			this.count++;
		});
		await this.shp.write(Buffer.concat(shpParts), 0, undefined, shpAt);
		await this.shx.write(shx, 0, undefined, shxAt);
	}

	point(x: number, y: number): Buffer {
		grow(this.box, x, y);
		const b = Buffer.alloc(20);
		b.writeInt32LE(1, 0);
		b.writeDoubleLE(x, 4);
		b.writeDoubleLE(y, 12);
		return b;
	}

	/** A polygon record: outer rings clockwise, holes counter-clockwise (the Shapefile's rule). */
	polygon(boundary: Boundary): Buffer {
		const polygons = boundary.type === 'Polygon' ? [boundary.coordinates] : boundary.coordinates;
		const rings: number[][][] = [];
		for (const polygon of polygons) {
			polygon.forEach((ring, i) => {
				const clockwise = signedArea(ring) < 0;
				rings.push(clockwise === (i === 0) ? ring : [...ring].reverse());
			});
		}
		const points = rings.reduce((n, r) => n + r.length, 0);
		const b = Buffer.alloc(44 + 4 * rings.length + 16 * points);
		const box = emptyBox();
		for (const ring of rings) for (const [x, y] of ring) grow(box, x!, y!);
		grow(this.box, box.xmin, box.ymin);
		grow(this.box, box.xmax, box.ymax);
		b.writeInt32LE(5, 0);
		b.writeDoubleLE(box.xmin, 4);
		b.writeDoubleLE(box.ymin, 12);
		b.writeDoubleLE(box.xmax, 20);
		b.writeDoubleLE(box.ymax, 28);
		b.writeInt32LE(rings.length, 36);
		b.writeInt32LE(points, 40);
		let at = 44;
		let start = 0;
		for (const ring of rings) {
			b.writeInt32LE(start, at);
			at += 4;
			start += ring.length;
		}
		for (const ring of rings) {
			for (const [x, y] of ring) {
				b.writeDoubleLE(x!, at);
				b.writeDoubleLE(y!, at + 8);
				at += 16;
			}
		}
		return b;
	}

	async close(): Promise<void> {
		const header = (length: number) => {
			const h = Buffer.alloc(100);
			h.writeInt32BE(9994, 0);
			h.writeInt32BE(length / 2, 24);
			h.writeInt32LE(1000, 28);
			h.writeInt32LE(this.type, 32);
			const box = this.count > 0 ? this.box : { xmin: 0, ymin: 0, xmax: 0, ymax: 0 };
			h.writeDoubleLE(box.xmin, 36);
			h.writeDoubleLE(box.ymin, 44);
			h.writeDoubleLE(box.xmax, 52);
			h.writeDoubleLE(box.ymax, 60);
			return h;
		};
		await this.shp.write(header(this.offset), 0, 100, 0);
		await this.shx.write(header(100 + 8 * this.count), 0, 100, 0);
		await this.shp.close();
		await this.shx.close();
	}
}

/** Twice the ring's signed area: positive counter-clockwise (x east, y north). */
function signedArea(ring: number[][]): number {
	let sum = 0;
	for (let i = 0; i + 1 < ring.length; i++) {
		const [x1, y1] = ring[i]!;
		const [x2, y2] = ring[i + 1]!;
		sum += x1! * y2! - x2! * y1!;
	}
	return sum;
}

export async function* shapefile(
	pages: Pages,
	context: ExportContext,
	base: string
): AsyncGenerator<Uint8Array> {
	const sitesBase = join(context.tmpDir, `${base}_sites`);
	const boundariesBase = join(context.tmpDir, `${base}_boundaries`);
	const points = await ShapeWriter.create(sitesBase, 1);
	const polygons = await ShapeWriter.create(boundariesBase, 5);
	// one read of the sites: the geometry, how wide each text field must be, and the attribute
	// values (a JSON line per site, the last item whether it has a boundary)
	const sizes = new Map<string, number>(ATTRIBUTE_COLUMNS.map((c) => [c.key, 1]));
	let nameSize = 1;
	const measure = (key: string, value: DbfValue) => {
		if (typeof value !== 'string') return;
		const bytes = Math.min(TEXT_MAX, Buffer.byteLength(value));
		if (bytes > sizes.get(key)!) sizes.set(key, bytes);
	};
	const spoolPath = join(context.tmpDir, 'attributes.ndjson');
	const spool = await open(spoolPath, 'w');
	try {
		for await (const page of pages) {
			const shapes: Buffer[] = [];
			const rings: Buffer[] = [];
			let lines = '';
			for (const e of page) {
				const values: (DbfValue | boolean)[] = ATTRIBUTE_COLUMNS.map((column) => {
					const value = column.value(e);
					measure(column.key, value);
					return value;
				});
				shapes.push(points.point(e.site.location.lon, e.site.location.lat));
				if (e.site.boundary) {
					rings.push(polygons.polygon(e.site.boundary));
					nameSize = Math.max(nameSize, Math.min(TEXT_MAX, Buffer.byteLength(e.site.name ?? '')));
				}
				values.push(e.site.boundary !== undefined);
				lines += `${JSON.stringify(values)}\n`;
			}
			await points.write(shapes);
			await polygons.write(rings);
			await spool.write(lines);
		}
	} finally {
		await spool.close();
		await points.close();
		await polygons.close();
	}
	// the attributes, from the spool
	const fields: DbfField[] = ATTRIBUTE_COLUMNS.map((c) =>
		c.kind === 'number'
			? { name: c.shp, type: 'N', size: NUMERIC[c.key]![0], decimals: NUMERIC[c.key]![1] }
			: { name: c.shp, type: 'C', size: sizes.get(c.key)! }
	);
	const hasBoundaries = polygons.records > 0;
	const dbf = await DbfWriter.create(`${sitesBase}.dbf`, fields);
	const boundaryDbf = hasBoundaries
		? await DbfWriter.create(`${boundariesBase}.dbf`, [
				{ name: 'CODE', type: 'C', size: 11 },
				{ name: 'NAME', type: 'C', size: nameSize }
			])
		: undefined;
	const codeAt = ATTRIBUTE_COLUMNS.findIndex((c) => c.key === 'code');
	const nameAt = ATTRIBUTE_COLUMNS.findIndex((c) => c.key === 'name');
	try {
		let sites: DbfValue[][] = [];
		let boundaries: DbfValue[][] = [];
		const flush = async () => {
			await dbf.append(sites);
			await boundaryDbf?.append(boundaries);
			sites = [];
			boundaries = [];
		};
		for await (const line of createInterface({ input: createReadStream(spoolPath) })) {
			if (line === '') continue;
			const values = JSON.parse(line) as DbfValue[];
			const withBoundary = (values.pop() as DbfValue | boolean) === true;
			sites.push(values);
			if (withBoundary) boundaries.push([values[codeAt]!, values[nameAt] ?? '']);
			if (sites.length >= 1000) await flush();
		}
		await flush();
	} finally {
		await dbf.close();
		await boundaryDbf?.close();
	}
	const layers = hasBoundaries ? [sitesBase, boundariesBase] : [sitesBase];
	const now = new Date();
	const files = layers.flatMap((layer) => {
		const name = layer.slice(context.tmpDir.length + 1);
		return [
			...['shp', 'shx', 'dbf'].map((ext) => ({
				name: `${name}.${ext}`,
				lastModified: now,
				input: fileChunks(`${layer}.${ext}`)
			})),
			{ name: `${name}.prj`, lastModified: now, input: CGCS2000_ESRI_WKT },
			{ name: `${name}.cpg`, lastModified: now, input: 'UTF-8' }
		];
	});
	const reader = makeZip(files).getReader();
	try {
		for (;;) {
			const { done, value } = await reader.read();
			if (done) return;
			yield value;
		}
	} finally {
		reader.releaseLock();
	}
}
