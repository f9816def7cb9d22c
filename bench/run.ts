/**
 * `npm run bench`: the performance figures, each measured side by side with its baseline in the
 * same run and reported as a ratio, and each against its target. Prints a table and writes
 * bench/results/latest.json.
 *
 * - `app`: the field app, against the production build in Debian's Chromium: CPU-throttled (4×,
 *   standing in for a tablet) against unthrottled.
 * - `domain` (bench/domain.ts): the code the tablet and server share, in this process: QC of one
 *   record against 20,000 sites and 2,000 records against 200 and 20, and the demo registry
 *   generator making 20,000 sites against 1,000.
 * - `server` (bench/server.ts): photo upload and 200 devices at once through the production
 *   server, against a bare http server and sequential sessions.
 * - `db` (bench/db.ts): push ingest and a full pull through the production server on SQLite and
 *   on PostgreSQL side by side: SQLite against raw better-sqlite3 inserts and reads, PostgreSQL
 *   against SQLite.
 * - `trust` (bench/trust.ts): the server against hostile clients: pushes during a login flood
 *   against idle pushes, and its peak memory refusing hostile backup files against importing a
 *   legitimate one.
 * - `review` (bench/review.ts): with 100,000 records in the database, on SQLite and on PostgreSQL,
 *   the review queue's p95 and the record page's server time p95, against the same requests to
 *   the same build holding 1,000 records.
 * - `publish` (bench/publish.ts): the time of publishing 10,000 accepted records as a registry
 *   version, on SQLite and on PostgreSQL, against publishing 1,000.
 * - `public` (bench/public.ts): the public registry's search p95 with 100,000 published sites,
 *   on SQLite and on PostgreSQL, against the same searches over 1,000.
 * - `export` (bench/export.ts): each registry download format of a 100,000-site version, its
 *   time and the server's RSS growth, on SQLite and on PostgreSQL, against a 1,000-site version.
 *
 * `npm run bench -- --only server` (every server part: server, db, trust, review, publish, public
 * and export; or `--only db`, `--only trust`, `--only review`, `--only publish`, `--only public`,
 * `--only export`, `--only domain`, `--only app`, or BENCH_ONLY) runs a selection; the rows of the other parts stay
 * in latest.json as they were. Uses the build in `$BUILD_DIR` (default `build`;
 * e.g. `BUILD_DIR=build-bench KIT_OUT_DIR=.svelte-kit-bench npm run build`), making one when
 * missing, and starts its own servers on free ports with temporary DATA_DIRs.
 */
import { chromium, type Browser, type BrowserContext, type Page } from '@playwright/test';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { CHROMIUM_ARGS, CHROMIUM_PATH } from '../tests/chromium.js';
import { waitForServiceWorker } from '../tests/e2e/service-worker.js';
import { median, p95, row, startProductionServer, stopProcess, type Row } from './common.js';
import { dbFigures } from './db.js';
import { domainFigures } from './domain.js';
import { reviewFigures } from './review.js';
import { publishFigures } from './publish.js';
import { exportFigures } from './export.js';
import { publicFigures } from './public.js';
import { serverFigures } from './server.js';
import { trustFigures } from './trust.js';

const PARTS = [
	'app',
	'domain',
	'server',
	'db',
	'trust',
	'review',
	'publish',
	'public',
	'export'
] as const;
type Part = (typeof PARTS)[number];
/**
 * What each `--only` runs: `server` is every server figure, `db` push and pull on both databases
 * alone, `trust` the hostile-client ones alone, `review` the review queue and record page alone.
 */
const SELECTORS: Record<string, Part[]> = {
	app: ['app'],
	domain: ['domain'],
	server: ['server', 'db', 'trust', 'review', 'publish', 'public', 'export'],
	db: ['db'],
	trust: ['trust'],
	review: ['review'],
	publish: ['publish'],
	public: ['public'],
	export: ['export']
};
const args = process.argv.slice(2);
const onlyAt = args.findIndex((a) => a === '--only' || a.startsWith('--only='));
const only =
	onlyAt < 0
		? process.env.BENCH_ONLY
		: args[onlyAt]!.includes('=')
			? args[onlyAt]!.slice('--only='.length)
			: args[onlyAt + 1];
