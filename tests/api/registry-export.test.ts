/**
 * Downloads of a published registry version (issue 13 point 5; contract §3 *Downloads*), read
 * by real tools: every format from the public route and from the reviewers' route is opened
 * with GDAL (`ogrinfo`, `ogr2ogr`, Debian's gdal-bin) and, for XLSX, with exceljs too. Checked:
 * feature count, field names, CRS (EPSG:4490 where the format carries one), Chinese text, and
 * that no public file holds the exact point (or the boundary or address) of a site not open to
 * visitors while the reviewers' files do. One server: the steps build on each other, in order.
 * Runs on PostgreSQL too with TEST_PG_URL.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Boundary } from '$lib/domain/schemas/common.js';
import type { RegisteredSite, SurveyRecord } from '$lib/domain/schemas/index.js';
import { generalizeCoordinate } from '$lib/domain/registry/public-site.js';
import { guessMapping, IMPORT_FIELDS } from '$lib/domain/registry/site-import.js';
import { VersionResponseSchema, type VersionSite } from '$lib/domain/sync/wire.js';
import { recheckOf, TestServer, type County } from './harness.js';

const FORMATS = ['geojson', 'csv', 'xlsx', 'kml', 'shp.zip', 'gpkg'] as const;
type Format = (typeof FORMATS)[number];

/** The headers of the CSV and XLSX downloads, in order (the registry import's labels). */
const HEADERS = [
	'编号',
	'名称',
	'所在旗区',
	'乡镇',
	'村（社区）',
	'地址',
	'类别',
	'细类',
	'年代',
	'统计年代',
	'级别',
	'所有权',
	'使用情况',
	'现状评估',
	'开放状况',
	'影响因素',
	'面积（平方米）',
	'经度',
	'纬度',
	'海拔（米）',
	'本体边界',
	'简介',
	'是否消失',
	'消失原因',
	'名录版本',
	'位置已概化'
];
/** GIS formats carry the boundary as a geometry, not a column. */
const ATTRIBUTES = HEADERS.filter((h) => h !== '本体边界');
/** The Shapefile's dBase names (≤ 10 characters), in the same order as ATTRIBUTES. */
const SHP_FIELDS = [
	'CODE',
	'NAME',
	'COUNTY',
	'TOWNSHIP',
	'VILLAGE',
	'ADDRESS',
	'CATEGORY',
	'SUBCAT',
	'ERA',
	'ERA_GROUP',
	'PROT_LEVEL',
	'OWNERSHIP',
	'USAGE',
	'CONDITION',
	'OPEN_STAT',
	'THREATS',
	'AREA_M2',
	'LON',
	'LAT',
	'ALTITUDE',
	'DESCRIPT',
	'LOST',
	'LOST_REASN',
	'VERSION',
	'GENERALIZD'
];

let server: TestServer;
let city: string;
let reviewer22: string;
let surveyor22: string;
let work: string;
let sites22: RegisteredSite[];
let sites23: RegisteredSite[];
/** every site of version 1, as the city reads it (exact) */
let version: VersionSite[];

const OPEN_NAME = '接口测试·乌审召庙（开放）';
const PROTECTED_NAME = '接口测试·巴音敖包烽燧（不开放）';
const LOST_REASON = '2024年修路时被推平，现场已无遗存';
let openSite: RegisteredSite; // 150622, made 开放, with a boundary
let protectedSite: RegisteredSite; // 150622, 未开放, with a boundary and an exact point
let lostSite: RegisteredSite; // 150623, 消失

/** A small square around a point, as a boundary. */
function square(site: RegisteredSite, d = 0.0007): Boundary {
	const { lon, lat } = site.location;
	return {
		type: 'Polygon',
		coordinates: [
			[
				[lon - d, lat - d],
				[lon + d, lat - d],
				[lon + d, lat + d],
				[lon - d, lat + d],
				[lon - d, lat - d]
			]
		]
	};
}

/** Pushes `records` as the county's surveyor, and has the county and the city approve them. */
const accept = (county: County, records: SurveyRecord[]) =>
	server.acceptRecords(county, records, '下载测试：同意');

