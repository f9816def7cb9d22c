/**
 * The public registry's search figure of `npm run bench` (issue 13 point 4), `npm run bench --
 * --only public` (part of `--only server`): the p95 time of `GET /api/public/sites` through the
 * production build with BENCH_PUBLIC_SITES (100,000) sites in the latest published version, on
 * SQLite and on PostgreSQL 15 (a throw-away cluster from scripts/pg-cluster.sh). Baseline: the
 * same requests with BENCH_PUBLIC_BASELINE_SITES (1,000) sites, same engine, same run. Target:
 * ≤ 50 ms (the done-when).
 *
 * The version is written straight through the data layer (RegistryVersionRepository.create,
 * putSites, finish), as a publish would leave it; names are the demo registry's with a number,
 * so a two-character query (石城, 遗址) matches by substring as a visitor's would. The requests
 * mix a two-character name, a code, filters and later pages. The first request builds the
 * version's public index (its time is in the note); the figure is the p95 of the requests after.
 *
 * Knobs: BENCH_PUBLIC_SITES (100000), BENCH_PUBLIC_BASELINE_SITES (1000), BENCH_PUBLIC_REQUESTS
 * (300); BENCH_VERBOSE=1 logs the steps.
 */
import { cpus, loadavg } from 'node:os';
import { sql } from 'kysely';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { SurveyServer } from '../src/lib/server/app.js';
import { createPostgresDatabase } from '../src/lib/server/db/provision.js';
import type { VersionSiteRow } from '../src/lib/server/db/registry-versions.js';
import { COUNTY_CODES } from '../src/lib/domain/codelists/index.js';
import { call } from './client.js';
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
import { loadDemo } from './records.js';

const SITES = num('BENCH_PUBLIC_SITES', 100_000);
const BASELINE_SITES = num('BENCH_PUBLIC_BASELINE_SITES', 1000);
const REQUESTS = num('BENCH_PUBLIC_REQUESTS', 300);
const TARGET_MS = 50;
const PASSWORD = 'bench-password';

type Backend = 'sqlite' | 'postgres';
const LABEL: Record<Backend, string> = { sqlite: 'SQLite', postgres: 'PostgreSQL' };

/** The queries a visitor sends, in turn. */
const QUERIES = [
	'?q=%E7%9F%B3%E5%9F%8E', // 石城
	'?q=%E9%81%97%E5%9D%80', // 遗址
	'?q=150602-00',
	'?county=150627&category=%E5%8F%A4%E5%A2%93%E8%91%AC', // 古墓葬
	'?eraGroup=%E6%98%8E%E4%BB%A3&page=3', // 明代
	'?lost=true',
	'?page=40',
	'?q=%E5%A2%93&level=%E5%8E%BF%E7%BA%A7%E6%96%87%E7%89%A9%E4%BF%9D%E6%8A%A4%E5%8D%95%E4%BD%8D' // 墓, 县级文物保护单位
];

/** Writes version 1 holding `count` sites made from the demo registry's (names numbered). */
async function seedVersion(server: SurveyServer, count: number): Promise<void> {
	const { registry } = loadDemo();
	await server.store.write(async (tx) => {
		await tx.registryVersions.create({
			version: 1,
			at: new Date().toISOString(),
			by: 'bench',
			note: `bench: ${count} sites`
		});
		const perCounty = new Map<string, number>();
		const batch: VersionSiteRow[] = [];
		for (let i = 0; i < count; i++) {
			const base = registry[i % registry.length]!;
			const county = COUNTY_CODES[i % COUNTY_CODES.length]!;
			const n = (perCounty.get(county) ?? 0) + 1;
			perCounty.set(county, n);
			// 100,000 sites over nine counties pass a county's 9,999 codes: the rest take five digits
			const code = `${county}-${String(n).padStart(4, '0')}`;
			const name = i % 97 === 0 ? `石城${i}` : `${base.name}${i}`;
			batch.push({
				version: 1,
				code,
				countyCode: county,
				data: { ...base, code, countyCode: county, name },
				lost: i % 50 === 0,
				lostReason: i % 50 === 0 ? 'bench' : null,
				source: 'import',
				recordId: null,
				recordRevision: null,
				publishedRevision: null,
				sinceVersion: 1
			});
			if (batch.length === 2000) await tx.registryVersions.putSites(1, batch.splice(0));
		}
		if (batch.length) await tx.registryVersions.putSites(1, batch);
		await tx.registryVersions.finish(1, { records: 0, added: 0, changed: 0, lost: 0 });
	});
}

