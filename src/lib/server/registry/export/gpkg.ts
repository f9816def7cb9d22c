/**
 * GeoPackage (OGC 12-128r17, version 1.3): an SQLite file with the required tables
 * gpkg_spatial_ref_sys (with CGCS2000, EPSG:4490), gpkg_contents and gpkg_geometry_columns, and
 * two feature tables: `sites` (points, every column) and `boundaries` (multipolygons, code and
 * name, for the sites that have one), geometry as GeoPackageBinary (the `GP` header, then
 * little-endian WKB).
 *
 * Written with better-sqlite3 (already the server's SQLite driver) to a temporary file, a page
 * per transaction, then streamed. Why not a GeoPackage library: @ngageoint/geopackage keeps the
 * database in sql.js (WebAssembly, in memory: not flat at 100,000 sites) and brings a large tree
 * of old dependencies; the few tables the spec requires are written here as the spec says.
 */
import { join } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import type { Boundary } from '../../../domain/schemas/common.js';
import { ATTRIBUTE_COLUMNS } from './columns.js';
import { fileChunks } from './files.js';
import type { ExportContext, Pages } from './types.js';

export const SRS_ID = 4490;

/** EPSG:4490 as OGC WKT, as GDAL writes it into a GeoPackage. */
export const CGCS2000_WKT =
	'GEOGCS["China Geodetic Coordinate System 2000",DATUM["China_2000",SPHEROID["CGCS2000",6378137,298.257222101,AUTHORITY["EPSG","1024"]],AUTHORITY["EPSG","1043"]],PRIMEM["Greenwich",0,AUTHORITY["EPSG","8901"]],UNIT["degree",0.0174532925199433,AUTHORITY["EPSG","9122"]],AXIS["Latitude",NORTH],AXIS["Longitude",EAST],AUTHORITY["EPSG","4490"]]';

const quote = (name: string) => `"${name.replace(/"/g, '""')}"`;

/** GeoPackageBinary header: magic, version 0, flags (little-endian, envelope), srs id. */
function gpHeader(envelope: number[] | undefined): Buffer {
	const h = Buffer.alloc(8 + (envelope ? 32 : 0));
	h.write('GP', 0, 'ascii');
	h.writeUInt8(0, 2);
	h.writeUInt8(((envelope ? 1 : 0) << 1) | 1, 3);
	h.writeInt32LE(SRS_ID, 4);
	envelope?.forEach((v, i) => h.writeDoubleLE(v, 8 + i * 8));
	return h;
}

export function pointBlob(lon: number, lat: number): Buffer {
	const wkb = Buffer.alloc(21);
	wkb.writeUInt8(1, 0);
	wkb.writeUInt32LE(1, 1);
	wkb.writeDoubleLE(lon, 5);
	wkb.writeDoubleLE(lat, 13);
	return Buffer.concat([gpHeader(undefined), wkb]);
}

/** A boundary as a MultiPolygon blob, with its envelope [minx, maxx, miny, maxy]. */
export function multiPolygonBlob(boundary: Boundary): Buffer {
	const polygons = boundary.type === 'Polygon' ? [boundary.coordinates] : boundary.coordinates;
	const env = [Infinity, -Infinity, Infinity, -Infinity];
	const parts: Buffer[] = [];
	const head = Buffer.alloc(9);
	head.writeUInt8(1, 0);
	head.writeUInt32LE(6, 1);
	head.writeUInt32LE(polygons.length, 5);
	parts.push(head);
	for (const polygon of polygons) {
		const ph = Buffer.alloc(9);
		ph.writeUInt8(1, 0);
		ph.writeUInt32LE(3, 1);
		ph.writeUInt32LE(polygon.length, 5);
		parts.push(ph);
		for (const ring of polygon) {
			const r = Buffer.alloc(4 + 16 * ring.length);
			r.writeUInt32LE(ring.length, 0);
			ring.forEach(([x, y], i) => {
				r.writeDoubleLE(x!, 4 + i * 16);
				r.writeDoubleLE(y!, 12 + i * 16);
				env[0] = Math.min(env[0]!, x!);
				env[1] = Math.max(env[1]!, x!);
				env[2] = Math.min(env[2]!, y!);
				env[3] = Math.max(env[3]!, y!);
			});
			parts.push(r);
		}
	}
	return Buffer.concat([gpHeader(env), ...parts]);
}

