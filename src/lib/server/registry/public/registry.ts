/**
 * The public registry (issue 13 point 4; contract §3 *Public registry* and §5): what a visitor
 * without an account may read of the LATEST published version. Every answer is made of
 * `publicSite` / `publicEntry` output (domain/registry/public-site.ts): a protected site's exact
 * point, altitude, boundary and street address never leave this module, and nothing of the
 * lineage (record ids, surveyors, decisions, comments) does either.
 *
 * A version never changes, so its public index (one small entry per site, generalized) is built
 * once per version and searched in memory; a new publish is seen at the next request (`latest()`
 * is one indexed lookup) and the index of the new version replaces the old one.
 */
import type { DataStore } from '../../db/store.js';
import type { PhotoStore } from '../../photos/store.js';
import { PublicRegistryQueries } from '../../db/public-registry.js';
import { publicSite, type PublicSite } from '../../../domain/registry/public-site.js';
import {
	filterPublic,
	frameOf,
	haystackOf,
	publicEntry,
	PUBLIC_PAGE_SIZE,
	type PublicEntry,
	type PublicFilters
} from '../../../domain/registry/public-search.js';
import { stripMetadata } from './strip-metadata.js';
import type { RecordPhoto } from '../../../domain/schemas/survey-record.js';

type Index = {
	version: number;
	publishedAt: string;
	entries: PublicEntry[];
	haystacks: string[];
	byCode: Map<string, PublicEntry>;
};

/** The index of the newest version each store has built (per store: tests open several). */
const indexes = new WeakMap<DataStore, Promise<Index>>();

/**
 * Reads a version's sites a page at a time, each page its own short query and NOT one read
 * transaction: a version never changes once published, so the pages read the same sites either
 * way, and on SQLite one transaction would hold the process's only connection for the whole
 * build (seconds at 100,000 sites), stalling every other request, pushes included.
 */
async function buildIndex(store: DataStore, version: number): Promise<Index> {
	const meta = await store.registryVersions.get(version);
	const entries: PublicEntry[] = [];
	if (meta) {
		for await (const page of store.registryVersions.stream(version, { pageSize: 2000 })) {
			for (const row of page) entries.push(publicEntry(row.data, row.lost));
		}
	}
	return {
		version: meta ? version : 0,
		publishedAt: meta?.publishedAt ?? '',
		entries,
		haystacks: entries.map(haystackOf),
		byCode: new Map(entries.map((e) => [e.code, e]))
	};
}

/**
 * The public index of the latest published version (version 0, empty, before any publish).
 * The server builds it when it starts and after each publish (`warmPublicIndex`), so the first
 * visitor does not wait for it.
 */
export async function publicIndex(store: DataStore): Promise<Index> {
	const latest = await store.registryVersions.latest();
	const cached = indexes.get(store);
	if (cached) {
		const index = await cached.catch(() => undefined);
		if (index && index.version === latest) return index;
	}
	const building = buildIndex(store, latest);
	indexes.set(store, building);
	return building;
}

/** Builds the latest version's index in the background (a failure is retried on next use). */
export function warmPublicIndex(store: DataStore): void {
	publicIndex(store).catch((error: unknown) => {
		console.error('public registry index:', error);
	});
}

/** `GET /api/public/sites`: a page of the sites matching `filters`, and how many match. */
export type PublicSearch = {
	version: number;
	publishedAt: string;
	total: number;
	page: number;
	pageSize: number;
	sites: PublicEntry[];
};

export async function searchPublic(
	store: DataStore,
	filters: PublicFilters,
	page: number
): Promise<PublicSearch> {
	const index = await publicIndex(store);
	const found = filterPublic(index.entries, index.haystacks, filters);
	const from = (page - 1) * PUBLIC_PAGE_SIZE;
	return {
		version: index.version,
		publishedAt: index.publishedAt,
		total: found.length,
		page,
		pageSize: PUBLIC_PAGE_SIZE,
		sites: found.slice(from, from + PUBLIC_PAGE_SIZE)
	};
}

