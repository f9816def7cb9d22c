/**
 * What the public may know of a published site (contract §5, issue 13 point 4). Exact
 * locations of sites are sensitive (looting): a site whose `openStatus` is not 开放 is
 * *protected*, and every public output — pages, JSON, map layers, downloads, sitemap, page
 * metadata — takes it through `publicSite`, never the stored entry.
 *
 * - A protected site's point is generalized to the centre of its 0.01° cell (about 1 km). The
 *   cell is a function of the exact point alone, so the same site always lands on the same
 *   public point: repeating a request, or comparing versions, reveals nothing more.
 * - Its boundary, altitude and street address are left out (the township and village stay),
 *   and so is its 简介 (description): the census form's 简介 opens with where the site lies
 *   (“位于某镇某村北约1.4公里沟畔台地”), which from the village narrows it to a few hundred metres,
 *   finer than the generalized point.
 * - An open (开放) site is published as it is.
 *
 * Pure: shared by the server's public routes and downloads.
 */
import type { PublishedSiteData } from './publish.js';

/** The generalization step of a protected site's point, in degrees (contract §5). */
export const GENERALIZE_STEP = 0.01;

/** Whether the public may see the site's exact geometry (contract §5: only when 开放). */
export function isProtected(site: Pick<PublishedSiteData, 'openStatus'>): boolean {
	return site.openStatus !== '开放';
}

/**
 * The centre of the 0.01° cell holding `value` (a latitude or longitude), rounded to the
 * cell's precision so the text is the same wherever it is computed.
 */
export function generalizeCoordinate(value: number): number {
	const cells = 1 / GENERALIZE_STEP;
	// the small epsilon keeps a value sitting on a cell line (e.g. 39.81 read as 39.8099999…)
	// in the cell it names
	const cell = Math.floor(value * cells + 1e-9);
	return Number(((cell + 0.5) / cells).toFixed(3));
}

/** A point as the public sees it: generalized for a protected site, exact for an open one. */
export function publicPoint(site: Pick<PublishedSiteData, 'openStatus' | 'location'>): {
	lat: number;
	lon: number;
	generalized: boolean;
} {
	const { lat, lon } = site.location;
	return isProtected(site)
		? { lat: generalizeCoordinate(lat), lon: generalizeCoordinate(lon), generalized: true }
		: { lat, lon, generalized: false };
}

/** A published site as the public may read it. */
export type PublicSite = Omit<
	PublishedSiteData,
	'location' | 'boundary' | 'address' | 'description'
> & {
	location: { lat: number; lon: number; altitude?: number | undefined };
	/** true when `location` is the generalized point of a protected site */
	generalized: boolean;
	address?: string;
	/** left out for a protected site */
	description?: string;
	boundary?: PublishedSiteData['boundary'];
};

/**
 * The public form of a published site: a protected one without its exact point, altitude,
 * boundary, street address or description; an open one unchanged.
 */
export function publicSite(site: PublishedSiteData): PublicSite {
	if (!isProtected(site)) return { ...site, generalized: false };
	// a rest pattern, not `delete`: deleting turns every site object into a slow dictionary, and
	// a download takes 100,000 sites through here
	const {
		boundary: _boundary,
		address: _address,
		description: _description,
		location,
		...rest
	} = site;
	return {
		...rest,
		location: { lat: generalizeCoordinate(location.lat), lon: generalizeCoordinate(location.lon) },
		generalized: true
	};
}
