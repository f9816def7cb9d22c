import type { RegisteredSite } from '../schemas/site.js';

/**
 * What the work list and the map need of a registered site: small enough that 20,000 of them
 * load quickly. The full entry is read only when one site is opened.
 */
export type SiteSummary = Pick<
	RegisteredSite,
	'code' | 'countyCode' | 'name' | 'township' | 'category' | 'protectionLevel'
> & { village: string; lat: number; lon: number };

export function summarizeSite(site: RegisteredSite): SiteSummary {
	return {
		code: site.code,
		countyCode: site.countyCode,
		name: site.name,
		township: site.township,
		village: site.village ?? '',
		category: site.category,
		protectionLevel: site.protectionLevel,
		lat: site.location.lat,
		lon: site.location.lon
	};
}

export type SiteFilters = {
	/** Free text matched against name, code, township and village (case-insensitive). */
	query?: string;
	category?: string | null;
	protectionLevel?: string | null;
};

type Searchable = Pick<
	SiteSummary,
	'name' | 'code' | 'township' | 'category' | 'protectionLevel'
> & {
	village?: string | null | undefined;
};

/** One lower-cased haystack per site, in the order of `sites`; build once per site list. */
export function buildSearchIndex(sites: readonly Searchable[]): string[] {
	return sites.map((s) =>
		`${s.name}\u0000${s.code}\u0000${s.township}\u0000${s.village ?? ''}`.toLowerCase()
	);
}

/**
 * The sites matching every filter, in their original order. Whitespace separates terms, and
 * every term must match (so "纳林 遗址" finds the 遗址 of 纳林陶亥镇).
 */
export function searchSites<T extends Searchable>(
	sites: readonly T[],
	index: readonly string[] | (() => readonly string[]),
	filters: SiteFilters
): T[] {
	const terms = (filters.query ?? '').toLowerCase().split(/\s+/).filter(Boolean);
	const { category, protectionLevel } = filters;
	if (terms.length === 0 && !category && !protectionLevel) return sites.slice();
	// The index may be built on demand: the unfiltered list at start-up never needs it.
	const haystacks = typeof index === 'function' && terms.length > 0 ? index() : index;
	const out: T[] = [];
	for (let i = 0; i < sites.length; i++) {
		const site = sites[i]!;
		if (category && site.category !== category) continue;
		if (protectionLevel && site.protectionLevel !== protectionLevel) continue;
		if (terms.length === 0) {
			out.push(site);
			continue;
		}
		const hay = (haystacks as readonly string[])[i]!;
		let ok = true;
		for (const t of terms) {
			if (!hay.includes(t)) {
				ok = false;
				break;
			}
		}
		if (ok) out.push(site);
	}
	return out;
}
