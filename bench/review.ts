/**
 * The review figures of `npm run bench` (issue 12), `npm run bench -- --only review` (part of
 * `--only server`): with BENCH_REVIEW_RECORDS records (100,000) in the database, on SQLite and on
 * PostgreSQL 15 (a throw-away cluster from scripts/pg-cluster.sh, fsync on), through the
 * production build (`node $BUILD_DIR`):
 *
 * 1. the review queue, `GET /api/review/records`, p95 of each of six views a reviewer opens
 *    (QUEUE_VIEWS), BENCH_REVIEW_RUNS requests each; the figure is the slowest view's p95;
 * 2. the record page, `GET /review/records/{id}` (the server-rendered page, whole response) and
 *    `GET /api/records/{id}` (the record, its findings and history), p95 over BENCH_REVIEW_RUNS
 *    random records of the county reviewer's county;
 * 3. the census statistics page of the whole city (issue 14): `GET /review/stats` (the
 *    server-rendered page, whole response), p95 of BENCH_REVIEW_RUNS requests; and the page as a
 *    city reviewer sees it in Chromium, from navigation to every chart drawn and the county map
 *    coloured (`data-ready` on both), p95 of BENCH_STATS_LOADS loads (target: under 1 s), and
 *    those loads' first contentful paint (the server-rendered figures on screen).
 *
 * Baseline of each: the same requests to the same server build on the same database engine
 * holding BENCH_REVIEW_BASELINE_RECORDS records (1,000), measured in the same run, interleaved
 * request by request with the big one, so the ratio says how the figure grows with the data.
 *
 * The records are written into the database before the server starts (bench/review-seed.ts: the
 * rows pushes and decisions store, in bulk transactions; the demo accounts first, through the
 * server's own seeding). On PostgreSQL the bulk load is followed by ANALYZE, as autovacuum would
 * do on a database that grew over months; SQLite gets nothing the server does not do itself.
 * Requests are one at a time, as one reviewer at a desk makes them, logged in with a token (the
 * review pages take it as the session cookie would be taken), over a keep-alive connection to
 * localhost: the time is the server's, from request to the last byte of the answer.
 *
 * Without PostgreSQL the PostgreSQL rows say so and the SQLite ones are still measured. Knobs:
 * BENCH_REVIEW_RECORDS (100000), BENCH_REVIEW_BASELINE_RECORDS (1000), BENCH_REVIEW_RUNS (60),
 * BENCH_STATS_LOADS (12), BENCH_PG_FSYNC (on); BENCH_VERBOSE=1 logs the steps and each view's p95.
 */
import { chromium } from '@playwright/test';
import { sql } from 'kysely';
import { cpus, loadavg } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { SurveyServer } from '../src/lib/server/app.js';
import { createPostgresDatabase } from '../src/lib/server/db/provision.js';
import type { CountyCode } from '../src/lib/domain/codelists/index.js';
import { QUEUE_PAGE_SIZE } from '../src/lib/domain/sync/wire.js';
import { call, login, type Session } from './client.js';
import {
	errorText,
	failedRow,
	log,
	num,
	p95,
	row,
	benchPostgres,
	startProductionServer,
	stopProcess,
	type Row
} from './common.js';
import { CHROMIUM_ARGS, CHROMIUM_PATH } from '../tests/chromium.js';
import { loadDemo, rng } from './records.js';
import { seedReviewRecords, type SeededRecord } from './review-seed.js';

const RECORDS = num('BENCH_REVIEW_RECORDS', 100_000);
const BASELINE_RECORDS = num('BENCH_REVIEW_BASELINE_RECORDS', 1000);
/** Timed requests of each queue view and of each record route, on each server. */
const RUNS = num('BENCH_REVIEW_RUNS', 60);
/** Loads of the statistics page in Chromium, on each server. */
const STATS_LOADS = num('BENCH_STATS_LOADS', 12);
const PASSWORD = 'bench-password';
/** The county reviewer's county: 东胜区. */
const COUNTY: CountyCode = '150602';
const QUEUE_TARGET_MS = 50;
const PAGE_TARGET_MS = 100;
/** The statistics page drawn in the browser (issue 14: under 1 s with 100,000 records). */
const STATS_RENDER_TARGET_MS = 1000;

