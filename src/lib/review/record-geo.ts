/** What the record page's map and its list of possible duplicates need, as plain functions. */
import type { PHOTO_DIRECTIONS } from '$lib/domain/codelists/index.js';
import distance from '@turf/distance';

/** Metres between two points (Turf, great circle), rounded to 0.1 m. */
export function metresBetween(
	a: { lat: number; lon: number },
	b: { lat: number; lon: number }
): number {
	const km = distance([a.lon, a.lat], [b.lon, b.lat], { units: 'kilometers' });
	return Math.round(km * 10_000) / 10;
}

/**
 * The compass bearing a photo looks towards (degrees clockwise from north), from its 拍摄方位
 * (由X向Y: taken from X, looking towards Y); null for 俯拍, 其他 and an absent direction.
 */
const BEARINGS: Partial<Record<(typeof PHOTO_DIRECTIONS)[number], number>> = {
	由南向北: 0,
	由西南向东北: 45,
	由西向东: 90,
	由西北向东南: 135,
	由北向南: 180,
	由东北向西南: 225,
	由东向西: 270,
	由东南向西北: 315
};

export function directionBearing(direction: string | null | undefined): number | null {
	if (!direction) return null;
	return BEARINGS[direction as keyof typeof BEARINGS] ?? null;
}

/** The furthest the reviewer may look for neighbours, and where the page starts. */
export const NEARBY_MAX_M = 5000;
export const NEARBY_DEFAULT_M = 500;
/** A 新发现 this close to a registered site may be that site (the queue flags it too). */
export const NEAR_SITE_M = 100;

/** A registered site or another record near the one under review. */
export type Neighbour = {
	kind: 'site' | 'record';
	/** The site's code, or the record's id. */
	id: string;
	name: string;
	lat: number;
	lon: number;
	/** Metres from the record's point. */
	distanceM: number;
	/** A site's code or a record's status, for the list. */
	detail?: string;
};

/**
 * The candidates within `maxM` metres of `at`, nearest first, each with its distance. Points
 * further than NEARBY_MAX_M are never kept, whatever `maxM` says.
 */
export function neighboursWithin(
	at: { lat: number; lon: number },
	candidates: readonly Omit<Neighbour, 'distanceM'>[],
	maxM: number
): Neighbour[] {
	const limit = Math.min(Math.max(0, maxM), NEARBY_MAX_M);
	return candidates
		.map((c) => ({ ...c, distanceM: metresBetween(at, c) }))
		.filter((c) => c.distanceM <= limit)
		.sort((a, b) => a.distanceM - b.distanceM || a.id.localeCompare(b.id));
}

/** The registered sites a 新发现 lies within NEAR_SITE_M of (none for a 复查). */
export function nearSites(kind: string, neighbours: readonly Neighbour[]): Neighbour[] {
	if (kind !== '新发现') return [];
	return neighbours.filter((n) => n.kind === 'site' && n.distanceM <= NEAR_SITE_M);
}

/** The reviewer's distance from the input: a whole number of metres within bounds, or null. */
export function readDistance(text: string): number | null {
	if (!/^\s*\d{1,5}\s*$/.test(text)) return null;
	const n = Number(text);
	return n >= 1 && n <= NEARBY_MAX_M ? n : null;
}