/** A point of the public map layer: the public point, never the exact one of a protected site. */
export type PublicMapPoint = Pick<PublicEntry, 'code' | 'name' | 'lat' | 'lon' | 'generalized'>;

/** `GET /api/public/points`: every matching site's public point, and the frame the map may take. */
export async function publicPoints(
	store: DataStore,
	filters: PublicFilters
): Promise<{ version: number; points: PublicMapPoint[]; frame: ReturnType<typeof frameOf> }> {
	const index = await publicIndex(store);
	const found = filterPublic(index.entries, index.haystacks, filters);
	const points = found.map(({ code, name, lat, lon, generalized }) => ({
		code,
		name,
		lat,
		lon,
		generalized
	}));
	return { version: index.version, points, frame: frameOf(points) };
}

/** A public photo of a site: its place in the site's photo register, and what it shows. */
export type PublicPhoto = { n: number; kind: string; direction?: string };

/** `GET /api/public/sites/{code}`: the public form of one site of the latest version. */
export type PublicSiteDetail = {
	version: number;
	publishedAt: string;
	site: PublicSite & { lost: boolean; lostReason: string | null; sinceVersion: number };
	photos: PublicPhoto[];
	frame: ReturnType<typeof frameOf>;
};

/** The photos of a published site that may be public: those of the record it came from. */
async function photosOf(
	tx: DataStore,
	row: { recordId: string | null; recordRevision: number | null }
): Promise<RecordPhoto[]> {
	if (!row.recordId || row.recordRevision === null) return [];
	return new PublicRegistryQueries(tx.db).revisionPhotos(row.recordId, row.recordRevision);
}

export async function publicSiteDetail(
	store: DataStore,
	code: string
): Promise<PublicSiteDetail | undefined> {
	const index = await publicIndex(store);
	if (!index.byCode.has(code)) return undefined;
	return store.read(async (tx) => {
		const row = await tx.registryVersions.site(index.version, code);
		if (!row) return undefined;
		const site = publicSite(row.data);
		const photos = (await photosOf(tx, row)).map((p, n) => ({
			n,
			kind: p.kind,
			...(p.direction ? { direction: p.direction } : {})
		}));
		return {
			version: index.version,
			publishedAt: index.publishedAt,
			site: {
				...site,
				lost: row.lost,
				lostReason: row.lostReason,
				sinceVersion: row.sinceVersion
			},
			photos,
			frame: frameOf([{ ...site.location, generalized: site.generalized }])
		};
	});
}

/**
 * Photo `n` of a published site of the latest version, without any metadata (strip-metadata.ts),
 * or undefined when the site, the photo or its bytes are not there or cannot be cleaned.
 */
export async function publicPhoto(
	store: DataStore,
	photoStore: PhotoStore,
	code: string,
	n: number
): Promise<{ mime: string; bytes: Uint8Array; etag: string } | undefined> {
	const index = await publicIndex(store);
	if (!index.byCode.has(code)) return undefined;
	const found = await store.read(async (tx) => {
		const row = await tx.registryVersions.site(index.version, code);
		if (!row) return undefined;
		const photo = (await photosOf(tx, row))[n];
		if (!photo) return undefined;
		const stored = await tx.photos.get(photo.sha256);
		return stored && { sha256: photo.sha256, mime: stored.mime };
	});
	if (!found || !(await photoStore.has(found.sha256))) return undefined;
	const chunks: Buffer[] = [];
	for await (const chunk of photoStore.read(found.sha256)) chunks.push(chunk as Buffer);
	const bytes = stripMetadata(found.mime, new Uint8Array(Buffer.concat(chunks)));
	if (!bytes) return undefined;
	// the tag names the version and the place, never the original bytes' hash
	return { mime: found.mime, bytes, etag: `"v${index.version}-${code}-${n}"` };
}
