import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import turfArea from '@turf/area';
import booleanPointInPolygon from '@turf/boolean-point-in-polygon';
import pointToPolygonDistance from '@turf/point-to-polygon-distance';
import type { Polygon } from 'geojson';
import { beforeAll, describe, expect, it } from 'vitest';
import codelists from '$lib/domain/codelists/codelists.json';
import { COUNTIES, ERAS, eraGroupsForCategory } from '$lib/domain/codelists/index.js';
import { generateDemoRegistry, type Divisions } from '$lib/demo/index.js';
import { asCountyCollection, type CountyCollection } from '$lib/domain/geometry/counties.js';
import { newRecheckDraft } from '$lib/domain/records/drafts.js';
import type { SurveyRecord } from '$lib/domain/schemas/survey-record.js';
import { RegisteredSiteSchema, type RegisteredSite } from '$lib/domain/schemas/site.js';

const root = fileURLToPath(new URL('../../../', import.meta.url));
const readJson = (path: string): unknown => JSON.parse(readFileSync(root + path, 'utf8'));

const parsedCounties = asCountyCollection(readJson('static/data/ordos-counties.geojson'));
if (!parsedCounties.ok) throw new Error(parsedCounties.message);
const counties: CountyCollection = parsedCounties.value;
const divisions = readJson('static/data/ordos-divisions.json') as Divisions;
const featureOf = (code: string) => counties.features.find((f) => f.properties.code === code)!;

const SEED = 20240430;
let sites: RegisteredSite[];
beforeAll(() => {
	sites = generateDemoRegistry({ seed: SEED, count: 959, counties, divisions });
});

/** ERA-002 as qc-rules.md words it: named periods, longest match first; 民国, 清末 aliases. */
const ERA_TERMS: (readonly [string, string])[] = [
	...ERAS.map((e) => [e.name, e.group] as const),
	['民国', '中华民国'] as const,
	['清末', '清代'] as const
].sort((a, b) => b[0].length - a[0].length);
function groupsNamedIn(text: string): Set<string> {
	const out = new Set<string>();
	for (let i = 0; i < text.length;) {
		const hit = ERA_TERMS.find(([name]) => text.startsWith(name, i));
		if (hit) {
			out.add(hit[1]);
			i += hit[0].length;
		} else i++;
	}
	return out;
}

function haversineM(a: [number, number], b: [number, number]): number {
	const rad = Math.PI / 180;
	const dLat = (b[1] - a[1]) * rad;
	const dLon = (b[0] - a[0]) * rad;
	const h =
		Math.sin(dLat / 2) ** 2 + Math.cos(a[1] * rad) * Math.cos(b[1] * rad) * Math.sin(dLon / 2) ** 2;
	return 2 * 6_371_008.8 * Math.asin(Math.sqrt(h));
}

type P = [number, number];
const cross = (o: P, a: P, b: P) => (a[0] - o[0]) * (b[1] - o[1]) - (a[1] - o[1]) * (b[0] - o[0]);
function segmentsTouch(p1: P, p2: P, q1: P, q2: P): boolean {
	const d1 = cross(q1, q2, p1);
	const d2 = cross(q1, q2, p2);
	const d3 = cross(p1, p2, q1);
	const d4 = cross(p1, p2, q2);
	if (((d1 > 0 && d2 < 0) || (d1 < 0 && d2 > 0)) && ((d3 > 0 && d4 < 0) || (d3 < 0 && d4 > 0)))
		return true;
	const on = (a: P, b: P, c: P) =>
		Math.min(a[0], b[0]) <= c[0] &&
		c[0] <= Math.max(a[0], b[0]) &&
		Math.min(a[1], b[1]) <= c[1] &&
		c[1] <= Math.max(a[1], b[1]);
	return (
		(d1 === 0 && on(q1, q2, p1)) ||
		(d2 === 0 && on(q1, q2, p2)) ||
		(d3 === 0 && on(p1, p2, q1)) ||
		(d4 === 0 && on(p1, p2, q2))
	);
}
function isSimpleRing(ring: P[]): boolean {
	const n = ring.length - 1;
	for (let i = 0; i < n; i++) {
		for (let j = i + 1; j < n; j++) {
			if (j === i + 1 || (i === 0 && j === n - 1)) continue;
			if (segmentsTouch(ring[i]!, ring[i + 1]!, ring[j]!, ring[j + 1]!)) return false;
		}
	}
	return true;
}

