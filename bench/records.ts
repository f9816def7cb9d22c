/**
 * What the bench's devices send: valid records made the way the field app makes them
 * (RecordFactory), the demo registry and county boundaries they are made from, and unique real
 * JPEGs for their photos. Shared by the server figures (bench/server.ts) and the hostile-client
 * figures (bench/trust.ts).
 */
import booleanPointInPolygon from '@turf/boolean-point-in-polygon';
import { randomUUID } from 'node:crypto';
import {
	COUNTY_CODES,
	PHOTO_DIRECTIONS,
	type CountyCode
} from '../src/lib/domain/codelists/index.js';
import {
	countyFeature,
	type CountyCollection,
	type CountyFeature
} from '../src/lib/domain/geometry/counties.js';
import { chinaDate } from '../src/lib/domain/records/drafts.js';
import type { RecordPhoto, RegisteredSite, SurveyRecord } from '../src/lib/domain/schemas/index.js';
import { counties, squareAround } from '../tests/fixtures/geo.js';
import { makePhoto, sha256Hex, uniqueJpeg as uniqueJpegBytes } from '../tests/fixtures/photos.js';
import { newFindRecord, recheckRecord } from '../tests/fixtures/records.js';
import { demoRegistry } from '../tests/fixtures/sites.js';

/** The demo registry and the county boundaries, as the server seeds and checks them. */
export function loadDemo(): { registry: RegisteredSite[]; counties: CountyCollection } {
	return { registry: demoRegistry(), counties };
}

/** A real JPEG made unique: bytes appended after its end-of-image marker, hash recomputed. */
export function uniqueJpeg(bytes: Buffer, tag: string): { bytes: Buffer; sha256: string } {
	const out = uniqueJpegBytes(bytes, `bench ${tag} `);
	return { bytes: Buffer.from(out.buffer, out.byteOffset, out.length), sha256: sha256Hex(out) };
}

/**
 * The photos of record `n` for RecordFactory: two (全景 and 近景, as QC PHO-001 asks), each
 * `jpeg` made unique; their bytes are added to `pool`, to be uploaded (or packed) before the
 * records are sent.
 */
export function recordPhotos(
	jpeg: Buffer,
	pool: { bytes: Buffer; sha256: string }[]
): (n: number) => RecordPhoto[] {
	return (n) =>
		(['全景', '近景'] as const).map((kind, i) => {
			const p = uniqueJpeg(jpeg, `record-${n}-${i}`);
			pool.push(p);
			return {
				sha256: p.sha256,
				kind,
				direction: PHOTO_DIRECTIONS[(n + i) % 8],
				photographer: SURVEYORS[n % SURVEYORS.length]
			};
		});
}

/** mulberry32: a small seeded generator, so every run pushes the same records. */
export function rng(seed: number) {
	let a = seed >>> 0;
	const next = () => {
		a = (a + 0x6d2b79f5) >>> 0;
		let t = a;
		t = Math.imul(t ^ (t >>> 15), t | 1);
		t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
		return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
	};
	return {
		next,
		between: (lo: number, hi: number) => lo + (hi - lo) * next(),
		pick: <T>(xs: readonly T[]): T => xs[Math.floor(next() * xs.length)]!
	};
}
export type Rng = ReturnType<typeof rng>;

const DIRECTIONS = ['东', '西', '南', '北', '东北', '西北', '东南', '西南'] as const;
const SUFFIX: Record<string, string> = {
	古文化遗址: '遗址',
	古墓葬: '墓群',
	古建筑: '建筑',
	石窟寺及石刻: '石刻',
	近现代重要史迹及代表性建筑: '旧址'
};
export const SURVEYORS = [
	'王建国',
	'李明',
	'张海燕',
	'乌日娜',
	'巴特尔',
	'刘晓东',
	'其其格',
	'赵磊'
];
const DEMO_MARKS = /【演示数据】|本条为系统生成的演示数据，非真实普查数据。/g;

/** `photos` as shot at `at` when the record was started (`now`). */
function shotAt(
	photos: RecordPhoto[],
	at: { lat: number; lon: number },
	now: string
): RecordPhoto[] {
	return photos.map((p) => makePhoto(p.sha256, p.kind, at, { ...p, takenAt: now }));
}

function bboxOf(feature: CountyFeature): [number, number, number, number] {
	const rings =
		feature.geometry.type === 'Polygon'
			? feature.geometry.coordinates
			: feature.geometry.coordinates.flat();
	let [w, s, e, n] = [Infinity, Infinity, -Infinity, -Infinity];
	for (const ring of rings)
		for (const [lon = 0, lat = 0] of ring) {
			w = Math.min(w, lon);
			e = Math.max(e, lon);
			s = Math.min(s, lat);
			n = Math.max(n, lat);
		}
	return [w, s, e, n];
}

/**
 * Makes valid records the way the field app does (the app's own draft functions, then what a
 * surveyor fills in): re-checks of the county's registered sites in turn, and new finds at random
 * points inside the county, named after and described like the sites near them.
 */
export class RecordFactory {
	readonly #sites = new Map<string, RegisteredSite[]>();
	readonly #cursor = new Map<string, number>();
	readonly #features = new Map<string, { feature: CountyFeature; bbox: number[] }>();
	#n = 0;

