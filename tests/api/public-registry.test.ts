/**
 * The public registry (issue 13 point 4; contract §3 *Public registry*, §5): no login, the latest
 * version, search (two-character names) and filters, and — the done-when — no exact
 * coordinate, boundary vertex or photo GPS of a protected (未开放) site by any public path.
 *
 * One server: the demo registry (932 of its 959 sites are 未开放, most with boundaries), a 复查
 * of a protected demo site with an EXIF-GPS photo, and a new find named 石城 with its own
 * boundary and photo, accepted and published; then every public route and format is walked.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import exifr from 'exifr';
import { readFileSync } from 'node:fs';
import type { RegisteredSite, SurveyRecord } from '$lib/domain/schemas/index.js';
import {
	PublicPointsResponseSchema,
	PublicSearchResponseSchema,
	PublicSiteResponseSchema,
	VersionResponseSchema,
	type VersionResponse
} from '$lib/domain/sync/wire.js';
import { generalizeCoordinate } from '$lib/domain/registry/public-site.js';
import { uniqueJpeg } from '../fixtures/photos.js';
import { newFind, recheckOf, TestServer } from './harness.js';

/** A synthetic JPEG with EXIF GPS 39.825018 N 109.648684 E (tests/fixtures/photos/README). */
const GPS_JPEG = new Uint8Array(readFileSync('tests/fixtures/photos/site-dongsheng-1600x1200.jpg'));

/**
 * The downloads of the exports helper (issue 13 point 5). They answer 404 on this branch until
 * wip-exports is merged; the walk checks every one that answers 200, and the last test says
 * which did not answer, so after the merge they are covered with no change here.
 */
const DOWNLOADS = [
	'/api/public/registry.geojson',
	'/api/public/registry.csv',
	'/api/public/registry.xlsx',
	'/api/public/registry.kml',
	'/api/public/registry.shp.zip',
	'/api/public/registry.gpkg'
];

let server: TestServer;
let city: string;
let protectedSite: RegisteredSite;
let recheck: SurveyRecord;
let find: SurveyRecord;
let version: VersionResponse;
let findCode: string;

/** The exact point of the new find and its boundary: decimals nothing else has. */
const FIND_AT = { lat: 39.808761, lon: 109.912347 };
const FIND_BOUNDARY = {
	type: 'Polygon' as const,
	coordinates: [
		[
			[109.911853, 39.808213],
			[109.912917, 39.808239],
			[109.912881, 39.809287],
			[109.911829, 39.809263],
			[109.911853, 39.808213]
		] as [number, number][]
	]
};

/** The records accepted by the county and the city (harness acceptRecords). */
const accept = (records: SurveyRecord[]) =>
	server.acceptRecords('150602', records, '公开名录测试：同意');

/** The renderings of a coordinate the public must never see: 4, 5 and 6 decimals, rounded or cut. */
function renderings(value: number): string[] {
	const out = new Set<string>();
	for (const digits of [4, 5, 6]) {
		out.add(value.toFixed(digits));
		const [int, frac = ''] = String(value).split('.');
		if (frac.length >= digits) out.add(`${int}.${frac.slice(0, digits)}`);
	}
	out.add(String(value));
	return [...out].filter((s) => /\.\d{4,}$/.test(s));
}

/** Every coordinate of the protected sites (points, altitudes aside, and boundary vertices). */
let forbidden: Set<string>;
/**
 * The “位于…” sentences of the protected sites' 简介: with the village they place a site within a
 * few hundred metres (“位于罕台镇撖家塔村北约1.4公里…”), so the public must never read them.
 */
