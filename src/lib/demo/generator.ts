import turfArea from '@turf/area';
import {
	COUNTIES,
	type Category,
	type CountyCode,
	type EraGroup,
	type ProtectionLevel,
	type Threat
} from '../domain/codelists/index.js';
import { countyFeature, type CountyCollection } from '../domain/geometry/counties.js';
import type { RegisteredSite } from '../domain/schemas/site.js';
import { DEMO_PREFIX, DEMO_SUFFIX, describeSite } from './descriptions.js';
import { PreparedCounty, SpacingIndex, irregularRing, ringToPolygon, round6 } from './geo.js';
import {
	DIRECTIONS,
	NATURAL_PLACE_NAMES,
	chineseNumber,
	isNameableVillage,
	isRuralTownship,
	isStatisticalUnit,
	townshipBase,
	villageBase,
	villageShort
} from './names.js';
import {
	CATEGORY_SHARES,
	MINING_COUNTIES,
	SANDY_COUNTIES,
	SUB_PROFILES,
	SUB_WEIGHTS,
	threatPool,
	type EraOption,
	type SubProfile,
	type Variant
} from './profiles.js';
import { REAL_SITES, type RealSite } from './real-sites.js';
import { Rng, type Weighted } from './rng.js';

/** The division list (`static/data/ordos-divisions.json`): townships and villages per county. */
export type Divisions = {
	counties: readonly {
		code: string;
		name: string;
		townships: readonly {
			code: string;
			name: string;
			villages: readonly { code: string; name: string }[];
		}[];
	}[];
};
type Township = Divisions['counties'][number]['townships'][number];
type Village = Township['villages'][number];

export type DemoRegistryOptions = {
	/** 32-bit integer seed; the same seed and inputs give byte-identical output. */
	seed?: number;
	/** Total number of sites, real ones included (959 by default, at most 9999 per county). */
	count?: number;
	counties: CountyCollection;
	divisions: Divisions;
	/** Include the real sites of codelists `ordosSites` (default true). */
	includeRealSites?: boolean;
};

/** 2024-04-30, the census' standard time point. */
export const DEFAULT_DEMO_SEED = 20240430;
/** Ordos' registered immovable relics (鄂府发〔2024〕6号). */
export const DEFAULT_DEMO_COUNT = 959;

/** Distance kept from the county border, metres (plus the site's own radius). */
const BORDER_MARGIN_M = 1_600;
/** Distance kept between site centres, metres. */
const MIN_GAP_M = 250;
/** Smallest share of the sites any county gets. */
const MIN_COUNTY_SHARE = 0.01;
const MAX_PLACEMENT_TRIES = 20_000;

/**
 * Splits `count` into integer parts proportional to `weights`, each at least its `minimum`
 * (as long as the minimums fit), by water-filling and then largest remainders. Deterministic.
 */
export function allocateCounts(
	count: number,
	weights: readonly number[],
	minimums: readonly number[]
): number[] {
	const n = weights.length;
	const fixed: (number | null)[] = new Array<number | null>(n).fill(null);
	for (;;) {
		let rest = count;
		let weightSum = 0;
		for (let i = 0; i < n; i++) {
			if (fixed[i] !== null) rest -= fixed[i]!;
			else weightSum += weights[i]!;
		}
		let changed = false;
		for (let i = 0; i < n; i++) {
			if (fixed[i] !== null) continue;
			const target = weightSum > 0 ? (rest * weights[i]!) / weightSum : 0;
			if (target < minimums[i]!) {
				fixed[i] = minimums[i]!;
				changed = true;
			}
		}
		if (!changed) {
			const out = new Array<number>(n).fill(0);
			const remainders: [number, number][] = [];
			let used = 0;
			for (let i = 0; i < n; i++) {
				if (fixed[i] !== null) {
					out[i] = fixed[i]!;
				} else {
					const target = weightSum > 0 ? (rest * weights[i]!) / weightSum : 0;
					out[i] = Math.floor(target);
					remainders.push([target - out[i]!, i]);
				}
				used += out[i]!;
			}
			remainders.sort((a, b) => b[0] - a[0] || a[1] - b[1]);
			for (let k = 0; used < count && remainders.length > 0; k = (k + 1) % remainders.length) {
				out[remainders[k]![1]]!++;
				used++;
			}
			return out;
		}
	}
}