/** GETs a download: status, headers and the bytes. */
async function download(path: string, token?: string) {
	const response = await fetch(`${server.url}${path}`, {
		headers: token ? { authorization: `Bearer ${token}` } : {}
	});
	return {
		status: response.status,
		headers: response.headers,
		bytes: Buffer.from(await response.arrayBuffer())
	};
}

const gdal = (tool: string, args: string[]) =>
	execFileSync(tool, args, { encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 });

type Feature = {
	properties: Record<string, unknown>;
	geometry: { type: string; coordinates?: unknown; geometries?: unknown[] } | null;
};
type Layer = { name: string; summary: string; features: Feature[] };

/** GDAL's reading of a download: each layer's summary (`ogrinfo -so`) and its features. */
function readWithGdal(format: Format, file: string): Layer[] {
	let sources: string[] = [file];
	let openOptions: string[] = [];
	if (format === 'shp.zip') {
		const dir = `${file}.d`;
		execFileSync('unzip', ['-q', '-o', file, '-d', dir]);
		sources = readdirSync(dir)
			.filter((f) => f.endsWith('.shp'))
			.sort()
			.map((f) => join(dir, f));
	}
	if (format === 'csv')
		openOptions = [
			'-oo',
			'X_POSSIBLE_NAMES=经度',
			'-oo',
			'Y_POSSIBLE_NAMES=纬度',
			'-oo',
			'AUTODETECT_TYPE=YES'
		];
	const layers: Layer[] = [];
	for (const source of sources) {
		const names = gdal('ogrinfo', ['-ro', '-q', ...openOptions, source])
			.split('\n')
			.map((l) => /^\d+: (.+?)(?: \(.*\))?$/.exec(l.trim())?.[1])
			.filter((n): n is string => !!n);
		for (const name of names) {
			const summary = gdal('ogrinfo', ['-ro', '-so', ...openOptions, source, name]);
			const json = gdal('ogr2ogr', ['-f', 'GeoJSON', '/vsistdout/', ...openOptions, source, name]);
			const features = (JSON.parse(json) as { features: Feature[] }).features;
			layers.push({ name, summary, features });
		}
	}
	return layers;
}

/** The field names `ogrinfo -so` lists for a layer. */
function fieldNames(summary: string): string[] {
	return summary
		.split('\n')
		.map((l) => /^(.+?): (String|Integer|Integer64|Real|Date|DateTime)\b/.exec(l)?.[1])
		.filter((n): n is string => !!n);
}

function featureCount(summary: string): number {
	return Number(/Feature Count: (\d+)/.exec(summary)?.[1]);
}

/** Every [lon, lat] position in a geometry. */
function positions(geometry: Feature['geometry']): number[][] {
	if (!geometry) return [];
	if (geometry.type === 'GeometryCollection')
		return (geometry.geometries as Feature['geometry'][]).flatMap(positions);
	const walk = (c: unknown): number[][] =>
		Array.isArray(c) && typeof c[0] === 'number' ? [c as number[]] : (c as unknown[]).flatMap(walk);
	return walk(geometry.coordinates);
}

const same = (a: number, b: number) => Math.abs(a - b) < 1e-9;

/** The code, point and name of a feature, whatever the format named its fields. */
function siteOf(f: Feature): { code: string; lon: number; lat: number; name: string } {
	const p = f.properties;
	const point = positions(f.geometry)[0];
	const lon = Number(p['经度'] ?? p.LON ?? point?.[0]);
	const lat = Number(p['纬度'] ?? p.LAT ?? point?.[1]);
	return {
		code: String(p['编号'] ?? p.CODE),
		lon,
		lat,
		name: String(p['名称'] ?? p.NAME ?? p.Name)
	};
}

beforeAll(async () => {
	server = await TestServer.start();
	work = mkdtempSync(join(tmpdir(), 'registry-export-'));
	city = await server.as('city');
	reviewer22 = await server.as('reviewer-150622');
	surveyor22 = await server.as('surveyor-150622');
	sites22 = await server.sites('150622');
	sites23 = await server.sites('150623');
}, 120_000);
afterAll(async () => {
	await server?.stop();
	if (work) rmSync(work, { recursive: true, force: true });
});