/** Seeds `count` sites, starts the server, and times the searches: p95 ms and the first one's. */
async function searchOnce(options: {
	tmp: string;
	buildDir: string;
	backend: Backend;
	count: number;
	postgresUrl: string | undefined;
}): Promise<{ p95: number; first: number }> {
	const { tmp, buildDir, backend, count } = options;
	const { registry, counties } = loadDemo();
	const dataDir = join(tmp, `public-${backend}-${count}`);
	const url =
		backend === 'postgres'
			? await createPostgresDatabase(options.postgresUrl!, 'bench_public')
			: undefined;
	const t0 = performance.now();
	const seeding = await SurveyServer.open({
		dataDir,
		databaseUrl: url,
		counties,
		seedDemo: false,
		demoPassword: PASSWORD,
		demoRegistry: () => registry
	});
	try {
		await seeding.start();
		await seedVersion(seeding, count);
		// as a publish leaves it (publish.ts analyzeVersions)
		if (backend === 'postgres') await sql`ANALYZE registry_version_sites`.execute(seeding.store.db);
	} finally {
		await seeding.close();
	}
	log(
		`${LABEL[backend]}: ${count} published sites seeded in ${Math.round(performance.now() - t0)} ms`
	);
	const { origin, proc } = await startProductionServer({
		buildDir,
		dataDir,
		demoPassword: PASSWORD,
		ready: '/api/public/info',
		env: url ? { DATABASE_URL: url } : {}
	});
	try {
		const get = async (query: string) => {
			const start = performance.now();
			const res = await call(origin, `/api/public/sites${query}`, { method: 'GET' });
			const ms = performance.now() - start;
			if (res.status !== 200)
				throw new Error(`search ${query}: ${res.status} ${res.text.slice(0, 200)}`);
			return { ms, body: JSON.parse(res.text) as { total: number } };
		};
		const first = await get('');
		if (first.body.total !== count)
			throw new Error(`the version holds ${first.body.total}, not ${count}`);
		const stone = await get(QUERIES[0]!);
		if (stone.body.total === 0) throw new Error('a two-character name found nothing');
		const times: number[] = [];
		for (let i = 0; i < REQUESTS; i++) times.push((await get(QUERIES[i % QUERIES.length]!)).ms);
		return { p95: p95(times), first: first.ms };
	} finally {
		await stopProcess(proc);
	}
}

export async function publicFigures(options: { tmp: string; buildDir: string }): Promise<Row[]> {
	const { postgres, noPostgres } = await benchPostgres('public');
	const rows: Row[] = [];
	const n = (count: number) => count.toLocaleString('en-US');
	try {
		for (const backend of ['sqlite', 'postgres'] as const) {
			const suffix = backend === 'sqlite' ? '' : '-postgres';
			const what = `public search GET /api/public/sites p95, ${n(SITES)} published sites, ${LABEL[backend]}`;
			if (backend === 'postgres' && !postgres) {
				rows.push(failedRow(`public-search${suffix}`, what, noPostgres, { valueText: 'not run' }));
				continue;
			}
			try {
				const load = loadavg()[0]!;
				const at = (count: number) =>
					searchOnce({ ...options, backend, count, postgresUrl: postgres?.url });
				const baseline = await at(BASELINE_SITES);
				const value = await at(SITES);
				rows.push(
					row({
						id: `public-search${suffix}`,
						what,
						unit: 'ms',
						value: value.p95,
						baseline: baseline.p95,
						baselineLabel: `the same with ${n(BASELINE_SITES)} sites, same run`,
						target: TARGET_MS,
						note: `${REQUESTS} requests (two-character names, codes, filters, pages); the first request, which builds the version's public index, took ${Math.round(value.first)} ms (${Math.round(baseline.first)} ms at ${n(BASELINE_SITES)}); load average ${load.toFixed(1)} → ${loadavg()[0]!.toFixed(1)} on ${cpus().length} CPUs`
					})
				);
			} catch (error) {
				console.error(`public figures, ${LABEL[backend]}: ${errorText(error)}`);
				rows.push(
					failedRow(`public-search${suffix}`, what, errorText(error), { valueText: 'failed' })
				);
			}
		}
		return rows;
	} finally {
		await postgres?.stop();
	}
}
