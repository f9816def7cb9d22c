/**
 * Searching the public registry (issue 13 point 4). Pure: the server builds the index of the
 * latest version once (a version never changes) and answers every search from it.
 *
 * - Every entry is made by `publicEntry`, from `publicSite`: the index holds no exact point of
 *   a protected site, so nothing searched, ranked, paged or mapped from it can reveal one.
 * - A query matches by substring of the name or the code, case-insensitively: a two-character
 *   name such as 石城 matches (no word or token splitting). Whitespace separates terms, and every
 *   term must match.
 * - Results MUST stay in code order: never ranked by distance from anything (the order of an
 *   exact point would leak it).
 */
import type { PublishedSiteData } from './publish.js';
import { publicSite } from './public-site.js';
import { COUNTY_CODES, CATEGORIES, ERA_GROUPS, PROTECTION_LEVELS } from '../codelists/index.js';

/** One site of the public list and map: public fields only, the point already generalized. */
export type PublicEntry = {
	code: string;
	countyCode: string;
	name: string;
	township: string;
	category: string;
	eraGroup: string;
	era: string;
	protectionLevel: string;
	lost: boolean;
	lat: number;
	lon: number;
	/** true when the point is the generalized one of a protected site */
	generalized: boolean;
};

/** The public entry of a published site (its geometry through `publicSite`). */
export function publicEntry(site: PublishedSiteData, lost: boolean): PublicEntry {
	const p = publicSite(site);
	return {
		code: p.code,
		countyCode: p.countyCode,
		name: p.name ?? '',
		township: p.township ?? '',
		category: p.category ?? '',
		eraGroup: p.eraGroup ?? '',
		era: p.era ?? '',
		protectionLevel: p.protectionLevel ?? '',
		lost,
		lat: p.location.lat,
		lon: p.location.lon,
		generalized: p.generalized
	};
}

/** The filters of a public search; every one optional. */
export type PublicFilters = {
	q?: string;
	county?: string;
	category?: string;
	eraGroup?: string;
	level?: string;
	/** true: lost sites only; false: those not lost */
	lost?: boolean;
};

/** Sites per page of the public list. */
export const PUBLIC_PAGE_SIZE = 20;
/** The longest query the search takes (longer text is cut). */
export const PUBLIC_QUERY_MAX = 100;

export type ParsedFilters =
	{ ok: true; filters: PublicFilters; page: number } | { ok: false; error: string };

const pick = <T extends string>(list: readonly T[], value: string | null): T | undefined =>
	value !== null && (list as readonly string[]).includes(value) ? (value as T) : undefined;

/**
 * The filters and page of a query string (`q`, `county`, `category`, `eraGroup`, `level`,
 * `lost`, `page`): empty values are absent; an unknown code list value or a bad page is an error
 * in Chinese saying what is allowed.
 */
export function parsePublicQuery(params: URLSearchParams): ParsedFilters {
	const filters: PublicFilters = {};
	const text = (name: string) => {
		const v = params.get(name);
		return v === null || v.trim() === '' ? null : v.trim();
	};
	const q = text('q');
	if (q) filters.q = q.slice(0, PUBLIC_QUERY_MAX);
	const lists = [
		['county', COUNTY_CODES, '旗区代码'],
		['category', CATEGORIES, '类别'],
		['eraGroup', ERA_GROUPS, '统计年代'],
		['level', PROTECTION_LEVELS, '保护级别']
	] as const;
	for (const [name, list, label] of lists) {
		const value = text(name);
		if (value === null) continue;
		const chosen = pick(list, value);
		if (!chosen) return { ok: false, error: `${label}“${value}”不在代码表中：请从列表中选择` };
		filters[name] = chosen;
	}
	const lost = text('lost');
	if (lost !== null) {
		if (lost !== 'true' && lost !== 'false')
			return { ok: false, error: 'lost 只能是 true（已消失）或 false（现存）' };
		filters.lost = lost === 'true';
	}
	const pageText = text('page');
	const page = pageText === null ? 1 : Number(pageText);
	if (!Number.isInteger(page) || page < 1 || page > 100_000)
		return { ok: false, error: `页码“${pageText}”无效：应为从 1 开始的整数` };
	return { ok: true, filters, page };
}

/** The lower-cased haystack of an entry (name and code): build once per index. */
export function haystackOf(entry: Pick<PublicEntry, 'name' | 'code'>): string {
	return `${entry.name}\u0000${entry.code}`.toLowerCase();
}

/** The entries matching every filter, in the index's order (code order). */
export function filterPublic(
	entries: readonly PublicEntry[],
	haystacks: readonly string[],
	filters: PublicFilters
): PublicEntry[] {
	const terms = (filters.q ?? '').toLowerCase().split(/\s+/).filter(Boolean);
	const out: PublicEntry[] = [];
	for (let i = 0; i < entries.length; i++) {
		const e = entries[i]!;
		if (filters.county && e.countyCode !== filters.county) continue;
		if (filters.category && e.category !== filters.category) continue;
		if (filters.eraGroup && e.eraGroup !== filters.eraGroup) continue;
		if (filters.level && e.protectionLevel !== filters.level) continue;
		if (filters.lost !== undefined && e.lost !== filters.lost) continue;
		if (terms.length > 0) {
			const hay = haystacks[i]!;
			if (!terms.every((t) => hay.includes(t))) continue;
		}
		out.push(e);
	}
	return out;
}

/**
 * The map's frame for a set of public points: their bounds, and the closest zoom it may take.
 * A generalized point is only good to its 0.01° cell, so a frame holding one MUST NOT zoom past
 * `GENERALIZED_MAX_ZOOM` (a closer zoom would only show the cell centre bigger, and invite the
 * eye to read it as the site).
 */
export const GENERALIZED_MAX_ZOOM = 14;
export const EXACT_MAX_ZOOM = 17;

export function frameOf(
	points: readonly Pick<PublicEntry, 'lat' | 'lon' | 'generalized'>[]
): { south: number; west: number; north: number; east: number; maxZoom: number } | null {
	if (points.length === 0) return null;
	let south = 90;
	let north = -90;
	let west = 180;
	let east = -180;
	let generalized = false;
	for (const p of points) {
		south = Math.min(south, p.lat);
		north = Math.max(north, p.lat);
		west = Math.min(west, p.lon);
		east = Math.max(east, p.lon);
		if (p.generalized) generalized = true;
	}
	return {
		south,
		west,
		north,
		east,
		maxZoom: generalized ? GENERALIZED_MAX_ZOOM : EXACT_MAX_ZOOM
	};
}

/** The query string of filters and a page, for links (empty values left out). */
export function publicQueryString(filters: PublicFilters, page = 1): string {
	const params = new URLSearchParams();
	if (filters.q) params.set('q', filters.q);
	if (filters.county) params.set('county', filters.county);
	if (filters.category) params.set('category', filters.category);
	if (filters.eraGroup) params.set('eraGroup', filters.eraGroup);
	if (filters.level) params.set('level', filters.level);
	if (filters.lost !== undefined) params.set('lost', String(filters.lost));
	if (page > 1) params.set('page', String(page));
	const s = params.toString();
	return s ? `?${s}` : '';
}
