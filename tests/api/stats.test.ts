/**
 * The census statistics (issue 14 point 2): `GET /api/review/stats` and the page /review/stats,
 * for records pushed and decided through the real server, against every figure computed again
 * straight from the server's database with plain SQL (SQLite read-only, or PostgreSQL with
 * TEST_PG_URL); and who may see which counties.
 */
import BetterSqlite3 from 'better-sqlite3';
import pg from 'pg';
import { readdirSync, readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RECORD_STATUSES } from '$lib/domain/codelists/index.js';
import type { RegisteredSite, SurveyRecord } from '$lib/domain/schemas/index.js';
import {
	STAT_DIMENSION_NAMES,
	STAT_DIMENSIONS,
	STAT_QUEUE_PARAM,
	type CensusStats,
	type StatDimension
} from '$lib/domain/stats.js';
import { ReviewQueueResponseSchema } from '$lib/domain/sync/wire.js';
import {
	BUILD_DIR,
	COUNTY_CODES,
	newFind,
	recheckOf,
	TestServer,
	type ApiResponse
} from './harness.js';
import { offset } from '../fixtures/builders.js';

let server: TestServer;
let city: string;
let reviewer02: string;
let reviewer03: string;
let surveyor02: string;
/** the records pushed here, by what the test made of them */
const made: Record<string, SurveyRecord> = {};

/** One count straight from the database: `text` with `?` parameters, answering one number. */
type Count = (text: string, params?: unknown[]) => Promise<number>;
let count: Count;
let times: (text: string) => Promise<string[]>;
let closeDb: () => Promise<void>;
let postgres = false;

beforeAll(async () => {
	server = await TestServer.start();
	city = await server.as('city');
	reviewer02 = await server.as('reviewer-150602');
	reviewer03 = await server.as('reviewer-150603');
	surveyor02 = await server.as('surveyor-150602');
	const surveyor03 = await server.as('surveyor-150603');
	const sites02 = await server.sites('150602');
	const sites03 = await server.sites('150603');
	const site = (sites: RegisteredSite[], i: number) => sites[i]!;

	// 150602: a re-check and a new find accepted by the city
	made.acceptedRecheck = recheckOf(site(sites02, 0), await server.uploadPhotos(surveyor02, 2));
	made.acceptedFind = newFind(
		'150602',
		offset(site(sites02, 5).location, 2500, 2500),
		await server.uploadPhotos(surveyor02, 2),
		{
			eraGroup: '明代',
			era: '明',
			protectionLevel: '县级文物保护单位',
			condition: '差',
			threats: ['盗掘盗窃', '沙漠化（风沙侵蚀）']
		}
	);
	await server.acceptRecords('150602', [made.acceptedRecheck, made.acceptedFind], '核对无误');
	// a lost site (submitted), one returned, one approved by the county only, one with no threats
	made.lost = recheckOf(site(sites02, 1), [], {
		changeType: '消失',
		lostReason: '2019 年修路时被推平，现场已无遗存'
	});
	made.returned = recheckOf(site(sites02, 2), await server.uploadPhotos(surveyor02, 2));
	made.countyApproved = newFind(
		'150602',
		offset(site(sites02, 6).location, -2500, 2500),
		await server.uploadPhotos(surveyor02, 2),
		{ condition: '较好', threats: [] }
	);
	made.noEra = newFind('150602', offset(site(sites02, 7).location, 2500, -2500), [], {
		eraGroup: '',
		condition: null,
		threats: null
	});
	for (const record of [made.lost, made.returned, made.countyApproved, made.noEra]) {
		const [result] = await server.push(surveyor02, [record]);
		expect(result!.status, JSON.stringify(result)).toBe('accepted');
	}
	// a second re-check of the accepted site: the site counts once
	made.again = recheckOf(site(sites02, 0), []);
	expect((await server.pushOne(surveyor02, made.again)).status).toBe('accepted');
	for (const [record, decision] of [
		[made.returned, 'return'],
		[made.countyApproved, 'approve']
	] as const) {
		const answer = await server.post(
			`/api/records/${record.id}/decision`,
			{ decision, revision: 1, comments: [{ message: '请核对' }] },
			reviewer02
		);
		expect(answer.status, answer.text).toBe(200);
	}
	// 150603: a submitted re-check and new find
	made.other = recheckOf(site(sites03, 0), await server.uploadPhotos(surveyor03, 2));
	made.otherFind = newFind('150603', offset(site(sites03, 3).location, 2500, 2500), [], {
		eraGroup: '清代'
	});
	for (const record of [made.other, made.otherFind])
		expect((await server.pushOne(surveyor03, record)).status).toBe('accepted');

	// the database, beside the server: read-only on SQLite, a client of its own on PostgreSQL
	const url = server.databaseEnv.DATABASE_URL;
	if (url) {
		postgres = true;
		const client = new pg.Client({ connectionString: url });
		await client.connect();
		const dollar = (text: string) => {
			let i = 0;
			return text.replace(/\?/g, () => `$${++i}`);
		};
		count = async (text, params = []) =>
			Number(Object.values((await client.query(dollar(text), params)).rows[0] as object)[0]);
		times = async (text) => (await client.query<{ at: string }>(text)).rows.map((r) => r.at);
		closeDb = () => client.end();
	} else {
		const db = new BetterSqlite3(join(server.dataDir, 'survey.sqlite'), {
			readonly: true,
			fileMustExist: true
		});
		count = (text, params = []) =>
			Promise.resolve(Number(Object.values(db.prepare(text).get(...params) as object)[0]));
		times = (text) =>
			Promise.resolve((db.prepare(text).all() as { at: string }[]).map((r) => r.at));
		closeDb = async () => {
			db.close();
		};
	}
});
afterAll(async () => {
	await closeDb?.();
	await server?.stop();
});