	constructor(
		registry: readonly RegisteredSite[],
		counties: CountyCollection,
		private readonly random: Rng
	) {
		for (const site of registry) {
			const list = this.#sites.get(site.countyCode) ?? [];
			list.push(site);
			this.#sites.set(site.countyCode, list);
		}
		for (const code of COUNTY_CODES) {
			const feature = countyFeature(counties, code);
			if (feature) this.#features.set(code, { feature, bbox: bboxOf(feature) });
		}
	}

	/** `count` records of `county`: one in five a 复查, the rest 新发现. */
	batch(county: CountyCode, count: number, photos: (n: number) => RecordPhoto[]): SurveyRecord[] {
		return Array.from({ length: count }, (_, i) =>
			i % 5 === 0 ? this.recheck(county, photos) : this.newFind(county, photos)
		);
	}

	#meta() {
		const r = this.random;
		const minutes = Math.floor(r.between(0, 600));
		const at = new Date(Date.UTC(2025, 5, 2, 0, minutes) + this.#n * 60_000);
		const now = at.toISOString().replace('Z', '+00:00');
		const surveyors = [r.pick(SURVEYORS), r.pick(SURVEYORS)].filter(
			(s, i, a) => a.indexOf(s) === i
		);
		return { id: randomUUID(), now, surveyors, surveyedOn: chinaDate(at) };
	}

	#location(lat: number, lon: number, altitude: number | undefined, now: string) {
		const r = this.random;
		return {
			lat: Math.round(lat * 1e6) / 1e6,
			lon: Math.round(lon * 1e6) / 1e6,
			...(altitude === undefined
				? {}
				: { altitude: Math.round((altitude + r.between(-3, 3)) * 10) / 10 }),
			accuracyM: Math.round(r.between(2, 6) * 10) / 10,
			samples: Math.floor(r.between(8, 30)),
			source: 'gnss' as const,
			fixedAt: now
		};
	}

	recheck(county: CountyCode, photos: (n: number) => RecordPhoto[]): SurveyRecord {
		const sites = this.#sites.get(county)!;
		const i = this.#cursor.get(county) ?? 0;
		this.#cursor.set(county, i + 1);
		const site = sites[i % sites.length]!;
		const meta = this.#meta();
		const n = ++this.#n;
		const r = this.random;
		// a few metres from the registered point: the surveyor stood on the site
		const lat = site.location.lat + r.between(-8, 8) / 111_000;
		const lon = site.location.lon + r.between(-8, 8) / 85_000;
		const location = this.#location(lat, lon, site.location.altitude, meta.now);
		return recheckRecord(site, meta, {
			location,
			description: `${(site.description ?? '').replace(DEMO_MARKS, '')}${meta.surveyedOn.slice(0, 4)}年复查：本体保存现状与登记一致，${r.pick(['地表植被覆盖较好', '局部风蚀加剧', '周边新修道路一条', '未见新的人为破坏'])}，已重新测定中心点坐标并拍摄照片。`,
			photos: shotAt(photos(n), location, meta.now)
		});
	}

	newFind(county: CountyCode, photos: (n: number) => RecordPhoto[]): SurveyRecord {
		const r = this.random;
		const { feature, bbox } = this.#features.get(county)!;
		const [w = 0, s = 0, e = 0, nb = 0] = bbox;
		let lat = 0;
		let lon = 0;
		do {
			lon = r.between(w, e);
			lat = r.between(s, nb);
		} while (!booleanPointInPolygon([lon, lat], feature));
		const sites = this.#sites.get(county)!;
		let near = sites[0]!;
		let best = Infinity;
		for (const site of sites) {
			const d = (site.location.lat - lat) ** 2 + ((site.location.lon - lon) * 0.77) ** 2;
			if (d < best) [best, near] = [d, site];
		}
		const template = r.pick(sites);
		const meta = this.#meta();
		const n = ++this.#n;
		const direction = r.pick(DIRECTIONS);
		const km = r.between(0.5, 4).toFixed(1);
		const village = near.village || '';
		const stem = (village || near.township).replace(
			/(村委会|村民委员会|嘎查|村|社区|镇|苏木|乡)$/,
			''
		);
		const name = `${stem}${direction}${n}号${SUFFIX[template.category] ?? '遗存'}`;
		const areaM2 = Math.round(r.between(200, 20_000));
		const location = this.#location(lat, lon, near.location.altitude, meta.now);
		const body = (template.description ?? '')
			.replace(DEMO_MARKS, '')
			.replaceAll(template.name, name)
			.replace(/^[^。]*位于[^。]*。/, '');
		return newFindRecord(county, { lat, lon }, meta, {
			name,
			township: near.township,
			village,
			address: `${near.township}${village}${direction}约${km}公里`,
			category: template.category,
			subcategory: template.subcategory,
			era: template.era,
			eraGroup: template.eraGroup,
			ownership: template.ownership,
			usage: [...template.usage],
			condition: template.condition,
			threats: [...template.threats],
			areaM2,
			location,
			boundary: squareAround({ lat, lon }, Math.sqrt(areaM2)),
			description: `${name}位于${near.township}${village}${direction}约${km}公里。${body}本次调查新发现，已采集地表遗物标本并拍照记录。`,
			photos: shotAt(photos(n), location, meta.now)
		});
	}
}