const QING_REIGNS: readonly (readonly [string, number, number])[] = [
	['康熙', 1662, 1722],
	['雍正', 1723, 1735],
	['乾隆', 1736, 1795],
	['嘉庆', 1796, 1820],
	['道光', 1821, 1850],
	['咸丰', 1851, 1861],
	['同治', 1862, 1874],
	['光绪', 1875, 1908],
	['宣统', 1909, 1911]
];

function reignYear(reign: string, first: number, year: number): string {
	const n = year - first + 1;
	return `清${reign}${n === 1 ? '元' : chineseNumber(n)}年（${year}）`;
}

/** The 年代 text of an era option (see {@link EraOption}). */
function eraText(rng: Rng, option: EraOption): string {
	switch (option[0]) {
		case '@qing': {
			const [reign, from, to] = rng.pick(QING_REIGNS.slice(0, 8));
			return reignYear(reign, from, rng.int(from, to));
		}
		case '@lateQing': {
			const [reign, from, to] = rng.pick(QING_REIGNS.slice(7));
			return reignYear(reign, from, rng.int(from, to));
		}
		case '@minguo': {
			const year = rng.int(1926, 1948);
			return `民国${chineseNumber(year - 1911)}年（${year}）`;
		}
		case '@prc':
			return `${rng.int(1950, 1978)}年`;
		default:
			return option[0];
	}
}

function altitudeAt(rng: Rng, lon: number, lat: number): number {
	let h = 1300 + 200 * Math.exp(-(((lat - 39.6) / 0.5) ** 2));
	if (lat > 39.9) h -= (lat - 39.9) * 600;
	if (lon > 110.5) h -= (lon - 110.5) * 350;
	if (lon < 107.3) h += (107.3 - lon) * 300;
	h += rng.between(-40, 40);
	if (h < 1030) h = 1010 + (h - 900) / 6;
	return Math.round(Math.min(1600, Math.max(1000, h)) * 10) / 10;
}

function pickWeightedDistinct<T>(rng: Rng, items: Weighted<T>, k: number): T[] {
	const pool = items.slice();
	const out: T[] = [];
	while (out.length < k && pool.length > 0) {
		const value = rng.weighted(pool);
		out.push(value);
		pool.splice(
			pool.findIndex(([v]) => v === value),
			1
		);
	}
	return out;
}

function threatsFor(rng: Rng, variant: Variant, countyCode: string): Threat[] {
	const pool: Weighted<Threat> = threatPool(variant.template).map(([t, weight]) => {
		let w = weight;
		if (t === '沙漠化（风沙侵蚀）') w *= SANDY_COUNTIES.has(countyCode) ? 2 : 0.4;
		if (t === '采矿' || t === '水土流失') w *= MINING_COUNTIES.has(countyCode) ? 2 : 0.6;
		return [t, w] as const;
	});
	const k = rng.weighted<number>([
		[1, 35],
		[2, 45],
		[3, 20]
	]);
	return pickWeightedDistinct(rng, pool, k);
}

const CONDITION_WEIGHTS: Weighted<RegisteredSite['condition']> = [
	['好', 7],
	['较好', 25],
	['一般', 42],
	['较差', 18],
	['差', 8]
];