let forbiddenPhrases: Set<string>;
const PLACE_PHRASE = /位于[^。"<\\]*/g;

/** A point written in 度分秒, as the registration form writes it: 39°48′31.5396″. */
const DMS = /(\d{1,3})°(\d{1,2})′(\d{1,2}(?:\.\d+)?)″/g;

function leaks(text: string): string[] {
	const found = new Set<string>();
	// (a 度分秒 point's seconds, 31.5396″, are no decimal degrees: read below as what they are)
	for (const match of text.replace(DMS, ' ').matchAll(/\d+\.\d{4,}/g)) {
		const number = match[0];
		const [int, frac] = number.split('.') as [string, string];
		for (let digits = 4; digits <= frac.length; digits++) {
			const prefix = `${int}.${frac.slice(0, digits)}`;
			if (forbidden.has(prefix)) found.add(prefix);
		}
	}
	// the printed registration form writes points in 度分秒 (39°48′31.5396″): read back as
	// degrees; a generalized point is the centre of its 0.01° cell, which is no leak
	for (const dms of text.matchAll(DMS)) {
		const value = Number(dms[1]) + Number(dms[2]) / 60 + Number(dms[3]) / 3600;
		const cell = value * 100 - Math.floor(value * 100);
		if (Math.abs(cell - 0.5) < 1e-4) continue;
		for (const digits of [4, 5, 6]) {
			const rendering = value.toFixed(digits);
			if (forbidden.has(rendering)) found.add(`${dms[0]} (${rendering})`);
		}
	}
	for (const [phrase] of text.matchAll(PLACE_PHRASE))
		if (forbiddenPhrases.has(phrase)) found.add(`简介 ${phrase}`);
	return [...found];
}

/** The walk's findings: path → leaked coordinates. */
const walked = new Map<string, string[]>();
const notAnswering: string[] = [];

async function walk(path: string, token?: string): Promise<string> {
	const response = await server.request('GET', path, token ? { token } : {});
	expect(response.status, `${path}: ${response.text.slice(0, 200)}`).toBe(200);
	walked.set(path, leaks(response.text));
	return response.text;
}

beforeAll(async () => {
	server = await TestServer.start();
	city = await server.as('city');
	const surveyor = await server.as('surveyor-150602');
	const sites = await server.sites('150602');
	protectedSite = sites.find((s) => s.openStatus === '未开放' && s.boundary)!;
	const photoA = await server.uploadPhoto(surveyor, uniqueJpeg(GPS_JPEG, 'a'));
	const photoB = await server.uploadPhoto(surveyor, uniqueJpeg(GPS_JPEG, 'b'));
	recheck = recheckOf(protectedSite, [photoA.sha256]);
	find = newFind('150602', FIND_AT, [photoB.sha256], {
		name: '石城',
		openStatus: '未开放',
		boundary: FIND_BOUNDARY
	});
	await accept([recheck, find]);
	const published = await server.post('/api/registry/publish', { note: '公开名录测试' }, city);
	expect(published.status, published.text).toBe(200);
	const read = await server.get('/api/registry/versions/1?limit=5000', city);
	version = VersionResponseSchema.parse(read.json);
	findCode = version.sites.find((s) => s.name === '石城')!.code;

	const exact = (v: number) => renderings(v);
	const bad = new Set<string>();
	const allowed = new Set<string>();
	for (const site of version.sites) {
		const into = site.openStatus === '开放' ? allowed : bad;
		const { lat, lon } = site.location as { lat: number; lon: number };
		for (const s of [...exact(lat), ...exact(lon)]) into.add(s);
		const boundary = site.boundary as { coordinates: unknown } | undefined;
		if (boundary) {
			for (const v of (boundary.coordinates as unknown[]).flat(3) as number[])
				for (const s of exact(v)) into.add(s);
		}
	}
	// An open site's exact coordinate is public: one that happens to share 4+ decimals with a
	// protected one is not a leak (the demo has 27 open sites beside 932 protected).
	forbidden = new Set([...bad].filter((s) => !allowed.has(s)));
	forbiddenPhrases = new Set(
		version.sites
			.filter((site) => site.openStatus !== '开放')
			.flatMap((site) =>
				[...String(site.description ?? '').matchAll(PLACE_PHRASE)].map((m) => m[0])
			)
	);
}, 180_000);

afterAll(async () => {
	await server?.stop();
});

describe('the public registry', () => {
	it('holds the exact coordinates the walk looks for (the test can fail)', () => {
		expect(forbidden.has('39.8087')).toBe(true);
		expect(forbidden.has('39.80876')).toBe(true);
		expect(forbidden.has('109.91285')).toBe(false); // not a vertex: rounding of 109.912851…
		expect(forbidden.has('109.9129')).toBe(true);
		expect(leaks('{"lat":39.808761,"lon":109.912347}')).toEqual(
			expect.arrayContaining(['39.8087', '39.80876', '39.808761', '109.9123'])
		);
		expect(leaks('{"lat":39.805,"lon":109.915}')).toEqual([]);
		// the demo's protected sites say where they lie: the walk looks for those sentences
		expect(forbiddenPhrases.size).toBeGreaterThan(500);
		const phrase = [...forbiddenPhrases][0]!;
		expect(leaks(`<p class="description">某遗址${phrase}。</p>`)).toEqual([`简介 ${phrase}`]);
	});

	it('needs no login, and finds a two-character name by substring', async () => {
		const response = await server.get('/api/public/sites?q=石城');
		expect(response.status, response.text).toBe(200);
		const body = PublicSearchResponseSchema.parse(response.json);
		expect(body.sites.map((s) => s.code)).toContain(findCode);
		const page = await server.get(`/registry?q=${encodeURIComponent('石城')}`);
		expect(page.status).toBe(200);
		expect(page.text).toContain(`/registry/${findCode}`);
		// a code finds its site, filters narrow, and a bad filter is refused in Chinese
		const byCode = (await server.get(`/api/public/sites?q=${findCode}`)).json as {
			sites: { code: string }[];
		};
		expect(byCode.sites.map((s) => s.code)).toEqual([findCode]);
		const filtered = (await server.get(`/api/public/sites?q=石城&county=150603`)).json as {
			total: number;
		};
		expect(filtered.total).toBe(0);
		const bad = await server.get('/api/public/sites?category=不存在');
		expect(bad.status).toBe(400);
		expect((bad.json as { error: string }).error).toMatch(/类别/);
	});

	it('gives a protected site its generalized point, the same at every request, and no boundary', async () => {
		const one = (await server.get(`/api/public/sites/${findCode}`)).json as {
			site: Record<string, unknown> & { location: { lat: number; lon: number } };
		};
		const two = (await server.get(`/api/public/sites/${findCode}`)).json as typeof one;
		expect(one.site.location).toEqual(two.site.location);
		expect(one.site.location).toEqual({
			lat: generalizeCoordinate(FIND_AT.lat),
			lon: generalizeCoordinate(FIND_AT.lon)
		});
		expect(one.site.generalized).toBe(true);
		expect(PublicSiteResponseSchema.parse(one).frame?.maxZoom).toBe(14);
		// the map's zoom to the result: framed on the public point, never closer than zoom 14
		const points = PublicPointsResponseSchema.parse(
			(await server.get(`/api/public/points?q=${encodeURIComponent('石城')}`)).json
		);
		expect(points.points).toEqual([
			{ code: findCode, name: '石城', ...one.site.location, generalized: true }
		]);
		expect(points.frame).toEqual({
			south: one.site.location.lat,
			north: one.site.location.lat,
			west: one.site.location.lon,
			east: one.site.location.lon,
			maxZoom: 14
		});
		expect(one.site).not.toHaveProperty('boundary');
		expect(one.site).not.toHaveProperty('address');
		for (const key of ['recordId', 'recordRevision', 'source', 'lineage', 'surveyors'])
			expect(one.site).not.toHaveProperty(key);
	});

	it('serves public photos without EXIF or GPS', async () => {
		for (const code of [findCode, protectedSite.code]) {
			const detail = (await server.get(`/api/public/sites/${code}`)).json as {
				photos: { n: number }[];
			};
			expect(detail.photos.length).toBe(1);
			const response = await fetch(`${server.url}/api/public/sites/${code}/photos/0`);
			expect(response.status).toBe(200);
			expect(response.headers.get('content-type')).toBe('image/jpeg');
			const bytes = Buffer.from(await response.arrayBuffer());
			expect(bytes.subarray(0, 2)).toEqual(Buffer.from([0xff, 0xd8]));
			expect(await exifr.gps(bytes)).toBeUndefined();
			// nothing but the JFIF header (APP0) is left: no TIFF/EXIF, XMP, IPTC or ICC
			const meta = (await exifr.parse(bytes, true)) as Record<string, unknown>;
			expect(
				Object.keys(meta).every(
					(k) =>
						k.startsWith('JFIF') || /^[XY]?(Resolution|Thumbnail)/.test(k) || k === 'ResolutionUnit'
				)
			).toBe(true);
			walked.set(`photo ${code}`, leaks(bytes.toString('latin1')));
		}
		// the original still has its GPS: the check above could fail
		expect(await exifr.gps(Buffer.from(GPS_JPEG))).toMatchObject({ latitude: 39.825018 });
		expect((await fetch(`${server.url}/api/public/sites/${findCode}/photos/1`)).status).toBe(404);
	});

	it('leaks no exact coordinate or boundary vertex of a protected site by any public route', async () => {
		await walk('/registry');
		await walk(`/registry?q=${encodeURIComponent('石城')}`);
		await walk('/sitemap.xml');
		await walk('/robots.txt');
		await walk('/api/public/points');
		await walk('/api/public/points?county=150602');
		await walk(`/api/public/points?q=${encodeURIComponent('石城')}`);
		const first = (await server.get('/api/public/sites')).json as {
			total: number;
			pageSize: number;
		};
		expect(first.total).toBe(version.sites.length);
		const pages = Math.ceil(first.total / first.pageSize);
		for (let page = 1; page <= pages; page++) {
			await walk(`/api/public/sites?page=${page}`);
			if (page <= 5 || page === pages) await walk(`/registry?page=${page}`);
		}
		for (const site of version.sites) {
			await walk(`/api/public/sites/${site.code}`);
			await walk(`/registry/${site.code}`);
			await walk(`/registry/${site.code}/form`);
		}
		// a signed-in reviewer gets exactly what a visitor gets
		const session = await server.login('city');
		for (const path of ['/registry', `/registry/${findCode}`, `/registry/${findCode}/form`]) {
			const visitor = await server.get(path);
			const signedIn = await server.request('GET', path, {
				headers: { cookie: session.cookie! }
			});
			const unnonced = (html: string) => html.replace(/nonce="[^"]*"/g, 'nonce=""');
			expect(unnonced(signedIn.text)).toBe(unnonced(visitor.text));
		}
		// the walk reads 度分秒: the reviewers' exact form of the same find would be caught
		const exactForm = await server.request('GET', `/review/records/${find.id}/form`, {
			headers: { cookie: session.cookie! }
		});
		expect(exactForm.status).toBe(200);
		expect(leaks(exactForm.text).filter((l) => l.includes('°')).length).toBeGreaterThan(0);
		for (const path of DOWNLOADS) {
			const response = await server.get(path);
			if (response.status === 404) {
				notAnswering.push(path);
				continue;
			}
			await walk(path);
		}
		const leaked = [...walked].filter(([, found]) => found.length > 0);
		expect(leaked).toEqual([]);
		expect(walked.size).toBeGreaterThan(3 * version.sites.length);
	}, 600_000);

	it('walked every download: none of them answered 404', () => {
		expect(notAnswering).toEqual([]);
	});
});