export async function* geopackage(
	pages: Pages,
	context: ExportContext
): AsyncGenerator<Uint8Array> {
	const file = join(context.tmpDir, 'registry.gpkg');
	const db = new BetterSqlite3(file);
	try {
		db.pragma('journal_mode = OFF');
		db.pragma('synchronous = OFF');
		db.pragma(`application_id = ${0x47504b47}`);
		db.pragma('user_version = 10300');
		db.exec(`
			CREATE TABLE gpkg_spatial_ref_sys (
				srs_name TEXT NOT NULL, srs_id INTEGER NOT NULL PRIMARY KEY,
				organization TEXT NOT NULL, organization_coordsys_id INTEGER NOT NULL,
				definition TEXT NOT NULL, description TEXT);
			CREATE TABLE gpkg_contents (
				table_name TEXT NOT NULL PRIMARY KEY, data_type TEXT NOT NULL, identifier TEXT UNIQUE,
				description TEXT DEFAULT '',
				last_change DATETIME NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')),
				min_x DOUBLE, min_y DOUBLE, max_x DOUBLE, max_y DOUBLE, srs_id INTEGER,
				CONSTRAINT fk_gc_r_srs_id FOREIGN KEY (srs_id) REFERENCES gpkg_spatial_ref_sys(srs_id));
			CREATE TABLE gpkg_geometry_columns (
				table_name TEXT NOT NULL, column_name TEXT NOT NULL, geometry_type_name TEXT NOT NULL,
				srs_id INTEGER NOT NULL, z TINYINT NOT NULL, m TINYINT NOT NULL,
				CONSTRAINT pk_geom_cols PRIMARY KEY (table_name, column_name),
				CONSTRAINT uk_gc_table_name UNIQUE (table_name),
				CONSTRAINT fk_gc_tn FOREIGN KEY (table_name) REFERENCES gpkg_contents(table_name),
				CONSTRAINT fk_gc_srs FOREIGN KEY (srs_id) REFERENCES gpkg_spatial_ref_sys (srs_id));
		`);
		const srs = db.prepare(
			'INSERT INTO gpkg_spatial_ref_sys (srs_name, srs_id, organization, organization_coordsys_id, definition, description) VALUES (?, ?, ?, ?, ?, ?)'
		);
		srs.run(
			'Undefined cartesian SRS',
			-1,
			'NONE',
			-1,
			'undefined',
			'undefined cartesian coordinate reference system'
		);
		srs.run(
			'Undefined geographic SRS',
			0,
			'NONE',
			0,
			'undefined',
			'undefined geographic coordinate reference system'
		);
		srs.run(
			'WGS 84 geodetic',
			4326,
			'EPSG',
			4326,
			'GEOGCS["WGS 84",DATUM["WGS_1984",SPHEROID["WGS 84",6378137,298.257223563,AUTHORITY["EPSG","7030"]],AUTHORITY["EPSG","6326"]],PRIMEM["Greenwich",0,AUTHORITY["EPSG","8901"]],UNIT["degree",0.0174532925199433,AUTHORITY["EPSG","9122"]],AXIS["Latitude",NORTH],AXIS["Longitude",EAST],AUTHORITY["EPSG","4326"]]',
			'longitude/latitude coordinates in decimal degrees on the WGS 84 spheroid'
		);
		srs.run(
			'China Geodetic Coordinate System 2000',
			SRS_ID,
			'EPSG',
			SRS_ID,
			CGCS2000_WKT,
			'CGCS2000'
		);
		const columns = ATTRIBUTE_COLUMNS.map(
			(c) =>
				`${quote(c.header)} ${c.key === 'version' ? 'INTEGER' : c.kind === 'number' ? 'REAL' : 'TEXT'}`
		).join(', ');
		db.exec(`
			CREATE TABLE sites (fid INTEGER PRIMARY KEY AUTOINCREMENT, geom POINT, ${columns});
			CREATE TABLE boundaries (fid INTEGER PRIMARY KEY AUTOINCREMENT, geom MULTIPOLYGON,
				${quote('编号')} TEXT, ${quote('名称')} TEXT);
		`);
		const insertSite = db.prepare(
			`INSERT INTO sites (geom, ${ATTRIBUTE_COLUMNS.map((c) => quote(c.header)).join(', ')}) VALUES (?${', ?'.repeat(ATTRIBUTE_COLUMNS.length)})`
		);
		const insertBoundary = db.prepare(
			`INSERT INTO boundaries (geom, ${quote('编号')}, ${quote('名称')}) VALUES (?, ?, ?)`
		);
		const box = {
			sites: [Infinity, Infinity, -Infinity, -Infinity],
			boundaries: [Infinity, Infinity, -Infinity, -Infinity]
		};
		const grow = (b: number[], x0: number, y0: number, x1: number, y1: number) => {
			b[0] = Math.min(b[0]!, x0);
			b[1] = Math.min(b[1]!, y0);
			b[2] = Math.max(b[2]!, x1);
			b[3] = Math.max(b[3]!, y1);
		};
		let boundaryCount = 0;
		for await (const page of pages) {
			db.transaction(() => {
				for (const e of page) {
					const { lon, lat } = e.site.location;
					grow(box.sites, lon, lat, lon, lat);
					insertSite.run(pointBlob(lon, lat), ...ATTRIBUTE_COLUMNS.map((c) => c.value(e)));
					if (e.site.boundary) {
						const blob = multiPolygonBlob(e.site.boundary);
						grow(
							box.boundaries,
							blob.readDoubleLE(8),
							blob.readDoubleLE(24),
							blob.readDoubleLE(16),
							blob.readDoubleLE(32)
						);
						insertBoundary.run(blob, e.site.code, e.site.name ?? null);
						boundaryCount++;
					}
				}
			})();
		}
		const contents = db.prepare(
			"INSERT INTO gpkg_contents (table_name, data_type, identifier, description, min_x, min_y, max_x, max_y, srs_id) VALUES (?, 'features', ?, ?, ?, ?, ?, ?, ?)"
		);
		const geometry = db.prepare(
			'INSERT INTO gpkg_geometry_columns (table_name, column_name, geometry_type_name, srs_id, z, m) VALUES (?, ?, ?, ?, 0, 0)'
		);
		const bounds = (b: number[]) => (Number.isFinite(b[0]) ? b : [null, null, null, null]);
		contents.run(
			'sites',
			`${context.layer}（文物点）`,
			context.title,
			...bounds(box.sites),
			SRS_ID
		);
		geometry.run('sites', 'geom', 'POINT', SRS_ID);
		if (boundaryCount > 0) {
			contents.run(
				'boundaries',
				`${context.layer}（本体边界）`,
				context.title,
				...bounds(box.boundaries),
				SRS_ID
			);
			geometry.run('boundaries', 'geom', 'MULTIPOLYGON', SRS_ID);
		} else {
			db.exec('DROP TABLE boundaries');
		}
	} finally {
		db.close();
	}
	yield* fileChunks(file);
}