function levelFor(rng: Rng, sub: SubProfile, variant: Variant): ProtectionLevel {
	const notable = variant.built || sub.sub === '城址' || variant.template === 'grotto';
	return rng.weighted<ProtectionLevel>([
		['尚未核定公布为文物保护单位的不可移动文物', notable ? 62 : 87],
		['县级文物保护单位', notable ? 26 : 10],
		['市级文物保护单位', notable ? 8 : 2.3],
		['省级文物保护单位', notable ? 4 : 0.7]
	]);
}

function ownershipFor(rng: Rng, variant: Variant): RegisteredSite['ownership'] {
	if (!variant.built)
		return rng.weighted([
			['国家所有', 95],
			['集体所有', 5]
		] as const);
	if (variant.noun === '民居')
		return rng.weighted([
			['私人所有', 55],
			['集体所有', 25],
			['国家所有', 20]
		] as const);
	return rng.weighted([
		['国家所有', 65],
		['集体所有', 33],
		['其他', 2]
	] as const);
}

type Usage = RegisteredSite['usage'];
function usageFor(rng: Rng, variant: Variant): Usage {
	switch (variant.template) {
		case 'temple':
			return rng.weighted<Usage>([
				[['宗教活动'], 4],
				[['宗教活动', '开放参观'], 3],
				[['无人使用'], 2]
			]);
		case 'building':
			if (variant.noun === '民居')
				return rng.weighted<Usage>([
					[['居住场所'], 5],
					[['无人使用'], 4],
					[['开放参观'], 1]
				]);
			if (variant.noun === '教堂')
				return rng.weighted<Usage>([
					[['宗教活动'], 3],
					[['宗教活动', '开放参观'], 1]
				]);
			return rng.weighted<Usage>([
				[['无人使用'], 5],
				[['开放参观'], 2],
				[['其他'], 1]
			]);
		case 'modern':
			return rng.weighted<Usage>([
				[['无人使用'], 10],
				[['开放参观'], 3],
				[['办公场所'], 2],
				[['工农业生产'], 2]
			]);
		case 'memorial':
			return rng.weighted<Usage>([
				[['开放参观'], 3],
				[['无人使用'], 2]
			]);
		case 'landscape':
			return rng.weighted<Usage>([
				[['宗教活动'], 2],
				[['无人使用'], 1]
			]);
		case 'grotto':
			return rng.weighted<Usage>([
				[['无人使用'], 6],
				[['开放参观'], 1]
			]);
		default:
			return rng.weighted<Usage>([
				[['无人使用'], 90],
				[['工农业生产'], 10]
			]);
	}
}

/** Usage of the real sites, where an invented default would look wrong. */
const REAL_USAGE: Record<string, Usage> = {
	成吉思汗陵: ['开放参观', '宗教活动'],
	阿尔寨石窟: ['开放参观'],
	准格尔召: ['宗教活动', '开放参观'],
	乌审召: ['宗教活动', '开放参观'],
	萨拉乌苏遗址: ['开放参观'],
	伊克昭盟行政公署办公旧址: ['办公场所']
};

function openStatusOf(usage: Usage): RegisteredSite['openStatus'] {
	return usage.includes('开放参观') ? '开放' : '未开放';
}

/** A county with what the generator needs of it. */
type CountyCtx = {
	code: CountyCode;
	name: string;
	prepared: PreparedCounty;
	areaKm2: number;
	townships: readonly Township[];
	rural: readonly Township[];
	streets: readonly Township[];
	names: Set<string>;
	ordinals: Map<string, number>;
};

function seatOf(township: string): string {
	return /街道$/.test(township) ? '办事处' : '政府驻地';
}

function pickTownship(rng: Rng, c: CountyCtx, streetChance: number): Township {
	const useStreets = c.rural.length === 0 || (c.streets.length > 0 && rng.chance(streetChance));
	const list = useStreets && c.streets.length > 0 ? c.streets : c.rural;
	return rng.weighted(list.map((t) => [t, t.villages.length + 2] as const));
}