describe('generateDemoRegistry (959 sites)', () => {
	it('makes exactly 959 sites, spread over the nine counties by size', () => {
		expect(sites).toHaveLength(959);
		const perCounty = new Map(COUNTIES.map((c) => [c.code as string, 0]));
		for (const s of sites) perCounty.set(s.countyCode, perCounty.get(s.countyCode)! + 1);
		for (const n of perCounty.values()) expect(n).toBeGreaterThan(0);
		const sorted = [...perCounty.entries()].sort((a, b) => a[1] - b[1]);
		expect(sorted[0]![0]).toBe('150603'); // 康巴什区, the smallest
		expect(sorted.at(-1)![0]).toBe('150624'); // 鄂托克旗, the largest
	});

	it('parses every site with RegisteredSiteSchema and marks it as demo data', () => {
		for (const s of sites) {
			const parsed = RegisteredSiteSchema.safeParse(s);
			expect(parsed.success, `${s.code} ${JSON.stringify(parsed.error?.issues)}`).toBe(true);
			expect(s.demo).toBe(true);
			expect(s.description).toContain('演示');
			expect(s.description).toContain('非真实普查数据');
			const han = s.description.match(/\p{Script=Han}/gu) ?? [];
			expect(han.length, s.code).toBeGreaterThanOrEqual(60);
		}
	});

	it('places every site inside its county, at least 1 km from the border', () => {
		for (const s of sites) {
			const county = featureOf(s.countyCode);
			const pt: P = [s.location.lon, s.location.lat];
			expect(booleanPointInPolygon(pt, county), s.code).toBe(true);
			// planar (rhumb) distance: within 0.1 % of the geodesic one here, and 15 times faster
			const d = pointToPolygonDistance(pt, county, { units: 'meters', method: 'planar' });
			expect(Math.abs(d), s.code).toBeGreaterThanOrEqual(1_000);
			for (const v of (s.boundary as Polygon).coordinates[0]!)
				expect(booleanPointInPolygon(v, county), s.code).toBe(true);
		}
	}, 30_000);

	it('keeps sites at least 200 m apart', () => {
		const pts = sites.map((s): P => [s.location.lon, s.location.lat]);
		let min = Infinity;
		for (let i = 0; i < pts.length; i++)
			for (let j = i + 1; j < pts.length; j++) {
				if (Math.abs(pts[i]![1] - pts[j]![1]) > 0.01) continue;
				min = Math.min(min, haversineM(pts[i]!, pts[j]!));
			}
		expect(min).toBeGreaterThanOrEqual(200);
	});

	it('gives each site a simple 5–9 vertex boundary around its location, areaM2 = its area', () => {
		for (const s of sites) {
			expect(s.boundary?.type).toBe('Polygon');
			const poly = s.boundary as Polygon;
			expect(poly.coordinates).toHaveLength(1);
			const ring = poly.coordinates[0] as P[];
			expect(ring.length).toBeGreaterThanOrEqual(6);
			expect(ring.length).toBeLessThanOrEqual(10);
			expect(ring[0]).toEqual(ring.at(-1));
			expect(isSimpleRing(ring), s.code).toBe(true);
			expect(booleanPointInPolygon([s.location.lon, s.location.lat], poly), s.code).toBe(true);
			expect(s.areaM2).toBe(Math.round(turfArea(poly)));
			expect(s.areaM2).toBeGreaterThan(0);
			expect(s.location.altitude).toBeGreaterThanOrEqual(1000);
			expect(s.location.altitude).toBeLessThanOrEqual(1600);
		}
	});

	it('gives well-formed, unique codes, sequential per county', () => {
		const codes = new Set<string>();
		const byCounty = new Map<string, number[]>();
		for (const s of sites) {
			expect(s.code).toMatch(/^\d{6}-\d{4}$/);
			expect(s.code.slice(0, 6)).toBe(s.countyCode);
			codes.add(s.code);
			const list = byCounty.get(s.countyCode) ?? [];
			list.push(Number(s.code.slice(7)));
			byCounty.set(s.countyCode, list);
		}
		expect(codes.size).toBe(sites.length);
		for (const list of byCounty.values())
			expect(list.sort((a, b) => a - b)).toEqual(list.map((_, i) => i + 1));
	});

	it('gives names unique within each county, following the naming rule', () => {
		const seen = new Set<string>();
		for (const s of sites) {
			const key = `${s.countyCode}|${s.name}`;
			expect(seen.has(key), key).toBe(false);
			seen.add(key);
			expect(s.name.length).toBeGreaterThanOrEqual(3);
		}
	});

	it('takes township (and village) from the county’s division list', () => {
		for (const s of sites) {
			const county = divisions.counties.find((c) => c.code === s.countyCode)!;
			const township = county.townships.find((t) => t.name === s.township);
			expect(township, `${s.code} ${s.township}`).toBeDefined();
			if (s.village) expect(township!.villages.map((v) => v.name)).toContain(s.village);
			expect(s.address.startsWith(s.township)).toBe(true);
		}
	});

	it('keeps 统计年代 consistent with 类别 (ERA-001) and with the 年代 text (ERA-002)', () => {
		for (const s of sites) {
			expect(eraGroupsForCategory(s.category), s.code).toContain(s.eraGroup);
			const named = groupsNamedIn(s.era);
			if (named.size > 0) expect([...named], `${s.code} ${s.era}`).toContain(s.eraGroup);
		}
	});

	it('follows the Inner Mongolia category mix', () => {
		const share = (c: string) => sites.filter((s) => s.category === c).length / sites.length;
		expect(share('古文化遗址')).toBeGreaterThanOrEqual(0.68);
		expect(share('古文化遗址')).toBeLessThanOrEqual(0.76);
		expect(share('古墓葬')).toBeGreaterThanOrEqual(0.12);
		expect(share('古墓葬')).toBeLessThanOrEqual(0.18);
		expect(share('古建筑')).toBeGreaterThanOrEqual(0.01);
		expect(share('古建筑')).toBeLessThanOrEqual(0.035);
		expect(share('石窟寺及石刻')).toBeGreaterThanOrEqual(0.01);
		expect(share('石窟寺及石刻')).toBeLessThanOrEqual(0.035);
		expect(share('近现代重要史迹及代表性建筑')).toBeGreaterThanOrEqual(0.06);
		expect(share('近现代重要史迹及代表性建筑')).toBeLessThanOrEqual(0.1);
		expect(share('其他')).toBeLessThan(0.01);
		const cond = (c: string) => sites.filter((s) => s.condition === c).length / sites.length;
		expect(cond('较差')).toBeGreaterThan(0.12);
		expect(cond('较差')).toBeLessThan(0.24);
		expect(cond('差')).toBeGreaterThan(0.04);
		expect(cond('差')).toBeLessThan(0.12);
	});

	it('includes every real site of codelists ordosSites with its values', () => {
		for (const real of codelists.ordosSites) {
			const s = sites.find((x) => x.name === real.name && x.countyCode === real.county);
			expect(s, real.name).toBeDefined();
			expect(s!.category).toBe(real.category);
			expect(s!.subcategory).toBe(real.sub);
			expect(s!.era).toBe(real.era);
			expect(s!.eraGroup).toBe(real.eraGroup);
			expect(s!.protectionLevel).toBe(real.level);
			expect(s!.description).toContain('近似');
			if ('levelNote' in real && real.levelNote)
				expect(s!.description).toContain(
					'保护级别（尚未核定公布为文物保护单位）为演示占位，非真实公布信息'
				);
		}
		const national = sites.filter((s) => s.protectionLevel === '全国重点文物保护单位');
		const realNational = codelists.ordosSites.filter((s) => s.level === '全国重点文物保护单位');
		expect(national.map((s) => s.name).sort()).toEqual(realNational.map((s) => s.name).sort());
	});

	it('is deterministic: same seed → identical output, other seed → different', () => {
		const again = generateDemoRegistry({ seed: SEED, count: 959, counties, divisions });
		expect(JSON.stringify(again)).toBe(JSON.stringify(sites));
		const other = generateDemoRegistry({ seed: SEED + 1, count: 959, counties, divisions });
		expect(other).toHaveLength(959);
		expect(JSON.stringify(other)).not.toBe(JSON.stringify(sites));
	});
});