type Backend = 'sqlite' | 'postgres';
const LABEL: Record<Backend, string> = { sqlite: 'SQLite', postgres: 'PostgreSQL' };

/**
 * What a reviewer opens: the county reviewer's default page, the city reviewer's, the records
 * waiting for a decision, those with QC errors, the whole city by name, and the middle page of
 * the county's list (page 112 of 223 at 100,000 records). Every view asks for one page of 50, as
 * the review page does.
 */
const QUEUE_VIEWS: {
	label: string;
	who: 'county' | 'city';
	query: (countyRecords: number) => string;
}[] = [
	{ label: 'county default', who: 'county', query: () => `county=${COUNTY}&page=1` },
	{ label: 'city default', who: 'city', query: () => 'page=1' },
	{
		label: 'submitted',
		who: 'county',
		query: () => `county=${COUNTY}&status=submitted&page=1`
	},
	{ label: 'QC errors', who: 'county', query: () => `county=${COUNTY}&severity=error&page=1` },
	{ label: 'city by name', who: 'city', query: () => 'sort=name&page=1' },
	{
		label: 'county middle page',
		who: 'county',
		query: (n) => `county=${COUNTY}&page=${Math.ceil(Math.ceil(n / QUEUE_PAGE_SIZE) / 2)}`
	}
];
const ROUTES = [
	{ key: 'page', path: (id: string) => `/review/records/${id}` },
	{ key: 'api', path: (id: string) => `/api/records/${id}` }
] as const;

/** One server under test and what was measured on it. */
type Side = {
	backend: Backend;
	records: number;
	origin: string;
	county: Session;
	city: Session;
	/** records of the county reviewer's county */
	countyRecords: number;
	/** ids of the county reviewer's county, in a seeded random order */
	ids: string[];
	queue: number[][];
	page: number[];
	api: number[];
	/** GET /review/stats, server time */
	stats: number[];
	/** the statistics page in Chromium, navigation to charts and map drawn */
	statsRender: number[];
	/** the same loads' first contentful paint: the server-rendered figures on screen */
	statsPaint: number[];
};

/** One timed GET; throws unless it answers 200 (and, for the queue, a page of records). */
async function timedGet(origin: string, path: string, session: Session, queue = false) {
	const start = performance.now();
	const res = await call(origin, path, { method: 'GET', token: session.token });
	const ms = performance.now() - start;
	if (res.status !== 200) throw new Error(`GET ${path}: ${res.status} ${res.text.slice(0, 200)}`);
	if (queue && (JSON.parse(res.text) as { records: unknown[] }).records.length === 0)
		throw new Error(`GET ${path}: an empty page`);
	return ms;
}

/** A seeded random order of the county's records (every status). */
function sample(seeded: SeededRecord[], count: number, seed: number): string[] {
	const ids = seeded.filter((r) => r.countyCode === COUNTY).map((r) => r.id);
	const random = rng(seed);
	for (let i = ids.length - 1; i > 0; i--) {
		const j = Math.floor(random.next() * (i + 1));
		[ids[i], ids[j]] = [ids[j]!, ids[i]!];
	}
	return ids.slice(0, count);
}

const STATS_PATH = '/review/stats';

/**
 * The statistics page as the city reviewer opens it, STATS_LOADS times on each server in turn
 * (one warm-up load each first): a fresh page each time (the browser's cache kept, as a reviewer's
 * second visit), from `goto` to the charts and the county map both marked drawn.
 */