/** The text of `key` of a record's content, in the database's own JSON functions. */
const text = (key: string) =>
	postgres ? `(content::json ->> '${key}')` : `json_extract(content, '$.${key}')`;
/** Whether the record's threats name `?`, and whether it names none. */
const hasThreat = () =>
	postgres
		? `jsonb_typeof(content::jsonb -> 'threats') = 'array' AND jsonb_exists(content::jsonb -> 'threats', ?)`
		: `EXISTS (SELECT 1 FROM json_each(content, '$.threats') WHERE value = ?)`;
const noThreats = () =>
	postgres
		? `coalesce(jsonb_array_length(CASE WHEN jsonb_typeof(content::jsonb -> 'threats') = 'array' THEN content::jsonb -> 'threats' END), 0) = 0`
		: `coalesce(json_array_length(content, '$.threats'), 0) = 0`;

/** Every figure of `counties` computed with SQL, keyed as the page's `data-stat` names them. */
async function expected(counties: readonly string[]): Promise<Map<string, number>> {
	const out = new Map<string, number>();
	const inList = (list: readonly string[]) => list.map(() => '?').join(', ');
	for (const scope of [...counties.map((c) => [c]), [...counties]]) {
		const key = scope.length === 1 && counties.length > 1 ? scope[0]! : 'total';
		// one county alone: its row and the total are the same
		const keys = counties.length === 1 ? [scope[0]!, 'total'] : [key];
		const inScope = `county_code IN (${inList(scope)})`;
		const put = (name: string, n: number) => {
			for (const k of keys) out.set(`${name}:${k}`, n);
		};
		const records = (where: string, params: unknown[] = []) =>
			count(`SELECT count(*) FROM records WHERE ${inScope} AND ${where}`, [...scope, ...params]);
		put('sites', await count(`SELECT count(*) FROM sites WHERE ${inScope}`, scope));
		put(
			'rechecked',
			await count(
				`SELECT count(*) FROM sites s WHERE s.${inScope} AND EXISTS (SELECT 1 FROM records r WHERE r.kind = '复查' AND r.site_code = s.code)`,
				scope
			)
		);
		put(
			'recheckedAccepted',
			await count(
				`SELECT count(*) FROM sites s WHERE s.${inScope} AND EXISTS (SELECT 1 FROM records r WHERE r.kind = '复查' AND r.site_code = s.code AND r.status IN ('accepted', 'published'))`,
				scope
			)
		);
		put('records', await records('1 = 1'));
		put('newFinds', await records(`kind = '新发现'`));
		put('lost', await records(`kind = '复查' AND ${text('changeType')} = '消失'`));
		for (const status of RECORD_STATUSES)
			put(`status.${status}`, await records('status = ?', [status]));
		put('accepted', await records(`status IN ('accepted', 'published')`));
	}
	for (const dim of STAT_DIMENSION_NAMES) {
		for (const scope of [...counties.map((c) => [c]), [...counties]]) {
			const key = scope.length === 1 && counties.length > 1 ? scope[0]! : 'total';
			if (counties.length === 1 && key !== 'total') continue;
			const inScope = `county_code IN (${inList(scope)})`;
			const records = (where: string, params: unknown[] = []) =>
				count(`SELECT count(*) FROM records WHERE ${inScope} AND ${where}`, [...scope, ...params]);
			const column =
				dim === 'category' ? 'category' : text(dim as Exclude<StatDimension, 'threats'>);
			for (const term of STAT_DIMENSIONS[dim])
				out.set(
					`${dim}:${term}:${key}`,
					await records(dim === 'threats' ? hasThreat() : `${column} = ?`, [term])
				);
			out.set(
				`${dim}::${key}`,
				await records(dim === 'threats' ? noThreats() : `coalesce(${column}, '') = ''`)
			);
		}
	}
	// per week (Monday, China time): first pushes, and the records the city accepted that week
	const week = (iso: string) => {
		const china = new Date(Date.parse(iso) + 8 * 3_600_000);
		const monday = new Date(china.getTime() - ((china.getUTCDay() + 6) % 7) * 86_400_000);
		return monday.toISOString().slice(0, 10);
	};
	const where = `county_code IN (${counties.map((c) => `'${c}'`).join(', ')})`;
	for (const at of await times(`SELECT created_at AS at FROM records WHERE ${where}`))
		out.set(`received:${week(at)}`, (out.get(`received:${week(at)}`) ?? 0) + 1);
	const accepted = new Map<string, Set<string>>();
	for (const row of await times(
		`SELECT v.at || ' ' || v.record_id AS at FROM revisions v JOIN records r ON r.id = v.record_id
		 WHERE v.action = 'approve' AND v.status = 'accepted' AND r.${where}`
	)) {
		const [at, id] = row.split(' ');
		const set = accepted.get(week(at!)) ?? new Set<string>();
		accepted.set(week(at!), set.add(id!));
	}
	for (const [w, ids] of accepted) out.set(`weekAccepted:${w}`, ids.size);
	for (const key of out.keys())
		if (key.startsWith('received:') && !out.has(`weekAccepted:${key.slice(9)}`))
			out.set(`weekAccepted:${key.slice(9)}`, 0);
	for (const key of out.keys())
		if (key.startsWith('weekAccepted:') && !out.has(`received:${key.slice(13)}`))
			out.set(`received:${key.slice(13)}`, 0);
	return out;
}