if (only !== undefined && !Object.hasOwn(SELECTORS, only)) {
	console.error(`--only takes one of: ${Object.keys(SELECTORS).join(', ')}`);
	process.exit(2);
}
const BUILD_DIR = process.env.BUILD_DIR ?? 'build';

const THROTTLE = 4;
const RUNS = Number(process.env.BENCH_RUNS ?? 5);
const PHOTO_RUNS = Number(process.env.BENCH_PHOTO_RUNS ?? RUNS);
const PHOTO_12MP = 'tests/fixtures/photos/site-dongsheng-12mp.jpg';

const rows: Row[] = [];
const tmp = mkdtempSync(join(tmpdir(), 'survey-bench-'));

async function throttle(page: Page, rate: number) {
	const cdp = await page.context().newCDPSession(page);
	await cdp.send('Emulation.setCPUThrottlingRate', { rate });
	return cdp;
}

/**
 * A device that has visited once online: service worker installed, registry on the device
 * (the demo one, or `registryFile` imported through the UI), the whole city (or `county`) chosen.
 */
async function preparedDevice(
	browser: Browser,
	origin: string,
	registryFile?: string,
	county: RegExp = /全市/
): Promise<BrowserContext> {
	const context = await browser.newContext({
		baseURL: origin,
		viewport: { width: 1280, height: 800 }
	});
	const page = await context.newPage();
	await page.goto('/');
	await waitForServiceWorker(page);
	await page
		.getByRole('button', { name: /伊金霍洛旗/ })
		.filter({ hasNotText: / 0 处/ })
		.waitFor();
	if (registryFile) {
		await page.getByTestId('import-registry').setInputFiles(registryFile);
		await page.getByTestId('import-message').waitFor({ timeout: 120_000 });
	}
	await page.getByRole('button', { name: county }).click();
	await page.getByTestId('current-county').waitFor();
	await page.close();
	return context;
}

/** A device in 东胜区 (demo registry) whose location permission is granted, for the photo step. */
async function preparedDongshengDevice(browser: Browser, origin: string): Promise<BrowserContext> {
	const context = await preparedDevice(browser, origin, undefined, /东胜区/);
	await context.grantPermissions(['geolocation']);
	await context.setGeolocation({ latitude: 39.6, longitude: 109.98, accuracy: 5 });
	return context;
}

/** Cold offline start: a new page, network off, straight to the work list; ms to usable rows. */
async function coldStart(context: BrowserContext, rate: number): Promise<number> {
	await context.setOffline(true);
	const page = await context.newPage();
	await throttle(page, rate);
	await page.goto('/sites');
	await page.waitForFunction(
		() => performance.getEntriesByName('worklist-usable').length > 0,
		null,
		{
			timeout: 60_000
		}
	);
	const marks = await page.evaluate(() =>
		Object.fromEntries(
			['app-mounted', 'sites-read-start', 'sites-read-end', 'worklist-usable'].map((n) => [
				n,
				Math.round(performance.getEntriesByName(n)[0]?.startTime ?? NaN)
			])
		)
	);
	if (process.env.BENCH_VERBOSE) console.log(`  cold start ×${rate}:`, JSON.stringify(marks));
	await page.close();
	await context.setOffline(false);
	return marks['worklist-usable']!;
}

/**
 * The work-list map offline: a new page straight to /sites; the first 'map-points-draw' measure
 * (points-layer.ts) that draws every site. `draw` is its duration (projection and canvas draw);
 * `usable` is its end, from navigation start.
 */
async function mapDraw(
	context: BrowserContext,
	rate: number
): Promise<{ draw: number; usable: number; points: number }> {
	await context.setOffline(true);
	const page = await context.newPage();
	await throttle(page, rate);
	await page.goto('/sites');
	await page.locator('[data-testid="site-map"][data-ready="true"]').waitFor({ timeout: 60_000 });
	const found = await page.waitForFunction(
		() => {
			const usable = performance.getEntriesByName('worklist-usable')[0] as
				PerformanceMark | undefined;
			const sites = (usable?.detail as { sites?: number } | undefined)?.sites;
			if (sites === undefined) return false;
			const draw = performance
				.getEntriesByName('map-points-draw')
				.find((e) => (e as PerformanceMeasure).detail?.points === sites);
			return draw
				? { draw: draw.duration, usable: draw.startTime + draw.duration, points: sites }
				: false;
		},
		null,
		{ timeout: 60_000, polling: 100 }
	);
	const result = (await found.jsonValue()) as { draw: number; usable: number; points: number };
	if (process.env.BENCH_VERBOSE) console.log(`  map ×${rate}:`, JSON.stringify(result));
	await page.close();
	await context.setOffline(false);
	return result;
}

