import { asCountyCollection, type CountyCollection } from '$lib/domain/geometry/counties.js';

/** Where the county boundaries are served; a static asset the service worker precaches. */
export const COUNTIES_URL = '/data/ordos-counties.geojson';

/** Fetches the county boundaries (from the service worker's cache when offline). */
export async function fetchCounties(fetcher: typeof fetch = fetch): Promise<CountyCollection> {
	const response = await fetcher(COUNTIES_URL);
	if (!response.ok) throw new Error(`旗区边界文件无法读取（${response.status}）`);
	const checked = asCountyCollection(await response.json());
	if (!checked.ok) throw new Error(checked.message);
	return checked.value;
}