/** The JSON's figures, keyed as the page's `data-stat` names them. */
function figuresOf(stats: CensusStats): Map<string, number> {
	const out = new Map<string, number>();
	const one = stats.counties.length === 1;
	for (const f of [...stats.perCounty, stats.total]) {
		for (const k of [f.county || 'total']) {
			for (const name of [
				'sites',
				'rechecked',
				'recheckedAccepted',
				'records',
				'newFinds',
				'lost',
				'accepted'
			] as const)
				out.set(`${name}:${k}`, f[name]);
			for (const status of RECORD_STATUSES) out.set(`status.${status}:${k}`, f.byStatus[status]);
		}
	}
	for (const dim of STAT_DIMENSION_NAMES)
		for (const row of stats.breakdowns[dim]) {
			if (!one)
				for (const c of stats.counties) out.set(`${dim}:${row.term}:${c}`, row.byCounty[c]!);
			out.set(`${dim}:${row.term}:total`, row.total);
		}
	for (const w of stats.weekly) {
		out.set(`received:${w.week}`, w.received);
		out.set(`weekAccepted:${w.week}`, w.accepted);
	}
	return out;
}

/** The page's figures: each element with a `data-stat`, and its number. */
function pageFigures(html: string): Map<string, number> {
	const out = new Map<string, number>();
	const re =
		/<(?:a|span)\b[^>]*?\bdata-stat="([^"]+)"[^>]*>(?:<!--[^>]*-->|\s)*(\d+)(?:<!--[^>]*-->|\s)*<\//g;
	for (const [, key, n] of html.matchAll(re)) {
		expect(out.has(key!), `figure ${key} twice`).toBe(false);
		out.set(key!.replace(/&amp;/g, '&'), Number(n));
	}
	return out;
}

const sorted = (map: Map<string, number>) => Object.fromEntries([...map].sort());

async function statsOf(path: string, token: string): Promise<CensusStats> {
	const response = await server.get(path, token);
	expect(response.status, response.text).toBe(200);
	return response.json as CensusStats;
}

