/**
 * What the reviewer's record page reads besides the record itself: its place in the queue the
 * reviewer came from (prev/next under the same filter), the registered sites and records near it,
 * and which decision the user may take on it.
 */
import { COUNTY_CODES, type RecordStatus } from '../../domain/codelists/index.js';
import type { ReviewQueueQuery } from '../../domain/sync/wire.js';
import type { DataStore } from '../db/store.js';
import { reviewTurn } from '../../domain/review/turns.js';
import type { Principal } from '../auth/roles.js';
import { readQueueQuery } from './queue.js';
import { NEARBY_MAX_M, neighboursWithin, type Neighbour } from '../../review/record-geo.js';
import { queueSearch } from '../../review/queue-url.js';

export type QueueStep = { id: string; search: string };
export type QueuePlace = {
	/** The queue's search part ('' or `?…`), for the way back. */
	search: string;
	prev: QueueStep | null;
	next: QueueStep | null;
	/** 1-based position in the whole filtered queue, and its size; null when not in it. */
	position: number | null;
	total: number;
};

/** Parameters of the record page that are not the queue's. */
const OWN_PARAMS = new Set<string>();

/** The queue's query carried by the record page's URL; the default queue when it is not valid. */
function carriedQuery(user: Principal, url: URL): { query: ReviewQueueQuery; counties: string[] } {
	const params = new URLSearchParams(
		[...url.searchParams].filter(([key, value]) => value !== '' && !OWN_PARAMS.has(key))
	);
	const read = readQueueQuery(user, params);
	if (read.ok) return { query: read.query, counties: read.counties };
	const fallback = readQueueQuery(user, new URLSearchParams());
	return fallback.ok
		? { query: fallback.query, counties: fallback.counties }
		: { query: {}, counties: [] };
}

/**
 * Where record `id` stands in the queue the page's URL describes (its filter, sort and page): the
 * records before and after it, across a page boundary too. Each step's search names its page.
 */
export async function queuePlace(
	store: DataStore,
	user: Principal,
	url: URL,
	id: string
): Promise<QueuePlace> {
	const { query, counties } = carriedQuery(user, url);
	const size = query.limit ?? 50;
	const page = query.page ?? 1;
	const search = queueSearch(query, { page: page > 1 ? String(page) : '' });
	// the page's ids and one on either side of it (the last of the page before, the first of the
	// page after), and the queue's size: two queries side by side, no record's row read
	const first = (page - 1) * size;
	const from = Math.max(0, first - 1);
	const [ids, { total }] = await Promise.all([
		store.reviewQueue.ids(counties, query, from, first + size + 1 - from),
		store.reviewQueue.count(counties, query)
	]);
	const here = ids.slice(first - from, first - from + size);
	const index = here.indexOf(id);
	const none = { search, prev: null, next: null, position: null, total };
	if (index < 0) return none;
	const step = (rowId: string, p: number): QueueStep => ({
		id: rowId,
		search: queueSearch(query, { page: p > 1 ? String(p) : '' })
	});
	const at = first - from + index;
	const before = ids[at - 1];
	const after = ids[at + 1];
	return {
		search,
		prev: before === undefined ? null : step(before, index > 0 ? page : page - 1),
		next: after === undefined ? null : step(after, index < size - 1 ? page : page + 1),
		position: first + index + 1,
		total
	};
}

/**
 * The registered sites (of any county: the registry is public) and the user's records (never
 * another county's) within NEARBY_MAX_M of the point, nearest first; the record itself left out.
 */
export async function nearbyOf(
	store: DataStore,
	user: Principal,
	record: { id: string; lat: number; lon: number }
): Promise<Neighbour[]> {
	return store.read(async ({ registry, records }) => {
		const candidates: Omit<Neighbour, 'distanceM'>[] = [];
		for (const site of await registry.ofCounties(COUNTY_CODES)) {
			// a cheap box before the real distance: 0.05° is over 4 km everywhere in Ordos
			if (Math.abs(site.location.lat - record.lat) > 0.05) continue;
			if (Math.abs(site.location.lon - record.lon) > 0.07) continue;
			candidates.push({
				kind: 'site',
				id: site.code,
				name: site.name,
				lat: site.location.lat,
				lon: site.location.lon,
				detail: site.code
			});
		}
		const counties = COUNTY_CODES.filter((c) => user.counties.includes(c));
		for (const row of await records.near(record.lat, record.lon, NEARBY_MAX_M, counties)) {
			if (row.id === record.id) continue;
			candidates.push({
				kind: 'record',
				id: row.id,
				// the row keeps the name trimmed (or null) and the site code (or null)
				name: row.name || row.siteCode || row.id.slice(0, 8),
				lat: row.lat,
				lon: row.lon,
				detail: `${row.kind} · ${row.status}`
			});
		}
		return neighboursWithin(record, candidates, NEARBY_MAX_M);
	});
}

export type DecisionTurn =
	{ ok: true } | { ok: false; why: 'role' | 'status'; needs?: RecordStatus };

/** Whether `role` decides a record in `status` (REVIEW_TURNS), and why not when it does not. */
export function decisionTurn(role: string, status: RecordStatus): DecisionTurn {
	const needs = reviewTurn(role)?.from;
	if (!needs) return { ok: false, why: 'role' };
	return needs === status ? { ok: true } : { ok: false, why: 'status', needs };
}