/**
 * A 12-megapixel camera JPEG through the photo step of a new re-check of `siteCode`: from the
 * file input's change event to its tile in the photo grid, measured in the page.
 */
async function photoTime(context: BrowserContext, siteCode: string, rate: number): Promise<number> {
	const page = await context.newPage();
	await page.goto(`/sites/${siteCode}`);
	await page.getByTestId('start-recheck').click();
	await page.waitForURL(/\/records\//);
	await page.getByTestId('step-photos').click();
	await page.getByTestId('photo-grid').waitFor({ state: 'attached' });
	await page.waitForTimeout(300);
	await page.evaluate(() => {
		const grid = document.querySelector('[data-testid="photo-grid"]')!;
		// No named functions in here: tsx would wrap them in a helper (__name) the page lacks.
		const tile = '[data-testid="photo-tile"]';
		const before = grid.querySelectorAll(tile).length;
		let t0 = NaN;
		document.addEventListener(
			'change',
			(e) => {
				if ((e.target as Element).matches?.('[data-testid="photo-files"]') && Number.isNaN(t0)) {
					t0 = performance.now();
				}
			},
			true
		);
		(window as unknown as { __photoTile: Promise<number> }).__photoTile = new Promise((resolve) => {
			const observer = new MutationObserver(() => {
				if (grid.querySelectorAll(tile).length > before) {
					observer.disconnect();
					resolve(performance.now() - t0);
				}
			});
			observer.observe(grid, { childList: true, subtree: true });
			setTimeout(() => {
				observer.disconnect();
				resolve(NaN);
			}, 60_000);
		});
	});
	await throttle(page, rate);
	await page.getByTestId('photo-files').setInputFiles(PHOTO_12MP);
	const ms = await page.evaluate(
		() => (window as unknown as { __photoTile: Promise<number> }).__photoTile
	);
	if (!Number.isFinite(ms)) throw new Error(`photo tile did not appear (${siteCode}, ×${rate})`);
	if (process.env.BENCH_VERBOSE) console.log(`  photo ${siteCode} ×${rate}: ${Math.round(ms)} ms`);
	await page.close();
	return ms;
}

/** Search latency: from the input event to the result count updated in the DOM. */
async function searchLatencies(context: BrowserContext, rate: number): Promise<number[]> {
	const page = await context.newPage();
	await throttle(page, rate);
	await page.goto('/sites');
	await page.waitForFunction(() => performance.getEntriesByName('worklist-usable').length > 0);
	if (process.env.BENCH_VERBOSE) console.log(`  search ×${rate}: list usable`);
	const queries = ['遗址', '150627', '纳林', '墓群', '敖包', '城址', '0042', '召', '乌审', '长城'];
	const out: number[] = [];
	for (let round = 0; round < 3; round++) {
		for (const q of queries) {
			out.push(
				await page.evaluate(async (query) => {
					const input = document.querySelector<HTMLInputElement>('[data-testid="site-search"]')!;
					const count = document.querySelector('[data-testid="result-count"]')!;
					// Start from the full list each time.
					input.value = '';
					input.dispatchEvent(new Event('input', { bubbles: true }));
					await new Promise((r) => setTimeout(r, 50));
					const before = count.textContent;
					return new Promise<number>((resolve) => {
						const t0 = performance.now();
						const observer = new MutationObserver(() => {
							if (count.textContent !== before) {
								observer.disconnect();
								resolve(performance.now() - t0);
							}
						});
						observer.observe(count, { childList: true, characterData: true, subtree: true });
						input.value = query;
						input.dispatchEvent(new Event('input', { bubbles: true }));
						setTimeout(() => {
							observer.disconnect();
							resolve(performance.now() - t0);
						}, 5000);
					});
				}, q)
			);
		}
	}
	await page.close();
	return out;
}

/** The gzipped JS the work-list route loads before it is usable, and what loads after. */
async function initialJs(browser: Browser, origin: string) {
	const context = await browser.newContext({
		baseURL: origin,
		serviceWorkers: 'block',
		viewport: { width: 1280, height: 800 }
	});
	const page = await context.newPage();
	await page.goto('/');
	await page
		.getByRole('button', { name: /伊金霍洛旗/ })
		.filter({ hasNotText: / 0 处/ })
		.waitFor();
	await page.getByRole('button', { name: /全市/ }).click();
	await page.getByTestId('current-county').waitFor();
	await page.close();

	const fresh = await context.newPage();
	const loaded: { url: string; type: string; at: number; gz: number }[] = [];
	const t0 = Date.now();
	fresh.on('response', async (response) => {
		const url = response.url();
		const type = response.request().resourceType();
		try {
			const body = await response.body();
			loaded.push({ url, type, at: Date.now() - t0, gz: gzipSync(body).length });
		} catch {
			/* redirects have no body */
		}
	});
	await fresh.goto('/sites');
	await fresh.waitForFunction(() => performance.getEntriesByName('worklist-usable').length > 0);
	const usableAt = Date.now() - t0;
	await fresh.waitForTimeout(1500);
	await context.close();
	const scripts = loaded.filter((r) => r.type === 'script' || /\.m?js(\?|$)/.test(r.url));
	const data = loaded.filter((r) => /\.(json|geojson)(\?|$)/.test(r.url));
	const sum = (xs: { gz: number }[]) => xs.reduce((a, b) => a + b.gz, 0);
	return {
		initial: sum(scripts.filter((s) => s.at <= usableAt)),
		lazy: sum(scripts.filter((s) => s.at > usableAt)),
		data: sum(data),
		files: scripts.length
	};
}

function add(r: Omit<Row, 'ratio' | 'meets'>) {
	rows.push(row(r));
}

/** The field app's figures, against the production build in Chromium. */
async function appFigures() {
	const big = join(tmp, 'registry-20000.json');
	execFileSync('npx', ['tsx', 'scripts/generate-demo.ts', '--count', '20000', '--out', big], {
		stdio: 'inherit'
	});

	const { origin, proc } = await startProductionServer({
		buildDir: BUILD_DIR,
		dataDir: join(tmp, 'data')
	});
	const browser = await chromium.launch({
		executablePath: CHROMIUM_PATH,
		args: CHROMIUM_ARGS
	});
	try {
		for (const [label, file] of [
			['959', undefined],
			['20000', big]
		] as const) {
			const context = await preparedDevice(browser, origin, file);
			const fast: number[] = [];
			const slow: number[] = [];
			for (let i = 0; i < RUNS; i++) {
				fast.push(await coldStart(context, 1));
				slow.push(await coldStart(context, THROTTLE));
			}
			add({
				id: `cold-start-${label}`,
				what: `cold offline start to a usable list, ${label} sites (${THROTTLE}× CPU)`,
				unit: 'ms',
				value: median(slow),
				baseline: median(fast),
				baselineLabel: 'same, unthrottled',
				target: 1500
			});
			const mapFast: { draw: number; usable: number; points: number }[] = [];
			const mapSlow: typeof mapFast = [];
			for (let i = 0; i < RUNS; i++) {
				mapFast.push(await mapDraw(context, 1));
				mapSlow.push(await mapDraw(context, THROTTLE));
			}
			const drawn = mapSlow[0]!.points;
			if (String(drawn) !== label)
				console.warn(`  map: ${drawn} sites on the device, not ${label}`);
			add({
				id: `map-draw-${label}`,
				what: `map draw of all site points (project + canvas), ${drawn} sites (${THROTTLE}× CPU)`,
				unit: 'ms',
				value: median(mapSlow.map((r) => r.draw)),
				baseline: median(mapFast.map((r) => r.draw)),
				baselineLabel: 'same, unthrottled',
				...(label === '20000' ? { target: 1000 } : {})
			});
			add({
				id: `map-usable-${label}`,
				what: `offline map usable (navigation to first complete draw), ${drawn} sites (${THROTTLE}× CPU)`,
				unit: 'ms',
				value: median(mapSlow.map((r) => r.usable)),
				baseline: median(mapFast.map((r) => r.usable)),
				baselineLabel: 'same, unthrottled'
			});
			if (label === '20000') {
				if (process.env.BENCH_VERBOSE) console.log('  search…');
				const s1 = await searchLatencies(context, 1);
				const s4 = await searchLatencies(context, THROTTLE);
				add({
					id: 'search-20000-median',
					what: `search latency, 20000 sites, median (${THROTTLE}× CPU)`,
					unit: 'ms',
					value: median(s4),
					baseline: median(s1),
					baselineLabel: 'same, unthrottled',
					target: 50
				});
				add({
					id: 'search-20000-p95',
					what: `search latency, 20000 sites, p95 (${THROTTLE}× CPU)`,
					unit: 'ms',
					value: p95(s4),
					baseline: p95(s1),
					baselineLabel: 'same, unthrottled',
					target: 50
				});
			}
			await context.close();
		}
		{
			if (process.env.BENCH_VERBOSE) console.log('  photo…');
			const context = await preparedDongshengDevice(browser, origin);
			const fast: number[] = [];
			const slow: number[] = [];
			// One new re-check per run: each site has at most one draft.
			const site = (n: number) => `150602-${String(n).padStart(4, '0')}`;
			for (let i = 0; i < PHOTO_RUNS; i++) {
				fast.push(await photoTime(context, site(2 * i + 1), 1));
				slow.push(await photoTime(context, site(2 * i + 2), THROTTLE));
			}
			add({
				id: 'photo-12mp',
				what: `12-megapixel JPEG, file chosen to photo tile (${THROTTLE}× CPU)`,
				unit: 'ms',
				value: median(slow),
				baseline: median(fast),
				baselineLabel: 'same, unthrottled',
				target: 1500
			});
			await context.close();
		}
		const js = await initialJs(browser, origin);
		add({
			id: 'initial-js-gzip',
			what: `JS loaded by the work list before usable (gzip, ${js.files} files in all)`,
			unit: 'KB',
			value: js.initial / 1024,
			baseline: 170,
			baselineLabel: 'target 170 KB',
			target: 170
		});
		rows.push({
			id: 'lazy-js-gzip',
			what: 'JS loaded lazily after usable (gzip, e.g. Leaflet)',
			unit: 'KB',
			value: js.lazy / 1024,
			baseline: js.initial / 1024,
			baselineLabel: 'initial JS',
			ratio: js.lazy / js.initial
		});
		rows.push({
			id: 'data-gzip',
			what: 'data assets fetched by the work list (gzip)',
			unit: 'KB',
			value: js.data / 1024,
			baseline: js.initial / 1024,
			baselineLabel: 'initial JS',
			ratio: js.data / js.initial
		});
	} finally {
		await browser.close();
		await stopProcess(proc);
	}
}

const fmt = (n: number) =>
	Number.isFinite(n) ? (n >= 100 || Number.isInteger(n) ? n.toFixed(0) : n.toFixed(1)) : '—';
const targetOf = (r: Row) =>
	r.targetText ??
	(r.target === undefined
		? '—'
		: `${r.better === 'higher' ? '≥' : '≤'} ${fmt(r.target)} ${r.unit}`);

async function main() {
	if (!existsSync(join(BUILD_DIR, 'index.js'))) {
		console.log(`No build in ${BUILD_DIR}: running npm run build`);
		execFileSync('npm', ['run', 'build'], { stdio: 'inherit' });
	}
	const parts: Part[] = only ? SELECTORS[only]! : [...PARTS];
	type Tagged = Row & { part?: Part };
	const fresh: Tagged[] = [];
	try {
		if (parts.includes('app')) {
			await appFigures();
			fresh.push(...rows.map((r) => ({ ...r, part: 'app' as const })));
		}
		if (parts.includes('domain')) {
			if (process.env.BENCH_VERBOSE) console.log('  domain…');
			fresh.push(...domainFigures().map((r) => ({ ...r, part: 'domain' as const })));
		}
		if (parts.includes('server')) {
			if (process.env.BENCH_VERBOSE) console.log('  server…');
			const serverRows = await serverFigures({ tmp, buildDir: BUILD_DIR });
			fresh.push(...serverRows.map((r) => ({ ...r, part: 'server' as const })));
		}
		if (parts.includes('db')) {
			if (process.env.BENCH_VERBOSE) console.log('  db…');
			const dbRows = await dbFigures({ tmp, buildDir: BUILD_DIR });
			fresh.push(...dbRows.map((r) => ({ ...r, part: 'db' as const })));
		}
		if (parts.includes('trust')) {
			if (process.env.BENCH_VERBOSE) console.log('  trust…');
			const trustRows = await trustFigures({ tmp, buildDir: BUILD_DIR });
			fresh.push(...trustRows.map((r) => ({ ...r, part: 'trust' as const })));
		}
		if (parts.includes('review')) {
			if (process.env.BENCH_VERBOSE) console.log('  review…');
			const reviewRows = await reviewFigures({ tmp, buildDir: BUILD_DIR });
			fresh.push(...reviewRows.map((r) => ({ ...r, part: 'review' as const })));
		}
		if (parts.includes('publish')) {
			if (process.env.BENCH_VERBOSE) console.log('  publish…');
			const publishRows = await publishFigures({ tmp, buildDir: BUILD_DIR });
			fresh.push(...publishRows.map((r) => ({ ...r, part: 'publish' as const })));
		}
		if (parts.includes('public')) {
			if (process.env.BENCH_VERBOSE) console.log('  public…');
			const publicRows = await publicFigures({ tmp, buildDir: BUILD_DIR });
			fresh.push(...publicRows.map((r) => ({ ...r, part: 'public' as const })));
		}
		if (parts.includes('export')) {
			if (process.env.BENCH_VERBOSE) console.log('  export…');
			const exportRows = await exportFigures({ tmp, buildDir: BUILD_DIR });
			fresh.push(...exportRows.map((r) => ({ ...r, part: 'export' as const })));
		}
	} finally {
		rmSync(tmp, { recursive: true, force: true });
	}

	console.log('\n| figure | value | baseline | ratio | target | meets |');
	console.log('| --- | ---: | ---: | ---: | ---: | :---: |');
	for (const r of fresh) {
		console.log(
			`| ${r.what} | ${r.valueText ?? `${fmt(r.value)} ${r.unit}`} | ${fmt(r.baseline)} ${r.unit} (${r.baselineLabel}) | ${Number.isFinite(r.ratio) ? r.ratio.toFixed(2) : '—'} | ${targetOf(r)} | ${r.meets === undefined ? '—' : r.meets ? 'yes' : 'NO'} |`
		);
	}
	const notes = fresh.filter((r) => r.note);
	if (notes.length) console.log(`\n${notes.map((r) => `- ${r.id}: ${r.note}`).join('\n')}`);
	mkdirSync('bench/results', { recursive: true });
	const file = 'bench/results/latest.json';
	// A partial run keeps the other part's rows (and when they were measured) from the last run.
	type Result = { at: string; parts?: Partial<Record<Part, string>>; rows: Row[] };
	let previous: Result | undefined;
	try {
		previous = JSON.parse(readFileSync(file, 'utf8')) as Result;
	} catch {
		previous = undefined;
	}
	const at = new Date().toISOString();
	// (by id too: a figure that moved to another part is not kept twice)
	const kept = ((previous?.rows ?? []) as Tagged[]).filter(
		(r) => !parts.includes(r.part ?? 'app') && !fresh.some((f) => f.id === r.id)
	);
	const partsAt: Partial<Record<Part, string>> = {
		...(previous?.parts ?? (previous ? { app: previous.at } : {}))
	};
	for (const part of parts) partsAt[part] = at;
	const all = [...kept, ...fresh].sort(
		(a, b) => PARTS.indexOf(a.part ?? 'app') - PARTS.indexOf(b.part ?? 'app')
	);
	const result = {
		at,
		parts: partsAt,
		machine: { cpus: cpus().length, node: process.version },
		throttle: THROTTLE,
		runs: RUNS,
		rows: all
	};
	writeFileSync(file, JSON.stringify(result, null, 2));
	console.log(`\nwritten ${file}`);
}

main().catch((error) => {
	console.error(error);
	rmSync(tmp, { recursive: true, force: true });
	process.exit(1);
});
