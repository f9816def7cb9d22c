/** Where the township/village lists are served; precached by the service worker. */
export const DIVISIONS_URL = '/data/ordos-divisions.json';

export type Village = { code: string; name: string };
export type Township = { code: string; name: string; villages: Village[] };
type Divisions = { counties: { code: string; name: string; townships: Township[] }[] };

/** The townships of a county with their villages (乡镇/街道/苏木 → 村/社区/嘎查). */
export async function townshipsOf(countyCode: string): Promise<Township[]> {
	const response = await fetch(DIVISIONS_URL);
	if (!response.ok) throw new Error(`乡镇村名单无法读取（${response.status}）`);
	const divisions = (await response.json()) as Divisions;
	return divisions.counties.find((c) => c.code === countyCode)?.townships ?? [];
}