type Finding = { rule: string; message: string; path?: string };
type QcModule = {
	runQc: (
		record: SurveyRecord,
		ctx: {
			counties: CountyCollection;
			registry: readonly RegisteredSite[];
			otherRecords: readonly SurveyRecord[];
			now: Date;
		}
	) => Finding[];
};
const qcPath = fileURLToPath(new URL('../../../src/lib/domain/qc/index.ts', import.meta.url));
const hasQc = existsSync(qcPath);

describe.runIf(hasQc)('QC of a perfect re-check of every demo site', () => {
	it('raises no finding', async () => {
		const { runQc } = (await import(/* @vite-ignore */ qcPath)) as QcModule;
		const now = new Date('2025-06-03T00:00:00+08:00');
		const hex = (i: number, tag: string) => (tag + i.toString(16)).padStart(64, '0');
		const problems: string[] = [];
		sites.forEach((site, i) => {
			const draft = newRecheckDraft(site, {
				id: `00000000-0000-4000-8000-${i.toString(16).padStart(12, '0')}`,
				now: now.toISOString()
			});
			const record: SurveyRecord = {
				...draft,
				location: {
					lat: site.location.lat,
					lon: site.location.lon,
					source: 'gnss',
					accuracyM: 3,
					samples: 10
				},
				photos: [
					{
						sha256: hex(i, 'a'),
						kind: '全景',
						direction: '由东向西',
						takenAt: '2025-06-02T09:30:00+08:00',
						photographer: '张三',
						lat: site.location.lat,
						lon: site.location.lon
					},
					{
						sha256: hex(i, 'b'),
						kind: '近景',
						direction: '由南向北',
						takenAt: '2025-06-02T09:40:00+08:00',
						photographer: '张三',
						lat: site.location.lat,
						lon: site.location.lon
					}
				],
				surveyors: ['张三'],
				surveyedOn: '2025-06-02'
			};
			const findings = runQc(record, { counties, registry: sites, otherRecords: [], now });
			for (const f of findings) problems.push(`${site.code} ${site.name}: ${f.rule} ${f.message}`);
		});
		expect(problems.slice(0, 20)).toEqual([]);

		// Control: the same check does see a defect (the registry entry renamed to a neighbour's).
		const [a, b] = sites.filter((s) => s.countyCode === '150627');
		const control = newRecheckDraft(a!, {
			id: '00000000-0000-4000-8000-ffffffffffff',
			now: now.toISOString()
		});
		const rules = runQc(
			{ ...control, name: b!.name, description: '' },
			{ counties, registry: sites, otherRecords: [], now }
		).map((f) => f.rule);
		expect(rules).toContain('REQ-001');
		expect(rules).toContain('DUP-002');
	}, 60_000);
});

describe('generateDemoRegistry at scale (20,000 sites)', () => {
	// (its time is a figure of `npm run bench -- --only domain`, not an assertion here)
	it('stays inside the counties, with unique codes and names per county', () => {
		const big = generateDemoRegistry({ seed: 7, count: 20_000, counties, divisions });
		expect(big).toHaveLength(20_000);
		const codes = new Set<string>();
		const names = new Set<string>();
		for (const s of big) {
			expect(booleanPointInPolygon([s.location.lon, s.location.lat], featureOf(s.countyCode))).toBe(
				true
			);
			codes.add(s.code);
			names.add(`${s.countyCode}|${s.name}`);
		}
		expect(codes.size).toBe(20_000);
		expect(names.size).toBe(20_000);
	}, 60_000);
});
