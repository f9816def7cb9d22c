/**
 * The registry download figures of `npm run bench` (issue 13 point 5), `npm run bench -- --only
 * export` (part of `--only server`): for each download format (GeoJSON, CSV, XLSX, KML, zipped
 * Shapefile, GeoPackage), the time of `GET /api/public/registry.{fmt}` through the production
 * build (`node $BUILD_DIR`), to the last byte, and the growth of the server process's resident
 * memory during it (peak VmRSS of /proc/<pid>/status, sampled every 10 ms, minus VmRSS just before
 * the request), for the first request of each format (the server makes the file and keeps it)
 * and for a second one (it sends the kept file), with a published version of BENCH_EXPORT_SITES
 * (100,000) sites, on SQLite and on PostgreSQL 15 (a throw-away cluster from scripts/pg-cluster.sh). Baseline: the same request to
 * the same build holding BENCH_EXPORT_BASELINE_SITES (1,000) sites, same engine, same run. A
 * growth that stays flat has a ratio near 1; a time linear in the sites has a ratio near 100.
 *
 * The version is written before the server starts, straight through the data layer
 * (bench/export-seed.ts: `registry_versions` and `registry_version_sites` as a publish stores
 * them; two thirds of the sites protected, one in ten with a boundary). Each download is checked:
 * 200 and a body of a plausible size. Targets: ≤ 5 s and ≤ 100 MB growth per format.
 *
 * Knobs: BENCH_EXPORT_SITES (100000), BENCH_EXPORT_BASELINE_SITES (1000); BENCH_VERBOSE=1 logs
 * the steps.
 */
import { readFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { sql } from 'kysely';
import { SurveyServer } from '../src/lib/server/app.js';
import { createPostgresDatabase } from '../src/lib/server/db/provision.js';
import {
	EXPORT_FORMAT_NAMES,
	type ExportFormat
} from '../src/lib/domain/registry/export-formats.js';
import {
	errorText,
	failedRow,
	log,
	num,
	row,
	benchPostgres,
	startProductionServer,
	stopProcess,
	type Row
} from './common.js';
import { loadDemo } from './records.js';
import { seedVersion } from './export-seed.js';

const SITES = num('BENCH_EXPORT_SITES', 100_000);
const BASELINE_SITES = num('BENCH_EXPORT_BASELINE_SITES', 1000);
const PASSWORD = 'bench-password';
const TARGET_MS = 5000;
const TARGET_MB = 100;

type Backend = 'sqlite' | 'postgres';
const LABEL: Record<Backend, string> = { sqlite: 'SQLite', postgres: 'PostgreSQL' };

type Measure = { ms: number; rssMb: number; bytes: number };
/** A format's first request (the server makes the file) and a later one (it sends the kept file). */
type Pair = { made: Measure; kept: Measure };

/** VmRSS of a process, in bytes. */
function rssOf(pid: number): number {
	const status = readFileSync(`/proc/${pid}/status`, 'utf8');
	const kb = Number(/VmRSS:\s+(\d+) kB/.exec(status)?.[1]);
	return kb * 1024;
}

/** Downloads `path` to the end, sampling the server's RSS meanwhile. */
async function measure(origin: string, path: string, pid: number): Promise<Measure> {
	const before = rssOf(pid);
	let peak = before;
	const timer = setInterval(() => {
		peak = Math.max(peak, rssOf(pid));
	}, 10);
	try {
		const start = performance.now();
		const response = await fetch(origin + path);
		if (response.status !== 200)
			throw new Error(`${path}: ${response.status} ${(await response.text()).slice(0, 200)}`);
		let bytes = 0;
		const reader = response.body!.getReader();
		for (;;) {
			const { done, value } = await reader.read();
			if (done) break;
			bytes += value.length;
		}
		const ms = performance.now() - start;
		peak = Math.max(peak, rssOf(pid));
		return { ms, rssMb: (peak - before) / 1024 / 1024, bytes };
	} finally {
		clearInterval(timer);
	}
}

/** A database holding version 1 with `sites` sites; the server on it; each format once. */
async function exportsAt(options: {
	tmp: string;
	buildDir: string;
	backend: Backend;
	sites: number;
	postgresUrl: string | undefined;
}): Promise<Map<ExportFormat, Pair>> {
	const { tmp, buildDir, backend, sites } = options;
	const { registry, counties } = loadDemo();
	const dataDir = join(tmp, `export-${backend}-${sites}`);
	const url =
		backend === 'postgres'
			? await createPostgresDatabase(options.postgresUrl!, 'bench_export')
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
	try {
		await seeding.start();
		await seeding.store.write((tx) => seedVersion(tx, 1, sites));
		if (backend === 'postgres') await sql`ANALYZE`.execute(seeding.store.db);
	} finally {
		await seeding.close();
	}
	log(`${LABEL[backend]}: ${sites} sites seeded in ${Math.round(performance.now() - t0)} ms`);
	const { origin, proc } = await startProductionServer({
		buildDir,
		dataDir,
		demoPassword: PASSWORD,
		ready: '/api/public/info',
		env: url ? { DATABASE_URL: url } : {}
	});
	try {
		const out = new Map<ExportFormat, Pair>();
		for (const format of EXPORT_FORMAT_NAMES) {
			const made = await measure(origin, `/api/public/registry.${format}`, proc.pid!);
			// a site takes well over 100 bytes in every format
			if (made.bytes < sites * 100)
				throw new Error(`${format}: ${made.bytes} bytes for ${sites} sites is too small`);
			const kept = await measure(origin, `/api/public/registry.${format}`, proc.pid!);
			if (kept.bytes !== made.bytes)
				throw new Error(`${format}: ${kept.bytes} bytes the second time, ${made.bytes} the first`);
			log(
				`${LABEL[backend]} ${sites} sites ${format}: made in ${Math.round(made.ms)} ms (RSS +${made.rssMb.toFixed(1)} MB), kept file in ${Math.round(kept.ms)} ms (RSS +${kept.rssMb.toFixed(1)} MB), ${made.bytes} bytes`
			);
			out.set(format, { made, kept });
		}
		return out;
	} finally {
		await stopProcess(proc);
	}
}

export async function exportFigures(options: { tmp: string; buildDir: string }): Promise<Row[]> {
	const { postgres, noPostgres } = await benchPostgres('export');
	const rows: Row[] = [];
	const n = (count: number) => count.toLocaleString('en-US');
	try {
		for (const backend of ['sqlite', 'postgres'] as const) {
			const suffix = backend === 'sqlite' ? '' : '-postgres';
			const what = (format: string, of: string) =>
				`download GET /api/public/registry.${format}, ${n(SITES)} sites, ${LABEL[backend]}: ${of}`;
			if (backend === 'postgres' && !postgres) {
				for (const format of EXPORT_FORMAT_NAMES) {
					rows.push(
						failedRow(`export-${format}${suffix}`, what(format, 'time'), noPostgres, {
							valueText: 'not run'
						})
					);
				}
				continue;
			}
			try {
				const load = loadavg()[0]!;
				const at = (sites: number) =>
					exportsAt({ ...options, backend, sites, postgresUrl: postgres?.url });
				const baseline = await at(BASELINE_SITES);
				const value = await at(SITES);
				const note = `load average ${load.toFixed(1)} → ${loadavg()[0]!.toFixed(1)} on ${cpus().length} CPUs`;
				const same = `the same with ${n(BASELINE_SITES)} sites, same run`;
				for (const format of EXPORT_FORMAT_NAMES) {
					const v = value.get(format)!;
					const b = baseline.get(format)!;
					rows.push(
						row({
							id: `export-${format}${suffix}`,
							what: what(format, 'first request, the file made, time to the last byte'),
							unit: 'ms',
							value: v.made.ms,
							baseline: b.made.ms,
							baselineLabel: same,
							target: TARGET_MS,
							note: `${(v.made.bytes / 1024 / 1024).toFixed(1)} MB; ${note}`
						}),
						row({
							id: `export-kept-${format}${suffix}`,
							what: what(format, 'later requests, the kept file, time to the last byte'),
							unit: 'ms',
							value: v.kept.ms,
							baseline: b.kept.ms,
							baselineLabel: same,
							target: TARGET_MS
						}),
						row({
							id: `export-rss-${format}${suffix}`,
							what: what(format, 'first request, server RSS growth (peak VmRSS − before)'),
							unit: 'MB',
							value: v.made.rssMb,
							baseline: b.made.rssMb,
							baselineLabel: same,
							target: TARGET_MB
						}),
						row({
							id: `export-kept-rss-${format}${suffix}`,
							what: what(format, 'later requests, server RSS growth'),
							unit: 'MB',
							value: v.kept.rssMb,
							baseline: b.kept.rssMb,
							baselineLabel: same,
							target: TARGET_MB
						})
					);
				}
			} catch (error) {
				console.error(`export figures, ${LABEL[backend]}: ${errorText(error)}`);
				rows.push(
					failedRow(`export${suffix}`, `downloads, ${LABEL[backend]}`, errorText(error), {
						valueText: 'failed'
					})
				);
			}
		}
		return rows;
	} finally {
		await postgres?.stop();
	}
}