async function statsRenders(
	sides: Side[],
	measure: (backend: Backend, work: () => Promise<void>) => Promise<void>
) {
	const browser = await chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS });
	try {
		const contexts = await Promise.all(
			sides.map((side) =>
				browser.newContext({
					viewport: { width: 1280, height: 800 },
					locale: 'zh-CN',
					extraHTTPHeaders: { Authorization: `Bearer ${side.city.token}` }
				})
			)
		);
		for (let load = -1; load < STATS_LOADS; load++)
			for (const [i, side] of sides.entries())
				await measure(side.backend, async () => {
					const page = await contexts[i]!.newPage();
					try {
						const start = performance.now();
						const res = await page.goto(side.origin + STATS_PATH);
						if (res?.status() !== 200) throw new Error(`${STATS_PATH}: ${res?.status()}`);
						await page
							.locator('[data-testid="stats-charts"][data-ready="true"]')
							.waitFor({ timeout: 30_000 });
						await page
							.locator('[data-testid="stats-map"][data-ready="true"]')
							.waitFor({ timeout: 30_000 });
						const ms = performance.now() - start;
						const paint = await page.evaluate(
							() => performance.getEntriesByName('first-contentful-paint')[0]?.startTime ?? NaN
						);
						if (!Number.isFinite(paint)) throw new Error(`${STATS_PATH}: no contentful paint`);
						if (load >= 0) {
							side.statsRender.push(ms);
							side.statsPaint.push(paint);
						}
					} finally {
						await page.close();
					}
				});
	} finally {
		await browser.close();
	}
}