describe('every figure equals the database', () => {
	for (const [who, path, counties] of [
		['the city reviewer, all counties', '', [...COUNTY_CODES]],
		['the city reviewer, one county', '?county=150603', ['150603']],
		['a county reviewer, its county', '', ['150602']]
	] as const) {
		it(`${who}: JSON and page`, async () => {
			const token = who.startsWith('a county') ? reviewer02 : city;
			const want = await expected(counties);
			const stats = await statsOf(`/api/review/stats${path}`, token);
			expect(stats.counties).toEqual(counties);
			expect(sorted(figuresOf(stats))).toEqual(sorted(want));
			const page = await server.get(`/review/stats${path}`, token);
			expect(page.status, page.text.slice(0, 300)).toBe(200);
			expect(sorted(pageFigures(page.text))).toEqual(sorted(want));
		});
	}

	it('the figures say what was pushed and decided here', async () => {
		const stats = await statsOf('/api/review/stats?county=150602', reviewer02);
		const f = stats.total;
		// made here: two re-checks of site 0 (one site), site 1 lost, site 2 returned
		expect(f.rechecked).toBeGreaterThanOrEqual(3);
		expect(f.recheckedAccepted).toBeGreaterThanOrEqual(1);
		expect(f.lost).toBeGreaterThanOrEqual(1);
		expect(f.byStatus.returned).toBeGreaterThanOrEqual(1);
		expect(f.byStatus.county_approved).toBeGreaterThanOrEqual(1);
		expect(f.accepted).toBeGreaterThanOrEqual(2);
		const era = stats.breakdowns.eraGroup.find((r) => r.term === '明代')!;
		expect(era.total).toBeGreaterThanOrEqual(1);
		const unfilled = stats.breakdowns.eraGroup.find((r) => r.term === '')!;
		expect(unfilled.total).toBeGreaterThanOrEqual(1);
		expect(stats.weekly.reduce((a, w) => a + w.accepted, 0)).toBeGreaterThanOrEqual(2);
	});
});

describe("each figure's link opens the queue it counts", () => {
	async function queueIds(search: string, token: string): Promise<string[]> {
		const response = await server.get(`/api/review/records${search}`, token);
		expect(response.status, response.text).toBe(200);
		return ReviewQueueResponseSchema.parse(response.json).records.map((r) => r.id);
	}

	it('the links of the page, followed, list as many records as the figure says', async () => {
		const page = await server.get('/review/stats?county=150602', reviewer02);
		const re =
			/<a\b[^>]*?href="\/review(\?[^"]*)"[^>]*?data-stat="([^"]+)"[^>]*>(?:<!--[^>]*-->|\s)*(\d+)/g;
		const links = [...page.text.matchAll(re)].map(([, search, key, n]) => ({
			search: search!.replace(/&amp;/g, '&'),
			key: key!,
			n: Number(n)
		}));
		expect(links.length).toBeGreaterThan(50);
		// the weekly figures link too: received, and accepted by the city, in that week
		expect(links.some((l) => l.key.startsWith('received:') && l.n > 0)).toBe(true);
		expect(links.some((l) => l.key.startsWith('weekAccepted:') && l.n > 0)).toBe(true);
		for (const link of links) {
			const ids = await queueIds(link.search, reviewer02);
			expect(ids.length, `${link.key} ${link.search}`).toBe(link.n);
		}
	});

	it('the statistics filters pick the records made here', async () => {
		const q = (params: Record<string, string>) =>
			queueIds(`?${new URLSearchParams({ county: '150602', ...params }).toString()}`, reviewer02);
		expect(await q({ kind: '复查', change: '消失' })).toContain(made.lost!.id);
		expect(await q({ kind: '复查', change: '消失' })).not.toContain(made.returned!.id);
		expect(await q({ [STAT_QUEUE_PARAM.eraGroup]: '明代' })).toContain(made.acceptedFind!.id);
		expect(await q({ level: '县级文物保护单位' })).toContain(made.acceptedFind!.id);
		expect(await q({ condition: '差' })).toContain(made.acceptedFind!.id);
		expect(await q({ condition: '差' })).not.toContain(made.countyApproved!.id);
		expect(await q({ threat: '沙漠化（风沙侵蚀）' })).toContain(made.acceptedFind!.id);
		expect(await q({ threat: '沙漠化（风沙侵蚀）' })).not.toContain(made.noEra!.id);
		expect(await q({ kind: '新发现' })).not.toContain(made.lost!.id);
		const bad = await server.get('/api/review/records?era=不存在', reviewer02);
		expect(bad.status).toBe(400);
		// a week is named by its Monday
		const tuesday = await server.get('/api/review/records?receivedWeek=2026-12-08', reviewer02);
		expect(tuesday.status).toBe(400);
		expect(tuesday.text).toContain('周一');
		// the queue page shows them, and keeps them in its filter form
		const queuePage = await server.get(
			`/review?county=150602&era=${encodeURIComponent('明代')}`,
			reviewer02
		);
		expect(queuePage.status).toBe(200);
		expect(queuePage.text).toContain('data-testid="queue-stats-filters"');
		expect(queuePage.text).toMatch(/name="era" value="明代"/);
	});
});

