import { COUNTIES, COUNTY_CODES, countyName } from '../codelists/index.js';
import type { CountyCollection, CountyFeature } from '../geometry/counties.js';
import { checkPolygonalStructure, geodesicAreaM2 } from '../geometry/measure.js';

/*
 * The bureau's own county boundaries (issue 13 point 1): a GeoJSON FeatureCollection that MUST
 * have one Polygon/MultiPolygon feature per county of the nine (by `properties.code`), usable
 * (closed rings of at least four finite positions), in WGS-84/CGCS2000 longitude/latitude, inside the area
 * of Ordos. Each problem says which feature and how to fix it, in Chinese.
 */

export type CountyProblem = { feature: number; code: string; message: string };

export type CountyCheck = {
	problems: CountyProblem[];
	/** the features with `{code, name}` properties only, in code order (when no problem) */
	collection: CountyCollection | undefined;
	/** each county's area in km² (of the features that could be measured) */
	areas: Map<string, number>;
};

/** The area the boundaries must lie in: Ordos with a margin (its counties' extent ± 0.3°). */
export const ORDOS_AREA = { west: 106.4, south: 37.3, east: 111.6, north: 40.9 } as const;

const CRS_ALLOWED = /(CRS84|EPSG::?4326|EPSG::?4490|WGS ?84|CGCS ?2000)/i;

function codeOf(properties: Record<string, unknown> | null | undefined): string {
	const value =
		properties?.code ?? properties?.adcode ?? properties?.CODE ?? properties?.['代码'] ?? '';
	return String(value).trim();
}

function outsideArea(coordinates: unknown): number[] | undefined {
	if (Array.isArray(coordinates) && typeof coordinates[0] === 'number') {
		const [x, y] = coordinates as number[];
		const inside =
			x! >= ORDOS_AREA.west &&
			x! <= ORDOS_AREA.east &&
			y! >= ORDOS_AREA.south &&
			y! <= ORDOS_AREA.north;
		return inside ? undefined : [x!, y!];
	}
	if (Array.isArray(coordinates)) {
		for (const c of coordinates) {
			const bad = outsideArea(c);
			if (bad) return bad;
		}
	}
	return undefined;
}

export function checkCountyBoundaries(json: unknown): CountyCheck {
	const problems: CountyProblem[] = [];
	const areas = new Map<string, number>();
	const fc = json as {
		type?: unknown;
		features?: unknown;
		crs?: { properties?: { name?: unknown } };
	} | null;
	if (
		!fc ||
		typeof fc !== 'object' ||
		fc.type !== 'FeatureCollection' ||
		!Array.isArray(fc.features)
	) {
		problems.push({
			feature: 0,
			code: '',
			message:
				'文件不是 GeoJSON FeatureCollection：请从 GIS 软件导出 GeoJSON（要素集合），每个旗区一个面要素'
		});
		return { problems, collection: undefined, areas };
	}
	const crs = fc.crs?.properties?.name;
	if (crs !== undefined && !CRS_ALLOWED.test(String(crs))) {
		problems.push({
			feature: 0,
			code: '',
			message: `坐标系“${String(crs).slice(0, 80)}”不是经纬度：请导出为 WGS-84 或 CGCS2000 经纬度（EPSG:4326/4490）`
		});
	}
	const seen = new Map<string, number>();
	const features: CountyFeature[] = [];
	(fc.features as unknown[]).forEach((raw, i) => {
		const n = i + 1;
		const f = raw as {
			type?: unknown;
			geometry?: { type?: unknown; coordinates?: unknown };
			properties?: Record<string, unknown>;
		};
		const code = codeOf(f?.properties);
		const report = (message: string) => problems.push({ feature: n, code, message });
		if (!(COUNTY_CODES as string[]).includes(code)) {
			report(
				code
					? `第 ${n} 个要素的旗区代码“${code.slice(0, 20)}”不是九个旗区之一：应为 ${COUNTIES.map((c) => `${c.code} ${c.name}`).join('、')}`
					: `第 ${n} 个要素没有旗区代码：请在属性中加上 code（如 150627）`
			);
			return;
		}
		const first = seen.get(code);
		if (first !== undefined) {
			report(
				`第 ${n} 个要素与第 ${first} 个要素都是 ${countyName(code)}（${code}）：每个旗区只能有一个要素，请合并为一个 MultiPolygon`
			);
			return;
		}
		seen.set(code, n);
		const type = f.geometry?.type;
		if (type !== 'Polygon' && type !== 'MultiPolygon') {
			report(`${countyName(code)}的要素不是面（Polygon/MultiPolygon）：请导出面要素`);
			return;
		}
		const bad = outsideArea(f.geometry?.coordinates);
		if (bad) {
			report(
				`${countyName(code)}的边界有坐标（${bad.map((v) => String(v).slice(0, 14)).join(', ')}）不在鄂尔多斯范围内：须为 WGS-84/CGCS2000 经纬度（经度在前），不能是投影坐标（米）或 GCJ-02`
			);
			return;
		}
		// closed rings of finite positions, as point-in-polygon needs; a self-touching vertex, as
		// GIS exports have (the bundled file too), is no reason to refuse official boundaries
		const valid = checkPolygonalStructure(f.geometry);
		if (!valid.ok) {
			report(`${countyName(code)}的边界无效：${valid.issues[0]?.message ?? '请检查坐标'}`);
			return;
		}
		const area = geodesicAreaM2(valid.value);
		if (area.ok) areas.set(code, area.value / 1e6);
		features.push({
			type: 'Feature',
			properties: { code, name: countyName(code) },
			geometry: valid.value
		});
	});
	for (const county of COUNTIES) {
		if (!seen.has(county.code)) {
			problems.push({
				feature: 0,
				code: county.code,
				message: `文件中没有${county.name}（${county.code}）：九个旗区须各有一个要素`
			});
		}
	}
	features.sort((a, b) => (a.properties.code < b.properties.code ? -1 : 1));
	return {
		problems,
		collection: problems.length === 0 ? { type: 'FeatureCollection', features } : undefined,
		areas
	};
}
