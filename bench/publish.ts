/**
 * The publishing figure of `npm run bench` (issue 13 point 3), `npm run bench -- --only publish`
 * (part of `--only server`): the time of `POST /api/registry/publish` through the production
 * build (`node $BUILD_DIR`), with BENCH_PUBLISH_ACCEPTED (10,000) accepted records waiting, on
 * SQLite and on PostgreSQL 15 (a throw-away cluster from scripts/pg-cluster.sh, fsync on), over
 * the demo registry (959 sites). Baseline: the same publish with BENCH_PUBLISH_BASELINE_ACCEPTED
 * (1,000) accepted records, on the same engine, in the same run. The ratio says how the publish
 * grows with the records: linear is 10.
 *
 * The records are written before the server starts by bench/review-seed.ts, whose workflow makes
 * 4 of every 20 records `accepted` (the others are submitted, returned or county_approved and
 * stay as they are): so 5 × the accepted count are seeded. A publish consumes the accepted
 * records, so each database is published once: one request per figure, the median of nothing.
 * The answer is checked: version 1 publishing exactly that many records.
 *
 * Knobs: BENCH_PUBLISH_ACCEPTED (10000), BENCH_PUBLISH_BASELINE_ACCEPTED (1000), BENCH_PG_FSYNC
 * (on); BENCH_VERBOSE=1 logs the steps.
 */
import { sql } from 'kysely';
import { cpus, loadavg } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { SurveyServer } from '../src/lib/server/app.js';
import { createPostgresDatabase } from '../src/lib/server/db/provision.js';
import { PublishResponseSchema } from '../src/lib/domain/sync/wire.js';
import { call, login } from './client.js';
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
import { seedReviewRecords } from './review-seed.js';

const ACCEPTED = num('BENCH_PUBLISH_ACCEPTED', 10_000);
const BASELINE_ACCEPTED = num('BENCH_PUBLISH_BASELINE_ACCEPTED', 1000);
/** bench/review-seed.ts: 4 of every 20 records end `accepted`. */
const SEEDED_PER_ACCEPTED = 5;
const PASSWORD = 'bench-password';

type Backend = 'sqlite' | 'postgres';
const LABEL: Record<Backend, string> = { sqlite: 'SQLite', postgres: 'PostgreSQL' };

/** Seeds a database with `accepted` accepted records, starts the server, publishes once: ms. */
async function publishOnce(options: {
	tmp: string;
	buildDir: string;
	backend: Backend;
	accepted: number;
	postgresUrl: string | undefined;
}): Promise<number> {
	const { tmp, buildDir, backend, accepted } = options;
	const { registry, counties } = loadDemo();
	const dataDir = join(tmp, `publish-${backend}-${accepted}`);
	const url =
		backend === 'postgres'
			? await createPostgresDatabase(options.postgresUrl!, 'bench_publish')
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
		const seeded = await seedReviewRecords(seeding.store, {
			total: accepted * SEEDED_PER_ACCEPTED,
			registry,
			counties
		});
		const waiting = seeded.filter((r) => r.status === 'accepted').length;
		if (waiting !== accepted)
			throw new Error(`seeded ${waiting} accepted records, not ${accepted}`);
		if (backend === 'postgres') await sql`ANALYZE`.execute(seeding.store.db);
	} finally {
		await seeding.close();
	}
	log(
		`${LABEL[backend]}: ${accepted} accepted records seeded in ${Math.round(performance.now() - t0)} ms`
	);
	const { origin, proc } = await startProductionServer({
		buildDir,
		dataDir,
		demoPassword: PASSWORD,
		ready: '/api/public/info',
		env: url ? { DATABASE_URL: url } : {}
	});
	try {
		const city = await login(origin, 'city', PASSWORD);
		const start = performance.now();
		const res = await call(origin, '/api/registry/publish', {
			method: 'POST',
			token: city.token,
			json: JSON.stringify({ note: `bench: ${accepted} accepted records` })
		});
		const ms = performance.now() - start;
		if (res.status !== 200) throw new Error(`publish: ${res.status} ${res.text.slice(0, 200)}`);
		const body = PublishResponseSchema.parse(JSON.parse(res.text));
		if (body.version !== 1 || body.count !== accepted)
			throw new Error(`publish answered ${res.text.slice(0, 200)}, not ${accepted} records`);
		log(`${LABEL[backend]}: published ${accepted} records in ${Math.round(ms)} ms`);
		return ms;
	} finally {
		await stopProcess(proc);
	}
}

export async function publishFigures(options: { tmp: string; buildDir: string }): Promise<Row[]> {
	const { postgres, noPostgres } = await benchPostgres('publish');
	const rows: Row[] = [];
	const n = (count: number) => count.toLocaleString('en-US');
	try {
		for (const backend of ['sqlite', 'postgres'] as const) {
			const suffix = backend === 'sqlite' ? '' : '-postgres';
			const what = `publish POST /api/registry/publish, ${n(ACCEPTED)} accepted records, ${LABEL[backend]}`;
			if (backend === 'postgres' && !postgres) {
				rows.push(failedRow(`publish${suffix}`, what, noPostgres, { valueText: 'not run' }));
				continue;
			}
			try {
				const load = loadavg()[0]!;
				const at = (accepted: number) =>
					publishOnce({ ...options, backend, accepted, postgresUrl: postgres?.url });
				const baseline = await at(BASELINE_ACCEPTED);
				const value = await at(ACCEPTED);
				rows.push(
					row({
						id: `publish${suffix}`,
						what,
						unit: 'ms',
						value,
						baseline,
						baselineLabel: `the same with ${n(BASELINE_ACCEPTED)} accepted records, same run`,
						note: `one publish each (it consumes the records), over the demo registry; load average ${load.toFixed(1)} → ${loadavg()[0]!.toFixed(1)} on ${cpus().length} CPUs`
					})
				);
			} catch (error) {
				console.error(`publish figures, ${LABEL[backend]}: ${errorText(error)}`);
				rows.push(failedRow(`publish${suffix}`, what, errorText(error), { valueText: 'failed' }));
			}
		}
		return rows;
	} finally {
		await postgres?.stop();
	}
}