function pickVillage(rng: Rng, township: Township, ancient: boolean): Village | undefined {
	const usable = township.villages.filter((v) => !isStatisticalUnit(v.name));
	const preferred = ancient ? usable.filter((v) => !/社区/.test(villageShort(v.name))) : usable;
	const list = preferred.length > 0 ? preferred : usable;
	if (list.length === 0) return undefined;
	return rng.chance(0.85) ? rng.pick(list) : undefined;
}

/** Makes a name unique within the county, as the census asks (ordinal before the type word). */
function uniqueName(c: CountyCtx, place: string, word: string): string {
	const plain = place + word;
	if (!c.names.has(plain)) return plain;
	const key = `${place}|${word}`;
	let k = c.ordinals.get(key) ?? 2;
	let name = `${place}${chineseNumber(k)}号${word}`;
	while (c.names.has(name)) name = `${place}${chineseNumber(++k)}号${word}`;
	c.ordinals.set(key, k + 1);
	return name;
}

type Placed = {
	location: { lat: number; lon: number; altitude: number };
	boundary: NonNullable<RegisteredSite['boundary']>;
	areaM2: number;
	widthM: number;
	heightM: number;
};

function place(
	rng: Rng,
	c: CountyCtx,
	spacing: SpacingIndex,
	targetArea: number,
	aspect: number
): Placed {
	const ring = irregularRing(
		() => rng.float(),
		targetArea,
		rng.int(5, 9),
		aspect,
		rng.float() * Math.PI
	);
	const p = c.prepared;
	const margin = Math.min(3_000, BORDER_MARGIN_M + ring.radius);
	for (let i = 0; i < MAX_PLACEMENT_TRIES; i++) {
		const x = rng.between(p.minX, p.maxX);
		const y = rng.between(p.minY, p.maxY);
		if (!p.contains(x, y) || !p.borderDistanceAtLeast(x, y, margin)) continue;
		const [rawLon, rawLat] = p.unproject(x, y);
		const lon = round6(rawLon);
		const lat = round6(rawLat);
		if (!spacing.fits(lon, lat, ring.radius, MIN_GAP_M)) continue;
		spacing.add(lon, lat, ring.radius);
		const shape = ringToPolygon(lon, lat, ring.points);
		return {
			location: { lat, lon, altitude: altitudeAt(rng, lon, lat) },
			boundary: shape.polygon,
			areaM2: Math.round(turfArea(shape.polygon)),
			widthM: shape.widthM,
			heightM: shape.heightM
		};
	}
	throw new Error(
		`演示数据生成失败：${c.name}内找不到足够的空间放置文物点（已尝试 ${MAX_PLACEMENT_TRIES} 次）`
	);
}

function pickVariant(rng: Rng, category: Category, sub?: string): [SubProfile, Variant] {
	const subs = SUB_PROFILES[category];
	const profile = sub
		? (subs.find((s) => s.sub === sub) ?? subs[0]!)
		: rng.weighted(subs.map((s) => [s, SUB_WEIGHTS[s.sub] ?? 1] as const));
	const variant = rng.weighted(profile.variants.map((v) => [v, v.weight] as const));
	return [profile, variant];
}

