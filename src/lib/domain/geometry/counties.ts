import type { Feature, FeatureCollection, MultiPolygon, Polygon } from 'geojson';

export type CountyProperties = { code: string; name: string };
export type CountyFeature = Feature<Polygon | MultiPolygon, CountyProperties>;
/** County boundaries (`static/data/ordos-counties.geojson`, WGS-84), one feature per 旗区. */
export type CountyCollection = FeatureCollection<Polygon | MultiPolygon, CountyProperties>;

/** The feature of a county, by its GB/T 2260 code. */
export function countyFeature(counties: CountyCollection, code: string): CountyFeature | undefined {
	return counties.features.find((f) => f.properties.code === code);
}

/**
 * Checks that parsed JSON is a usable county collection (the bureau may replace the file):
 * every feature a Polygon or MultiPolygon with a `code` and a `name`.
 */
export function asCountyCollection(
	json: unknown
): { ok: true; value: CountyCollection } | { ok: false; message: string } {
	const fc = json as Partial<CountyCollection> | null;
	if (!fc || fc.type !== 'FeatureCollection' || !Array.isArray(fc.features)) {
		return { ok: false, message: '旗区边界文件不是 GeoJSON FeatureCollection' };
	}
	for (const [i, f] of fc.features.entries()) {
		const type = f?.geometry?.type;
		if (type !== 'Polygon' && type !== 'MultiPolygon') {
			return { ok: false, message: `第 ${i + 1} 个要素不是面（Polygon/MultiPolygon）` };
		}
		if (typeof f.properties?.code !== 'string' || typeof f.properties?.name !== 'string') {
			return { ok: false, message: `第 ${i + 1} 个要素缺少 code 或 name 属性` };
		}
	}
	return { ok: true, value: fc as CountyCollection };
}