describe('scope: role × county', () => {
	function refused(response: ApiResponse, status: number) {
		expect(response.status, response.text.slice(0, 200)).toBe(status);
	}

	it('a surveyor is refused, in its own county too (API and page)', async () => {
		refused(await server.get('/api/review/stats', surveyor02), 403);
		refused(await server.get('/api/review/stats?county=150602', surveyor02), 403);
		refused(await server.get('/review/stats', surveyor02), 403);
		refused(await server.get('/review/stats?county=150602', surveyor02), 403);
	});

	it('a county reviewer sees its county, and is refused another', async () => {
		expect((await statsOf('/api/review/stats', reviewer03)).counties).toEqual(['150603']);
		expect((await statsOf('/api/review/stats?county=150603', reviewer03)).counties).toEqual([
			'150603'
		]);
		refused(await server.get('/api/review/stats?county=150602', reviewer03), 403);
		refused(await server.get('/review/stats?county=150602', reviewer03), 403);
		const page = await server.get('/review/stats', reviewer03);
		expect(page.text).not.toContain('data-stat="sites:150602"');
	});

	it('the city reviewer sees all nine, or the one it names', async () => {
		expect((await statsOf('/api/review/stats', city)).counties).toEqual([...COUNTY_CODES]);
		expect((await statsOf('/api/review/stats?county=150627', city)).counties).toEqual(['150627']);
	});

	it('a bad county or an unknown parameter is a 400; no login is a 401', async () => {
		refused(await server.get('/api/review/stats?county=999999', city), 400);
		refused(await server.get('/api/review/stats?status=accepted', city), 400);
		refused(await server.get('/review/stats?county=999999', city), 400);
		refused(await server.get('/review/stats?foo=1', city), 400);
		refused(await server.get('/api/review/stats'), 401);
	});
});

describe("the charts' library is loaded by the statistics page only", () => {
	it('its chunk is imported by one module, dynamically, which the statistics page loads', async () => {
		const dir = join(BUILD_DIR, 'client', '_app', 'immutable');
		const files = readdirSync(dir, { recursive: true, encoding: 'utf8' })
			.filter((f) => f.endsWith('.js'))
			.map((f) => ({ path: f, name: basename(f), text: readFileSync(join(dir, f), 'utf8') }));
		// Chart.js marks its canvases with the property `_chartjs`
		const library = files.filter((f) => f.text.includes('_chartjs'));
		expect(library.map((f) => f.name)).toHaveLength(1);
		const chunk = library[0]!.name;
		const importers = files.filter((f) => f.name !== chunk && f.text.includes(chunk));
		expect(importers).toHaveLength(1);
		const importer = importers[0]!;
		// a dynamic import(), not a static one a page would preload
		expect(importer.text).toMatch(new RegExp(`import\\(\`[^\`]*${chunk.replace('.', '\\.')}\``));
		expect(importer.text).not.toMatch(new RegExp(`from"[^"]*${chunk.replace('.', '\\.')}"`));
		// the module is a page node (nodes/<n>.<hash>.js), and the node is the statistics page's:
		// its HTML lists the nodes it hydrates (node_ids), and no other review page lists it
		const node = /^nodes[/\\](\d+)\./.exec(importer.path)?.[1];
		expect(node, importer.path).toBeDefined();
		const nodesOf = async (path: string) => {
			const html = (await server.get(path, city)).text;
			const ids = /node_ids: \[([\d, ]+)\]/.exec(html)?.[1];
			expect(ids, path).toBeDefined();
			return ids!.split(',').map((id) => id.trim());
		};
		expect(await nodesOf('/review/stats')).toContain(node);
		for (const other of ['/review', '/review/teams', '/review/registry', '/review/samples'])
			expect(await nodesOf(other), other).not.toContain(node);
	});
});