function generatedSite(
	rng: Rng,
	c: CountyCtx,
	spacing: SpacingIndex,
	code: string,
	category: Category
): RegisteredSite {
	const [profile, variant] = pickVariant(rng, category);
	const eraOption = rng.weighted(variant.eras.map((e) => [e, e[2]] as const));
	const era = eraText(rng, eraOption);
	const eraGroup: EraGroup = eraOption[1];
	const built = variant.built === true;
	const modern = category === '近现代重要史迹及代表性建筑';
	const township = pickTownship(rng, c, modern ? 0.25 : built ? 0.1 : 0);
	const village = pickVillage(rng, township, !modern);

	// Name: place name + type word, unique in the county.
	const word = rng.weighted(variant.words);
	let placeName = '';
	let natural = false;
	for (let attempt = 0; attempt < 8; attempt++) {
		const r = rng.float();
		if (village && r < 0.45 && (isNameableVillage(village.name) || modern)) {
			placeName = villageBase(village.name);
			natural = false;
		} else if (r < 0.53 && isRuralTownship(township.name)) {
			placeName = townshipBase(township.name);
			natural = false;
		} else {
			placeName = rng.pick(NATURAL_PLACE_NAMES);
			natural = true;
		}
		if (placeName.endsWith(word[0]!)) continue;
		if (!c.names.has(placeName + word)) break;
	}
	if (placeName.endsWith(word[0]!)) {
		placeName = rng.pick(NATURAL_PLACE_NAMES.filter((n) => !n.endsWith(word[0]!)));
		natural = true;
	}
	const name = uniqueName(c, placeName, word);
	c.names.add(name);

	// Address: township + village (or the township seat) + bearing and distance + landform.
	let landform = rng.pick(variant.landforms);
	const villageText = village ? villageShort(village.name) : '';
	let address: string;
	if (landform === '村内' && village) {
		address = `${township.name}${villageText}内`;
	} else if (landform === '村内' || landform === '镇区') {
		landform = '镇区';
		address = `${township.name}${seatOf(township.name)}${rng.pick(DIRECTIONS)}侧`;
	} else {
		const from = village ? villageText : `${township.name}${seatOf(township.name)}`;
		const distance = rng.between(0.3, 6).toFixed(1);
		address = `${village ? township.name : ''}${from}${rng.pick(DIRECTIONS)}约${distance}公里${natural ? placeName : ''}${landform}`;
	}

	const aspect = variant.aspect
		? rng.between(variant.aspect[0], variant.aspect[1])
		: rng.between(1, 1.8);
	const placed = place(rng, c, spacing, rng.logBetween(variant.area[0], variant.area[1]), aspect);
	const condition = rng.weighted(CONDITION_WEIGHTS);
	const threats = threatsFor(rng, variant, c.code);
	const protectionLevel = levelFor(rng, profile, variant);
	const ownership = ownershipFor(rng, variant);
	const usage = usageFor(rng, variant);
	const description = describeSite(rng, {
		template: variant.template,
		name,
		noun: variant.noun,
		address,
		landform,
		era,
		eraGroup,
		areaM2: placed.areaM2,
		widthM: placed.widthM,
		heightM: placed.heightM,
		condition,
		threats,
		protectionLevel
	});
	return {
		code,
		countyCode: c.code,
		name,
		township: township.name,
		village: village?.name ?? '',
		address,
		category,
		subcategory: profile.sub,
		era,
		eraGroup,
		protectionLevel,
		ownership,
		usage,
		condition,
		openStatus: openStatusOf(usage),
		threats,
		areaM2: placed.areaM2,
		location: placed.location,
		boundary: placed.boundary,
		description,
		demo: true
	};
}

/** Townships of real sites whose `place` names no township of the division list. */
const REAL_TOWNSHIP_HINTS: Record<string, string> = {
	成吉思汗陵: '伊金霍洛镇'
};

/** Finds the township (and village) a real site's `place` text names, within its county. */
function resolveRealPlace(
	c: CountyCtx,
	site: RealSite
): { township?: Township | undefined; village?: Village | undefined; rest: string } {
	const text = site.place
		.replace(/\s+/g, '')
		.replace(/（[^）]*）/g, '')
		.replace(c.name, '');
	let township: Township | undefined = c.townships.find(
		(t) => t.name === REAL_TOWNSHIP_HINTS[site.name]
	);
	let rest = '';
	for (const t of township ? [] : c.townships) {
		if (isStatisticalUnit(t.name)) continue;
		const base = townshipBase(t.name);
		const m = new RegExp(`${base}(镇|乡|苏木|街道)`).exec(text);
		if (m) {
			township = t;
			rest = text.slice(m.index + m[0].length);
			break;
		}
	}
	// A village named in the rest of the text (or anywhere, when no township was found).
	const haystack = township ? rest : text;
	let village: Village | undefined;
	let best = 0;
	for (const t of township ? [township] : c.townships) {
		for (const v of t.villages) {
			const base = villageBase(v.name);
			if (base.length >= 2 && base.length > best && haystack.includes(base)) {
				village = v;
				best = base.length;
				if (!township) township = t;
			}
		}
	}
	return { township, village, rest };
}

