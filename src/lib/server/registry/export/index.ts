/**
 * Downloads of a published registry version (issue 13 point 5; contract §3 *Downloads*):
 * GeoJSON, CSV, XLSX, KML, a zipped Shapefile and GeoPackage, for the public (the latest version,
 * every site through `publicSite`) and for reviewers (any version, the sites of their counties,
 * exact geometry).
 *
 * Every format reads the version through `RegistryVersionRepository.stream`, a page of sites at
 * a time: memory holds a page, not the version. Formats that need a file of their own (XLSX,
 * Shapefile, GeoPackage) write it in a fresh directory under the data directory
 * (`<DATA_DIR>/tmp-exports/`), which is removed when the file is made or making it fails. A
 * version never changes, so its pages are read outside one transaction (which would hold
 * SQLite's single connection for the whole download).
 *
 * For the same reason a download is made once and kept (`exportFile`): the first
 * request for a version, variant (public, or exact for a set of counties) and format writes the
 * file under `<DATA_DIR>/exports/`, every later one (and any asked for while it is being made)
 * streams that file, with its length. A download of 100,000 sites costs seconds of CPU to make
 * (XLSX and Shapefile the most); made per request, a few visitors at once would hold both cores
 * of the server for minutes.
 */
import { createHash, randomUUID } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { mkdir, readdir, rename, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { DataStore } from '../../db/store.js';
import { exportSite } from './columns.js';
import { fileChunks } from './files.js';
import { csv, geojson, kml } from './text-formats.js';
import { xlsx } from './xlsx.js';
import { shapefile } from './shapefile.js';
import { geopackage } from './gpkg.js';
import type { ExportContext, Pages } from './types.js';
import {
	EXPORT_FORMAT_NAMES,
	isExportFormat,
	type ExportFormat
} from '../../../domain/registry/export-formats.js';

export { COLUMNS, ATTRIBUTE_COLUMNS, exportSite, type ExportSite } from './columns.js';

/** The formats, by the file extension the routes name them with. */
export const EXPORT_FORMATS: Record<ExportFormat, { type: string }> = {
	geojson: { type: 'application/geo+json; charset=utf-8' },
	csv: { type: 'text/csv; charset=utf-8' },
	xlsx: { type: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet' },
	kml: { type: 'application/vnd.google-earth.kml+xml; charset=utf-8' },
	'shp.zip': { type: 'application/zip' },
	gpkg: { type: 'application/geopackage+sqlite3' }
};
export { isExportFormat, type ExportFormat };

/** Sites a download reads per page. */
export const EXPORT_PAGE_SIZE = 500;

export type ExportRequest = {
	version: number;
	format: ExportFormat;
	/** exact geometry (reviewers); otherwise every site goes through `publicSite` */
	exact: boolean;
	/** the counties whose sites it holds (all when not given) */
	counties?: readonly string[] | undefined;
	/** sites per page read (EXPORT_PAGE_SIZE by default) */
	pageSize?: number;
};

/** The download's file name: Chinese, and an ASCII one for clients that cannot read that. */
export function exportFileName(request: Pick<ExportRequest, 'version' | 'format' | 'exact'>): {
	name: string;
	ascii: string;
} {
	const { version, format, exact } = request;
	return {
		name: `鄂尔多斯市不可移动文物名录-第${version}版${exact ? '-精确坐标' : ''}.${format}`,
		ascii: `ordos-registry-v${version}${exact ? '-exact' : ''}.${format}`
	};
}

/** `attachment` with an ASCII `filename` and the UTF-8 `filename*` (RFC 6266 / 5987). */
export function contentDisposition(name: string, ascii: string): string {
	const encoded = encodeURIComponent(name).replace(
		/['()*]/g,
		(c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`
	);
	return `attachment; filename="${ascii}"; filename*=UTF-8''${encoded}`;
}

/** The bytes of a download, as a generator (the response pulls it; `return()` cleans up). */
export async function* exportBytes(
	store: DataStore,
	dataDir: string,
	request: ExportRequest
): AsyncGenerator<Uint8Array> {
	const { version, format, exact, counties } = request;
	const pages = async function* (): Pages {
		for await (const rows of store.registryVersions.stream(version, {
			...(counties ? { counties } : {}),
			pageSize: request.pageSize ?? EXPORT_PAGE_SIZE
		}))
			yield rows.map((row) => exportSite(row, exact));
	};
	const title = `鄂尔多斯市不可移动文物名录（第 ${version} 版${exact ? '，精确坐标' : ''}）`;
	const tmpDir = join(dataDir, 'tmp-exports', randomUUID());
	const context: ExportContext = { title, layer: '不可移动文物名录', tmpDir };
	const needsFile = format === 'xlsx' || format === 'shp.zip' || format === 'gpkg';
	if (needsFile) await mkdir(tmpDir, { recursive: true });
	try {
		switch (format) {
			case 'geojson':
				yield* geojson(pages(), context);
				break;
			case 'csv':
				yield* csv(pages());
				break;
			case 'kml':
				yield* kml(pages(), context);
				break;
			case 'xlsx':
				yield* xlsx(pages(), context);
				break;
			case 'shp.zip':
				yield* shapefile(pages(), context, `ordos_registry_v${version}`);
				break;
			case 'gpkg':
				yield* geopackage(pages(), context);
				break;
		}
	} finally {
		if (needsFile) await rm(tmpDir, { recursive: true, force: true });
	}
}

/** A generator as a response body the client pulls; cancelling it ends (and cleans up) the generator. */
export function streamOf(bytes: AsyncGenerator<Uint8Array>): ReadableStream<Uint8Array> {
	return new ReadableStream<Uint8Array>(
		{
			async pull(controller) {
				try {
					const { done, value } = await bytes.next();
					if (done) controller.close();
					else controller.enqueue(value);
				} catch (error) {
					controller.error(error);
				}
			},
			async cancel() {
				await bytes.return(undefined);
			}
		},
		{ highWaterMark: 0 }
	);
}

/** The downloads being made now, by file: a second request waits for the same one. */
const making = new Map<string, Promise<string>>();

/** Where the download of `request` is kept: named by version, publication time, variant, format. */
function exportPath(dataDir: string, request: ExportRequest, publishedAt: string): string {
	const counties = request.counties ? [...request.counties].sort().join(',') : 'all';
	// the publication time tells a version apart from one of the same number in another database
	const variant = createHash('sha256')
		.update(`${publishedAt}\u0000${request.exact ? `exact:${counties}` : 'public'}`)
		.digest('hex')
		.slice(0, 16);
	return join(dataDir, 'exports', `v${request.version}-${variant}.${request.format}`);
}

/**
 * The file of a download, made now when it does not exist yet (once, however many ask), or
 * undefined when the version does not exist. Written under a temporary name and renamed when
 * complete, so a file under its own name is always whole.
 */
export async function exportFile(
	store: DataStore,
	dataDir: string,
	request: ExportRequest
): Promise<string | undefined> {
	const meta = await store.registryVersions.get(request.version);
	if (!meta) return undefined;
	const path = exportPath(dataDir, request, meta.publishedAt);
	const pending = making.get(path);
	if (pending) return pending;
	if (
		await stat(path).then(
			() => true,
			() => false
		)
	)
		return path;
	const made = (async () => {
		await mkdir(join(dataDir, 'exports'), { recursive: true });
		const partial = `${path}.${randomUUID()}.partial`;
		try {
			await pipeline(
				Readable.from(exportBytes(store, dataDir, request)),
				createWriteStream(partial)
			);
			await rename(partial, path);
			return path;
		} catch (error) {
			await rm(partial, { force: true });
			throw error;
		}
	})().finally(() => making.delete(path));
	making.set(path, made);
	return made;
}

/**
 * Makes the downloads a new version is asked for first, one file after another: every format
 * for the public and for the city's reviewers (exact, all counties). The server runs it in the
 * background after each publish (`SurveyServer.published`), so no visitor waits while a file
 * of 100,000 sites is made (tens of seconds of CPU for XLSX); a download asked for while its file
 * is being made waits for that same making (`exportFile`). A county reviewer's file (a ninth of
 * the sites) is made on its first request. Stops when `stop()` says so (the server is closing)
 * or a newer version has been published; a failure is logged, and the file is made again on
 * its first request.
 */
export async function premakeDownloads(
	store: DataStore,
	dataDir: string,
	version: number,
	stop: () => boolean
): Promise<void> {
	for (const exact of [false, true]) {
		for (const format of EXPORT_FORMAT_NAMES) {
			if (stop() || (await store.registryVersions.latest()) !== version) return;
			try {
				await exportFile(store, dataDir, { version, format, exact });
			} catch (error) {
				if (stop()) return;
				console.error(`registry v${version} ${format}${exact ? ' (exact)' : ''}:`, error);
			}
		}
	}
}

/** Removes what a stopped server left half made (at start, before any download). */
export async function sweepExports(dataDir: string): Promise<void> {
	await rm(join(dataDir, 'tmp-exports'), { recursive: true, force: true });
	const dir = join(dataDir, 'exports');
	const names = await readdir(dir).catch(() => [] as string[]);
	for (const name of names)
		if (name.endsWith('.partial')) await rm(join(dir, name), { force: true });
}

/** The response of a download (its file, made first when needed), or undefined: no such version. */
export async function exportResponse(
	store: DataStore,
	dataDir: string,
	request: ExportRequest,
	cacheControl: string
): Promise<Response | undefined> {
	const path = await exportFile(store, dataDir, request);
	if (!path) return undefined;
	const { size } = await stat(path);
	const { name, ascii } = exportFileName(request);
	return new Response(streamOf(fileChunks(path)), {
		headers: {
			'content-type': EXPORT_FORMATS[request.format].type,
			'content-length': String(size),
			'content-disposition': contentDisposition(name, ascii),
			'cache-control': cacheControl,
			'x-content-type-options': 'nosniff'
		}
	});
}
