import type { RegisteredSite } from '../schemas/site.js';

export type SiteFilters = {
	/** Free text matched against name, code, township and village (case-insensitive). */
	query?: string;
	category?: string | null;
	protectionLevel?: string | null;
};

/** One lower-cased haystack per site, in the order of `sites`; build once per site list. */
export function buildSearchIndex(sites: readonly RegisteredSite[]): string[] {
	return sites.map((s) =>
		`${s.name}\u0000${s.code}\u0000${s.township}\u0000${s.village ?? ''}`.toLowerCase()
	);
}

/**
 * The sites matching every filter, in their original order. Whitespace separates terms, and
 * every term must match (so "纳林 遗址" finds the 遗址 of 纳林陶亥镇).
 */
export function searchSites<T extends RegisteredSite>(
	sites: readonly T[],
	index: readonly string[],
	filters: SiteFilters
): T[] {
	const terms = (filters.query ?? '').toLowerCase().split(/\s+/).filter(Boolean);
	const { category, protectionLevel } = filters;
	if (terms.length === 0 && !category && !protectionLevel) return sites.slice();
	const out: T[] = [];
	for (let i = 0; i < sites.length; i++) {
		const site = sites[i]!;
		if (category && site.category !== category) continue;
		if (protectionLevel && site.protectionLevel !== protectionLevel) continue;
		const hay = index[i]!;
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