function realLevelSentence(site: RealSite): string {
	if (site.levelNote) {
		return `保护级别（${site.level === '尚未核定公布为文物保护单位的不可移动文物' ? '尚未核定公布为文物保护单位' : site.level}）为演示占位，非真实公布信息。`;
	}
	if (site.level !== '全国重点文物保护单位') return `现为${site.level}。`;
	const m = site.batch ? /^(第.+批)\((\d{4})\)(?:\s+(\S+))?$/.exec(site.batch) : null;
	if (!m) return '为全国重点文物保护单位（公布批次待核）。';
	return `为${m[1]}全国重点文物保护单位（${m[2]}年公布${m[3] ? `，编号${m[3]}` : ''}）。`;
}

function realSite(
	rng: Rng,
	c: CountyCtx,
	spacing: SpacingIndex,
	code: string,
	site: RealSite
): RegisteredSite {
	const [, variant] = pickVariant(rng, site.category, site.subcategory);
	const resolved = resolveRealPlace(c, site);
	const modern = site.category === '近现代重要史迹及代表性建筑';
	const township = resolved.township ?? pickTownship(rng, c, modern ? 1 : 0);
	const village = resolved.village;
	const villageText = village ? villageShort(village.name) : '';
	let address: string;
	if (resolved.township && resolved.rest) address = `${township.name}${resolved.rest}`;
	else address = `${township.name}${villageText}境内`;

	const [lo, hi] = variant.area;
	const placed = place(
		rng,
		c,
		spacing,
		rng.logBetween(Math.sqrt(lo * hi), hi),
		variant.aspect ? rng.between(variant.aspect[0], variant.aspect[1]) : rng.between(1, 1.5)
	);
	const condition = rng.weighted(CONDITION_WEIGHTS);
	const threats = threatsFor(rng, variant, c.code);
	const usage = REAL_USAGE[site.name] ?? usageFor(rng, variant);
	const newFind = /三普新发现/.test(site.place) ? '该处为第三次全国文物普查新发现。' : '';
	const description = [
		DEMO_PREFIX,
		`${site.name}位于${c.name}${address}，属${site.category}（${site.subcategory}），年代为${site.era}。`,
		realLevelSentence(site),
		newFind,
		`现状评估为“${condition}”，主要影响因素为${threats.join('、')}。`,
		'名称、类别、年代与所在旗区取自公开资料；坐标与边界为演示用的近似示意位置，并非实测，面积由示意边界计算；现状、影响因素等其余属性为系统生成。',
		DEMO_SUFFIX
	].join('');
	return {
		code,
		countyCode: c.code,
		name: site.name,
		township: township.name,
		village: village?.name ?? '',
		address,
		category: site.category,
		subcategory: site.subcategory,
		era: site.era,
		eraGroup: site.eraGroup,
		protectionLevel: site.level,
		ownership: site.level === '全国重点文物保护单位' ? '国家所有' : ownershipFor(rng, variant),
		usage,
		condition,
		openStatus: openStatusOf(usage),
		threats,
		areaM2: placed.areaM2,
		location: placed.location,
		boundary: placed.boundary,
		description,
		demo: true
	};
}

/**
 * The demo registry: `count` registered sites across the nine 旗区 of Ordos, shaped as
 * `RegisteredSite` and in order under the QC rules (each ≥ 1.6 km inside its county, names
 * unique per county, 统计年代 consistent with 类别 and 年代). Pure and deterministic: the same
 * seed and inputs give byte-identical output. Every site carries `demo: true` and a 简介 that
 * says it is demo data. Sites come ordered by county, then by code.
 */