export async function reviewFigures(options: { tmp: string; buildDir: string }): Promise<Row[]> {
	const { tmp, buildDir } = options;
	const { registry, counties } = loadDemo();

	const cluster = await benchPostgres('review');
	const { postgres } = cluster;
	let { noPostgres } = cluster;
	const procs: Awaited<ReturnType<typeof startProductionServer>>['proc'][] = [];
	const sides: Side[] = [];
	try {
		// the two databases are filled at once: PostgreSQL works in its own processes meanwhile
		const setUp = async (backend: Backend) => {
			for (const records of [RECORDS, BASELINE_RECORDS]) {
				const dataDir = join(tmp, `review-${backend}-${records}`);
				const url =
					backend === 'postgres'
						? await createPostgresDatabase(postgres!.url, 'bench_review')
						: undefined;
				const t0 = performance.now();
				const seeding = await SurveyServer.open({
					dataDir,
					databaseUrl: url,
					counties,
					seedDemo: true,
					demoPassword: PASSWORD,
					demoRegistry: () => registry
				});
				let seeded: SeededRecord[];
				try {
					await seeding.start();
					seeded = await seedReviewRecords(seeding.store, { total: records, registry, counties });
					if (backend === 'postgres') await sql`ANALYZE`.execute(seeding.store.db);
				} finally {
					await seeding.close();
				}
				log(
					`${LABEL[backend]}: ${records} records written in ${Math.round(performance.now() - t0)} ms`
				);
				const { origin, proc } = await startProductionServer({
					buildDir,
					dataDir,
					demoPassword: PASSWORD,
					ready: '/api/public/info',
					env: url ? { DATABASE_URL: url } : {}
				});
				procs.push(proc);
				sides.push({
					backend,
					records,
					origin,
					county: await login(origin, `reviewer-${COUNTY}`, PASSWORD),
					city: await login(origin, 'city', PASSWORD),
					countyRecords: seeded.filter((r) => r.countyCode === COUNTY).length,
					ids: sample(seeded, RUNS, records),
					queue: QUEUE_VIEWS.map(() => []),
					page: [],
					api: [],
					stats: [],
					statsRender: [],
					statsPaint: []
				});
			}
		};
		const [sqliteSetUp, postgresSetUp] = await Promise.allSettled([
			setUp('sqlite'),
			postgres ? setUp('postgres') : Promise.resolve()
		]);
		if (sqliteSetUp.status === 'rejected') throw sqliteSetUp.reason;
		if (postgresSetUp.status === 'rejected') {
			noPostgres = `the servers on PostgreSQL did not start: ${errorText(postgresSetUp.reason)}`;
			console.error(`review figures: ${noPostgres}`);
			sides.splice(0, sides.length, ...sides.filter((s) => s.backend !== 'postgres'));
		}
		// in a fixed order: the big database first, SQLite first
		sides.sort((a, b) => a.backend.localeCompare(b.backend) * -1 || b.records - a.records);

		// ---- measure: every request to every server in turn, so drift hits them alike ----------
		const failed = new Map<Backend, string>();
		const measure = async (backend: Backend, work: () => Promise<void>) => {
			if (failed.has(backend)) return;
			try {
				await work();
			} catch (error) {
				failed.set(backend, errorText(error));
				console.error(`review figures, ${LABEL[backend]}: ${failed.get(backend)}`);
			}
		};
		const queuePath = (side: Side, view: (typeof QUEUE_VIEWS)[number]) =>
			`/api/review/records?${view.query(side.countyRecords)}`;
		// warm-up: each view and route twice on every server, untimed
		for (let w = 0; w < 2; w++)
			for (const side of sides)
				await measure(side.backend, async () => {
					for (const view of QUEUE_VIEWS)
						await timedGet(side.origin, queuePath(side, view), side[view.who], true);
					for (const route of ROUTES)
						await timedGet(side.origin, route.path(side.ids[w]!), side.county);
				});
		const t0 = performance.now();
		const load = loadavg()[0]!;
		for (let run = 0; run < RUNS; run++) {
			for (const [v, view] of QUEUE_VIEWS.entries())
				for (const side of sides)
					await measure(side.backend, async () => {
						side.queue[v]!.push(
							await timedGet(side.origin, queuePath(side, view), side[view.who], true)
						);
					});
			for (const route of ROUTES)
				for (const side of sides)
					await measure(side.backend, async () => {
						const id = side.ids[run % side.ids.length]!;
						side[route.key].push(await timedGet(side.origin, route.path(id), side.county));
					});
		}
		// the statistics page: server time, then drawn in Chromium (in turn, server by server)
		for (let run = 0; run < RUNS; run++)
			for (const side of sides)
				await measure(side.backend, async () => {
					side.stats.push(await timedGet(side.origin, STATS_PATH, side.city));
				});
		await statsRenders(sides, measure);
		const machine = `load average ${load.toFixed(1)} → ${loadavg()[0]!.toFixed(1)} on ${cpus().length} CPUs while measuring`;
		log(`review requests measured in ${Math.round(performance.now() - t0)} ms; ${machine}`);
		if (failed.has('sqlite')) throw new Error(failed.get('sqlite'));

		// ---- rows ----------------------------------------------------------------------------
		const views = (side: Side) =>
			QUEUE_VIEWS.map((view, v) => ({ label: view.label, p95: p95(side.queue[v]!) }));
		const worst = (side: Side) =>
			views(side).reduce((a, b) => (b.p95 > a.p95 ? b : a), { label: '', p95: -Infinity });
		const list = (side: Side) =>
			views(side)
				.map((v) => `${v.label} ${v.p95.toFixed(1)}`)
				.join(', ');
		const n = (count: number) => count.toLocaleString('en-US');
		const rows: Row[] = [];
		for (const backend of ['sqlite', 'postgres'] as const) {
			const big = sides.find((s) => s.backend === backend && s.records === RECORDS);
			const small = sides.find((s) => s.backend === backend && s.records === BASELINE_RECORDS);
			const suffix = backend === 'sqlite' ? '' : '-postgres';
			const queueWhat = `review queue GET /api/review/records, slowest of ${QUEUE_VIEWS.length} views' p95 (${RUNS} requests each), ${n(RECORDS)} records, ${LABEL[backend]}`;
			const pageWhat = `record page GET /review/records/{id} (server-rendered), p95 of ${RUNS} records, ${n(RECORDS)} records, ${LABEL[backend]}`;
			const apiWhat = `record GET /api/records/{id} (record, findings, history), p95 of ${RUNS} records, ${n(RECORDS)} records, ${LABEL[backend]}`;
			const statsWhat = `statistics page GET /review/stats (server-rendered, whole city), p95 of ${RUNS} requests, ${n(RECORDS)} records, ${LABEL[backend]}`;
			const renderWhat = `statistics page in Chromium, navigation to charts and county map drawn, p95 of ${STATS_LOADS} loads, ${n(RECORDS)} records, ${LABEL[backend]}`;
			const paintWhat = `statistics page in Chromium, first contentful paint (the server-rendered figures), p95 of ${STATS_LOADS} loads, ${n(RECORDS)} records, ${LABEL[backend]}`;
			const missing = failed.get(backend) ?? (backend === 'postgres' ? noPostgres : '');
			if (!big || !small || failed.has(backend)) {
				const valueText = failed.has(backend) ? 'failed' : 'not run';
				rows.push(
					failedRow(`review-queue-p95${suffix}`, queueWhat, missing, { valueText }),
					failedRow(`record-page-p95${suffix}`, pageWhat, missing, { valueText }),
					failedRow(`record-api-p95${suffix}`, apiWhat, missing, { valueText }),
					failedRow(`stats-page-p95${suffix}`, statsWhat, missing, { valueText }),
					failedRow(`stats-render-p95${suffix}`, renderWhat, missing, { valueText }),
					failedRow(`stats-paint-p95${suffix}`, paintWhat, missing, { valueText })
				);
				continue;
			}
			log(`${LABEL[backend]} queue p95 (ms), ${n(RECORDS)}: ${list(big)}`);
			log(`${LABEL[backend]} queue p95 (ms), ${n(BASELINE_RECORDS)}: ${list(small)}`);
			const baselineLabel = `the same on ${n(BASELINE_RECORDS)} records, same run`;
			rows.push(
				row({
					id: `review-queue-p95${suffix}`,
					what: queueWhat,
					unit: 'ms',
					value: worst(big).p95,
					baseline: worst(small).p95,
					baselineLabel,
					target: QUEUE_TARGET_MS,
					note: `p95 per view (ms), ${n(RECORDS)} records: ${list(big)}; ${n(BASELINE_RECORDS)} records: ${list(small)}; ${machine}`
				}),
				row({
					id: `record-page-p95${suffix}`,
					what: pageWhat,
					unit: 'ms',
					value: p95(big.page),
					baseline: p95(small.page),
					baselineLabel,
					target: PAGE_TARGET_MS
				}),
				row({
					id: `record-api-p95${suffix}`,
					what: apiWhat,
					unit: 'ms',
					value: p95(big.api),
					baseline: p95(small.api),
					baselineLabel,
					target: PAGE_TARGET_MS
				}),
				row({
					id: `stats-page-p95${suffix}`,
					what: statsWhat,
					unit: 'ms',
					value: p95(big.stats),
					baseline: p95(small.stats),
					baselineLabel
				}),
				row({
					id: `stats-render-p95${suffix}`,
					what: renderWhat,
					unit: 'ms',
					value: p95(big.statsRender),
					baseline: p95(small.statsRender),
					baselineLabel,
					target: STATS_RENDER_TARGET_MS
				}),
				row({
					id: `stats-paint-p95${suffix}`,
					what: paintWhat,
					unit: 'ms',
					value: p95(big.statsPaint),
					baseline: p95(small.statsPaint),
					baselineLabel
				})
			);
		}
		return rows;
	} finally {
		await Promise.all(procs.map((p) => stopProcess(p)));
		await postgres?.stop();
	}
}