describe('registry downloads', () => {
	it('before the first publish: 404 from both routes', async () => {
		for (const format of FORMATS) {
			expect((await download(`/api/public/registry.${format}`)).status).toBe(404);
			expect((await download(`/api/registry/versions/1/export.${format}`, city)).status).toBe(404);
		}
	});

	it('publishes a version with open, protected and lost sites (setup)', async () => {
		openSite = sites22[0]!;
		protectedSite = sites22[1]!;
		lostSite = sites23[0]!;
		await accept('150622', [
			recheckOf(openSite, [], {
				name: OPEN_NAME,
				openStatus: '开放',
				changeType: '变更类型',
				boundary: square(openSite)
			}),
			recheckOf(protectedSite, [], {
				name: PROTECTED_NAME,
				openStatus: '未开放',
				changeType: '变更类型',
				boundary: square(protectedSite)
			})
		]);
		await accept('150623', [
			recheckOf(lostSite, [], { changeType: '消失', lostReason: LOST_REASON })
		]);
		const published = await server.post('/api/registry/publish', { note: '下载测试' }, city);
		expect(published.status, published.text).toBe(200);
		version = [];
		let after = '';
		for (;;) {
			const page = await server.get(
				`/api/registry/versions/1?limit=5000${after ? `&after=${after}` : ''}`,
				city
			);
			const body = VersionResponseSchema.parse(page.json);
			version.push(...body.sites);
			if (!body.next) break;
			after = body.next;
		}
		expect(version.length).toBe(body(published.json).sites);
		const protectedOne = version.find((s) => s.code === protectedSite.code)!;
		expect(protectedOne.openStatus).toBe('未开放');
		expect(protectedOne.boundary).toBeDefined();
	});

	it('after the publish the server makes the public and the city’s files by itself, nobody asking', async () => {
		const made = () =>
			existsSync(join(server.dataDir, 'exports'))
				? readdirSync(join(server.dataDir, 'exports')).filter((f) => !f.endsWith('.partial'))
				: [];
		await expect.poll(made, { timeout: 60_000, interval: 200 }).toHaveLength(FORMATS.length * 2);
		expect(
			made()
				.map((f) => f.slice(f.indexOf('.') + 1))
				.sort()
		).toEqual([...FORMATS, ...FORMATS].sort());
	});

	for (const format of FORMATS) {
		it(`${format}: public (generalized) and reviewer (exact) files that GDAL reads`, async () => {
			const pub = await download(`/api/public/registry.${format}`);
			expect(pub.status, pub.bytes.toString('utf8').slice(0, 200)).toBe(200);
			const exact = await download(`/api/registry/versions/1/export.${format}`, city);
			expect(exact.status).toBe(200);
			const county = await download(`/api/registry/versions/1/export.${format}`, reviewer22);
			expect(county.status).toBe(200);

			// headers: type and a file name with an ASCII fallback and the Chinese one
			const disposition = pub.headers.get('content-disposition') ?? '';
			expect(disposition).toContain(`filename="ordos-registry-v1.${format}"`);
			expect(disposition).toContain(
				`filename*=UTF-8''${encodeURIComponent(`鄂尔多斯市不可移动文物名录-第1版.${format}`)}`
			);
			expect(exact.headers.get('content-disposition')).toContain('-exact');
			expect(pub.headers.get('content-type')).toMatch(
				{
					geojson: /^application\/geo\+json/,
					csv: /^text\/csv; charset=utf-8/,
					xlsx: /^application\/vnd\.openxmlformats-officedocument\.spreadsheetml\.sheet/,
					kml: /^application\/vnd\.google-earth\.kml\+xml/,
					'shp.zip': /^application\/zip/,
					gpkg: /^application\/geopackage\+sqlite3/
				}[format]
			);

			const files = {
				public: join(work, `public.${format}`),
				exact: join(work, `exact.${format}`),
				county: join(work, `county.${format}`)
			};
			writeFileSync(files.public, pub.bytes);
			writeFileSync(files.exact, exact.bytes);
			writeFileSync(files.county, county.bytes);

			const layers = {
				public: readWithGdal(format, files.public),
				exact: readWithGdal(format, files.exact),
				county: readWithGdal(format, files.county)
			};
			const points = (ls: Layer[]) => ls.find((l) => !/boundar/.test(l.name)) ?? ls[0]!;
			const inCounty = version.filter((s) => s.countyCode === '150622');

			// feature counts: every site of the version; the county reviewer's, only its county's
			expect(featureCount(points(layers.public).summary)).toBe(version.length);
			expect(featureCount(points(layers.exact).summary)).toBe(version.length);
			expect(featureCount(points(layers.county).summary)).toBe(inCounty.length);
			expect(
				points(layers.county)
					.features.map((f) => siteOf(f).code)
					.sort()
			).toEqual(inCounty.map((s) => s.code).sort());

			// field names
			const fields = fieldNames(points(layers.public).summary);
			if (format === 'shp.zip') expect(fields).toEqual(SHP_FIELDS);
			else if (format === 'gpkg') expect(fields).toEqual(ATTRIBUTES);
			else if (format === 'kml') expect(fields).toEqual(expect.arrayContaining(ATTRIBUTES));
			else expect(fields).toEqual(HEADERS);
			for (const name of ['编号', '名称', '经度', '纬度', '是否消失', '消失原因', '名录版本'])
				if (format !== 'shp.zip') expect(fields).toContain(name);

			// CRS: CGCS2000 where the format declares one (GeoJSON and KML are WGS-84 lon/lat)
			const summary = points(layers.exact).summary;
			if (format === 'shp.zip' || format === 'gpkg') {
				expect(summary).toContain('ID["EPSG",4490]');
				expect(summary).toContain('China Geodetic Coordinate System 2000');
			} else if (format === 'geojson' || format === 'kml') {
				expect(summary).toContain('ID["EPSG",4326]');
			}

			// Chinese text intact, lost sites marked with their reason
			const byCode = (ls: Layer[]) =>
				new Map(points(ls).features.map((f) => [siteOf(f).code, f] as const));
			const exactByCode = byCode(layers.exact);
			const publicByCode = byCode(layers.public);
			expect(siteOf(exactByCode.get(openSite.code)!).name).toBe(OPEN_NAME);
			expect(siteOf(publicByCode.get(protectedSite.code)!).name).toBe(PROTECTED_NAME);
			const lost = exactByCode.get(lostSite.code)!.properties;
			expect(lost['是否消失'] ?? lost.LOST).toBe('是');
			expect(lost['消失原因'] ?? lost.LOST_REASN).toBe(LOST_REASON);
			expect(lost['名录版本'] ?? lost.VERSION).toBe(1);

			// exact geometry for reviewers, generalized for the public
			const protectedSites = version.filter(
				(s) =>
					s.openStatus !== '开放' &&
					(!same(generalizeCoordinate(s.location.lon), s.location.lon) ||
						!same(generalizeCoordinate(s.location.lat), s.location.lat))
			);
			expect(protectedSites.map((s) => s.code)).toContain(protectedSite.code);
			for (const s of protectedSites) {
				const e = siteOf(exactByCode.get(s.code)!);
				expect([e.lon, e.lat]).toEqual([s.location.lon, s.location.lat]);
				const p = siteOf(publicByCode.get(s.code)!);
				expect([p.lon, p.lat]).toEqual([
					generalizeCoordinate(s.location.lon),
					generalizeCoordinate(s.location.lat)
				]);
			}
			// no position of any public feature (points, boundaries) nor any coordinate column is
			// a protected site's exact point or a vertex of its boundary
			const secret = protectedSites.flatMap((s) => [
				[s.location.lon, s.location.lat],
				...(s.boundary ? positions(s.boundary as Feature['geometry']) : [])
			]);
			const secretKeys = new Set(secret.map(([x, y]) => `${x!.toFixed(7)} ${y!.toFixed(7)}`));
			for (const layer of layers.public) {
				for (const f of layer.features) {
					const site = siteOf(f);
					for (const [x, y] of [...positions(f.geometry), [site.lon, site.lat]])
						expect(secretKeys.has(`${x!.toFixed(7)} ${y!.toFixed(7)}`)).toBe(false);
				}
			}
			// nor, in a text format, any exact coordinate as text
			if (format === 'geojson' || format === 'csv' || format === 'kml') {
				const text = pub.bytes.toString('utf8');
				for (const s of protectedSites) {
					expect(text).not.toContain(`${s.location.lon},${s.location.lat}`);
					// a coordinate of 5 decimals or more, as text, is that site's and no other's
					if ((String(s.location.lon).split('.')[1]?.length ?? 0) >= 5)
						expect(text).not.toContain(String(s.location.lon));
				}
				expect(exact.bytes.toString('utf8')).toContain(String(protectedSite.location.lon));
			}
			// in a binary one, not the bytes of the exact coordinate either
			// (little-endian in WKB and .shp, big-endian in SQLite's REAL columns; the zip is stored)
			if (format === 'gpkg' || format === 'shp.zip') {
				const le = Buffer.alloc(8);
				le.writeDoubleLE(protectedSite.location.lon);
				const be = Buffer.alloc(8);
				be.writeDoubleBE(protectedSite.location.lon);
				for (const bytes of [le, be]) expect(pub.bytes.includes(bytes)).toBe(false);
				expect(exact.bytes.includes(le)).toBe(true);
			}
			// the public has no boundary and no street address of a protected site
			const publicProtected = publicByCode.get(protectedSite.code)!.properties;
			// (a CSV cell left empty reads as '')
			expect(publicProtected['地址'] ?? publicProtected.ADDRESS ?? '').toBe('');
			expect(publicProtected['本体边界'] ?? '').toBe('');
			expect(publicProtected['位置已概化'] ?? publicProtected.GENERALIZD).toBe('是');
			const boundaryCodes = (ls: Layer[]) =>
				ls
					.filter((l) => /boundar/.test(l.name))
					.flatMap((l) => l.features.map((f) => String(f.properties['编号'] ?? f.properties.CODE)));
			if (format === 'gpkg' || format === 'shp.zip') {
				expect(boundaryCodes(layers.exact)).toContain(protectedSite.code);
				expect(boundaryCodes(layers.public)).not.toContain(protectedSite.code);
				expect(boundaryCodes(layers.public)).toContain(openSite.code);
			}
			if (format === 'kml') {
				expect(exactByCode.get(protectedSite.code)!.geometry!.type).toBe('GeometryCollection');
				expect(publicByCode.get(protectedSite.code)!.geometry!.type).toBe('Point');
				expect(publicByCode.get(openSite.code)!.geometry!.type).toBe('GeometryCollection');
			}
			if (format === 'geojson' || format === 'csv') {
				// GeoJSON text; GDAL hands a column of JSON objects on as objects
				const value = exactByCode.get(protectedSite.code)!.properties['本体边界'];
				const boundary = (typeof value === 'string' ? JSON.parse(value) : value) as Boundary;
				expect(boundary).toEqual(square(protectedSite));
			}
		});
	}

	it('shp.zip: a .cpg saying UTF-8 and a .prj of CGCS2000 for each layer', () => {
		const dir = join(work, 'exact.shp.zip.d');
		const names = readdirSync(dir).sort();
		expect(names.filter((n) => n.endsWith('.shp'))).toEqual([
			'ordos_registry_v1_boundaries.shp',
			'ordos_registry_v1_sites.shp'
		]);
		for (const layer of ['ordos_registry_v1_sites', 'ordos_registry_v1_boundaries']) {
			for (const ext of ['shp', 'shx', 'dbf', 'prj', 'cpg'])
				expect(names).toContain(`${layer}.${ext}`);
			expect(readFileSync(join(dir, `${layer}.cpg`), 'utf8').trim()).toBe('UTF-8');
			const prj = readFileSync(join(dir, `${layer}.prj`), 'utf8');
			expect(prj).toContain('China_Geodetic_Coordinate_System_2000');
			expect(gdal('gdalsrsinfo', ['-e', join(dir, `${layer}.prj`)])).toContain('EPSG:4490');
		}
	});

	it('csv: UTF-8 with a byte-order mark, headers the registry import maps again', () => {
		const bytes = readFileSync(join(work, 'exact.csv'));
		expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
		const header = bytes.subarray(3).toString('utf8').split('\r\n')[0]!.split(',');
		expect(header).toEqual(HEADERS);
		const mapping = guessMapping(header);
		expect(Object.keys(mapping).sort()).toEqual([...IMPORT_FIELDS].sort());
	});

	it('xlsx: exceljs reads the same headers, rows and Chinese text', async () => {
		const workbook = new ExcelJS.Workbook();
		await workbook.xlsx.readFile(join(work, 'exact.xlsx'));
		const sheet = workbook.worksheets[0]!;
		const text = (v: ExcelJS.CellValue) =>
			v && typeof v === 'object' && 'richText' in v ? v.richText.map((r) => r.text).join('') : v;
		const header = (sheet.getRow(1).values as ExcelJS.CellValue[]).slice(1).map(text);
		expect(header).toEqual(HEADERS);
		expect(sheet.actualRowCount).toBe(version.length + 1);
		const rows = new Map<string, ExcelJS.CellValue[]>();
		sheet.eachRow((row, n) => {
			if (n > 1) {
				const values = (row.values as ExcelJS.CellValue[]).slice(1).map(text);
				rows.set(String(values[0]), values);
			}
		});
		const open = rows.get(openSite.code)!;
		expect(open[HEADERS.indexOf('名称')]).toBe(OPEN_NAME);
		const exactProtected = rows.get(protectedSite.code)!;
		expect(exactProtected[HEADERS.indexOf('经度')]).toBe(protectedSite.location.lon);
		expect(exactProtected[HEADERS.indexOf('纬度')]).toBe(protectedSite.location.lat);
	});

	it('reviewers only: anonymous 401, a surveyor 403, an unknown version or format 404', async () => {
		expect((await download('/api/registry/versions/1/export.csv')).status).toBe(401);
		expect((await download('/api/registry/versions/1/export.csv', surveyor22)).status).toBe(403);
		expect((await download('/api/registry/versions/2/export.csv', city)).status).toBe(404);
		expect((await download('/api/registry/versions/1/export.pdf', city)).status).toBe(404);
		expect((await download('/api/public/registry.pdf')).status).toBe(404);
	});

	it('makes a download once: later and simultaneous requests get the same file, with its length', async () => {
		const kept = () => readdirSync(join(server.dataDir, 'exports')).sort();
		// public, exact for the city, exact for 150622: one file each per format, nothing half made
		expect(kept()).toHaveLength(FORMATS.length * 3);
		const again = await download('/api/public/registry.csv');
		expect(again.bytes.equals(readFileSync(join(work, 'public.csv')))).toBe(true);
		expect(again.headers.get('content-length')).toBe(String(again.bytes.length));
		// another county's reviewer: its own file, made once for three requests at the same time
		const reviewer23 = await server.as('reviewer-150623');
		const three = await Promise.all(
			[1, 2, 3].map(() => download('/api/registry/versions/1/export.csv', reviewer23))
		);
		for (const answer of three) {
			expect(answer.status).toBe(200);
			expect(answer.bytes.equals(three[0]!.bytes)).toBe(true);
		}
		const rows = three[0]!.bytes.toString('utf8').split('\r\n').slice(1).filter(Boolean);
		expect(rows.length).toBeGreaterThan(0);
		expect(rows.every((r) => r.startsWith('150623-'))).toBe(true);
		expect(rows.some((r) => r.startsWith(`${lostSite.code},`))).toBe(true);
		expect(kept()).toHaveLength(FORMATS.length * 3 + 1);
		expect(kept().filter((f) => f.endsWith('.partial'))).toEqual([]);
	});

	it('leaves no temporary file behind in the data directory', () => {
		expect(readdirSync(join(server.dataDir, 'tmp-exports'))).toEqual([]);
	});
});

function body(json: unknown): { sites: number } {
	return json as { sites: number };
}