export function generateDemoRegistry(options: DemoRegistryOptions): RegisteredSite[] {
	const seed = options.seed ?? DEFAULT_DEMO_SEED;
	const count = options.count ?? DEFAULT_DEMO_COUNT;
	if (!Number.isInteger(seed)) throw new Error(`seed 须为整数：${seed}`);
	if (!Number.isInteger(count) || count < 0) throw new Error(`count 须为非负整数：${count}`);
	const rng = new Rng(seed);

	const counties: CountyCtx[] = COUNTIES.map(({ code, name }) => {
		const feature = countyFeature(options.counties, code);
		if (!feature) throw new Error(`旗区边界文件缺少 ${name}（${code}）`);
		const division = options.divisions.counties.find((d) => d.code === code);
		const townships = (division?.townships ?? []).filter((t) => !isStatisticalUnit(t.name));
		if (townships.length === 0) throw new Error(`区划文件缺少 ${name}（${code}）的乡镇`);
		return {
			code,
			name,
			prepared: new PreparedCounty(feature),
			areaKm2: turfArea(feature) / 1e6,
			townships,
			rural: townships.filter((t) => isRuralTownship(t.name)),
			streets: townships.filter((t) => !isRuralTownship(t.name)),
			names: new Set<string>(),
			ordinals: new Map<string, number>()
		};
	});

	const reals = options.includeRealSites === false ? [] : REAL_SITES.slice(0, count);
	const realsOf = counties.map((c) => reals.filter((s) => s.countyCode === c.code));
	for (const [i, c] of counties.entries()) for (const s of realsOf[i]!) c.names.add(s.name);

	const floor = Math.floor(count * MIN_COUNTY_SHARE);
	let minimums = realsOf.map((r) => Math.max(r.length, floor));
	if (minimums.reduce((a, b) => a + b, 0) > count) minimums = realsOf.map((r) => r.length);
	const perCounty = allocateCounts(
		count,
		counties.map((c) => c.areaKm2),
		minimums
	);
	const tooMany = perCounty.findIndex((n) => n > 9999);
	if (tooMany >= 0) throw new Error(`${counties[tooMany]!.name}超过 9999 处，编号无法容纳`);

	// Category quotas over the whole registry, the real sites counted in; then shuffled.
	const quotas = allocateCounts(
		count,
		CATEGORY_SHARES.map(([, share]) => share),
		CATEGORY_SHARES.map(() => 0)
	);
	const pool: Category[] = [];
	CATEGORY_SHARES.forEach(([category], i) => {
		const real = reals.filter((s) => s.category === category).length;
		for (let k = real; k < quotas[i]!; k++) pool.push(category);
	});
	while (pool.length < count - reals.length) pool.push('古文化遗址');
	while (pool.length > count - reals.length) {
		const at = pool.lastIndexOf('古文化遗址');
		pool.splice(at >= 0 ? at : pool.length - 1, 1);
	}
	rng.shuffle(pool);

	const spacing = new SpacingIndex();
	const sites: RegisteredSite[] = [];
	let next = 0;
	counties.forEach((c, i) => {
		type Slot = { real: RealSite } | { category: Category };
		const slots: Slot[] = realsOf[i]!.map((real) => ({ real }));
		for (let k = slots.length; k < perCounty[i]!; k++) slots.push({ category: pool[next++]! });
		rng.shuffle(slots);
		slots.forEach((slot, k) => {
			const code = `${c.code}-${String(k + 1).padStart(4, '0')}`;
			sites.push(
				'real' in slot
					? realSite(rng, c, spacing, code, slot.real)
					: generatedSite(rng, c, spacing, code, slot.category)
			);
		});
	});
	return sites;
}
