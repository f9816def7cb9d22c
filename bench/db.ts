/**
 * The data-layer figures of `npm run bench` (issue 11), `npm run bench -- --only db` (part of
 * `--only server`): push ingest and a full pull through the production build (`node $BUILD_DIR`,
 * SEED_DEMO=1, BODY_SIZE_LIMIT=25M, a temporary DATA_DIR for the photos) on both databases in the
 * same run: SQLite (DATA_DIR/survey.sqlite) and PostgreSQL 15 (DATABASE_URL, a throw-away cluster
 * from scripts/pg-cluster.sh with fsync on). Both servers run at once and the same work goes to
 * each, interleaved (batch by batch, pull by pull), so drift of the machine hits both alike:
 *
 * 1. push ingest: records/s of BENCH_INGEST_BATCHES batches of 50 valid records (复查 of demo
 *    sites and 新发现 spread over one county, each naming two photos of its own uploaded
 *    beforehand, untimed), pushed one after another by one device, after one warm-up batch. The
 *    SQLite server against raw better-sqlite3 inserts of the same rows (same JSON) into
 *    `records`/`revisions` of a fresh database (same schema and pragmas, one transaction per 50;
 *    rows prepared before the clock starts); the PostgreSQL server against the SQLite server.
 * 2. full pull: the city reviewer (every county) pulls the whole change feed from cursor 0
 *    through `GET /api/sync/pull`, 500 changes a page, until `more` is false (the demo registry
 *    and the ingested records): changes/s, median of BENCH_PULL_RUNS after one warm-up. The
 *    SQLite server against raw better-sqlite3 reads of the same pages from the server's own
 *    database file (same query, payloads parsed); the PostgreSQL server against the SQLite server.
 *
 * Without PostgreSQL (no binaries, or the cluster does not start) the PostgreSQL rows say so and
 * the SQLite ones are still measured. Knobs: BENCH_INGEST_BATCHES (10), BENCH_PULL_RUNS (5),
 * BENCH_PG_FSYNC (on); BENCH_VERBOSE=1 logs the steps.
 */
import BetterSqlite3 from 'better-sqlite3';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { COUNTY_CODES, type CountyCode } from '../src/lib/domain/codelists/index.js';
import type { SurveyRecord } from '../src/lib/domain/schemas/index.js';
import { connect, DATABASE_FILE } from '../src/lib/server/db/connection.js';
import { call, findingCounts, login, pushBatch, uploadPhotos, type Session } from './client.js';
import {
	errorText,
	failedRow,
	log,
	median,
	num,
	row,
	benchPostgres,
	startProductionServer,
	stopProcess,
	type Row
} from './common.js';
import { loadDemo, recordPhotos, RecordFactory, rng } from './records.js';

/** Timed push batches of 50 (after one warm-up batch). */
const INGEST_BATCHES = num('BENCH_INGEST_BATCHES', 10);
/** Timed full pulls on each side (after one warm-up pull). */
const PULL_RUNS = num('BENCH_PULL_RUNS', 5);
const BATCH = 50;
/** The page size of the pull (the server's most, contract §3). */
const PULL_LIMIT = 500;
/** The county of the ingest figure: 鄂托克旗, the most sites of the demo registry. */
const INGEST_COUNTY: CountyCode = '150624';
const PASSWORD = 'bench-password';
/** The JPEG every record's own photo is made from (unique bytes appended after its end). */
const RECORD_PHOTO = 'tests/fixtures/photos/no-exif.jpg';

type Backend = 'sqlite' | 'postgres';
const LABEL: Record<Backend, string> = { sqlite: 'SQLite', postgres: 'PostgreSQL' };

/** One server under test, and what was measured on it; `failed` once it could not go on. */
type Side = {
	backend: Backend;
	origin: string;
	dataDir: string;
	surveyor: Session;
	city: Session;
	ingestMs: number;
	pullMs: number[];
	changes: number;
	failed?: string;
};

/** The city reviewer's whole feed from cursor 0, page by page: how many changes it held. */
async function fullPull(origin: string, city: Session): Promise<number> {
	let since = '0';
	let changes = 0;
	for (;;) {
		const res = await call(origin, `/api/sync/pull?since=${since}&limit=${PULL_LIMIT}`, {
			method: 'GET',
			token: city.token
		});
		if (res.status !== 200) throw new Error(`pull: ${res.status} ${res.text.slice(0, 300)}`);
		const page = JSON.parse(res.text) as { changes: unknown[]; cursor: string; more: boolean };
		changes += page.changes.length;
		if (!page.more) return changes;
		since = page.cursor;
	}
}

/** The pull's baseline: the same pages straight from the SQLite file, payloads parsed. */
function rawPull(file: string): { ms: number; changes: number } {
	const db = new BetterSqlite3(file, { readonly: true });
	try {
		const counties = COUNTY_CODES.map(() => '?').join(', ');
		const page = db.prepare(
			`SELECT seq, payload FROM changes WHERE seq > ? AND county_code IN (${counties})
			 ORDER BY seq LIMIT ?`
		);
		const start = performance.now();
		let since = 0;
		let changes = 0;
		for (;;) {
			const rows = page.all(since, ...COUNTY_CODES, PULL_LIMIT + 1) as {
				seq: number;
				payload: string;
			}[];
			const kept = rows.slice(0, PULL_LIMIT);
			for (const r of kept) JSON.parse(r.payload);
			changes += kept.length;
			if (rows.length <= PULL_LIMIT) return { ms: performance.now() - start, changes };
			since = kept.at(-1)!.seq;
		}
	} finally {
		db.close();
	}
}

/** Push ingest's baseline: the same rows into a fresh SQLite database, one transaction per batch. */
async function rawInserts(dir: string, batches: SurveyRecord[][], deviceId: string) {
	const { db: kysely, sqlite } = await connect({ dataDir: dir });
	const db = sqlite!;
	try {
		const at = new Date().toISOString();
		const owner = Number(
			db
				.prepare(
					`INSERT INTO users (username, role, counties, password_hash, created_at, updated_at)
					 VALUES ('bench', 'surveyor', '["${INGEST_COUNTY}"]', 'x', ?, ?)`
				)
				.run(at, at).lastInsertRowid
		);
		const insertRecord = db.prepare(
			`INSERT INTO records (id, county_code, kind, site_code, name, category, lat, lon, status, revision,
			 owner_id, content, content_key, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`
		);
		const insertRevision = db.prepare(
			`INSERT INTO revisions (record_id, revision, at, by_user, action, status, content, findings, device_id)
			 VALUES (?, 1, ?, 'bench', 'push', 'submitted', ?, '[]', ?)`
		);
		const prepared = batches.map((records) =>
			records.map((r) => {
				const content = JSON.stringify(r);
				return { r, content, key: createHash('sha256').update(content).digest('hex') };
			})
		);
		const store = db.transaction((batch: (typeof prepared)[number]) => {
			for (const { r, content, key } of batch) {
				insertRecord.run(
					r.id,
					r.countyCode,
					r.kind,
					r.siteCode || null,
					r.name || null,
					r.category || null,
					r.location.lat,
					r.location.lon,
					'submitted',
					1,
					owner,
					content,
					key,
					at,
					at
				);
				insertRevision.run(r.id, at, content, deviceId);
			}
		});
		const start = performance.now();
		for (const batch of prepared) store(batch);
		return performance.now() - start;
	} finally {
		await kysely.destroy();
	}
}

/**
 * Runs `work` on every side still standing, one after another (or, untimed set-up, at once with
 * `together`); a side that throws is marked failed and left out from then on.
 */
async function onEach(
	sides: Side[],
	what: string,
	work: (side: Side) => Promise<void>,
	together = false
) {
	const attempt = async (side: Side) => {
		try {
			await work(side);
		} catch (error) {
			side.failed = `${what}: ${errorText(error)}`;
			console.error(`db figures, ${LABEL[side.backend]}: ${side.failed}`);
		}
	};
	const standing = sides.filter((side) => !side.failed);
	if (together) await Promise.all(standing.map(attempt));
	else for (const side of standing) await attempt(side);
}

export async function dbFigures(options: { tmp: string; buildDir: string }): Promise<Row[]> {
	const { tmp, buildDir } = options;
	const { registry, counties } = loadDemo();
	const factory = new RecordFactory(registry, counties, rng(20240430));
	// every record names two photos of its own (全景 and 近景, as QC PHO-001 asks)
	const pool: { bytes: Buffer; sha256: string }[] = [];
	const photoFor = recordPhotos(readFileSync(RECORD_PHOTO), pool);
	const batches = Array.from({ length: INGEST_BATCHES + 1 }, () =>
		factory.batch(INGEST_COUNTY, BATCH, photoFor)
	);

	const cluster = await benchPostgres('db');
	const { postgres } = cluster;
	let { noPostgres } = cluster;
	const procs: Awaited<ReturnType<typeof startProductionServer>>['proc'][] = [];
	const sides: Side[] = [];
	try {
		for (const backend of ['sqlite', 'postgres'] as const) {
			if (backend === 'postgres' && !postgres) continue;
			const dataDir = join(tmp, `db-${backend}-data`);
			const t0 = performance.now();
			try {
				const { origin, proc } = await startProductionServer({
					buildDir,
					dataDir,
					demoPassword: PASSWORD,
					ready: '/api/public/info',
					env: postgres && backend === 'postgres' ? { DATABASE_URL: postgres.url } : {}
				});
				procs.push(proc);
				const surveyor = await login(origin, `surveyor-${INGEST_COUNTY}`, PASSWORD);
				const city = await login(origin, 'city', PASSWORD);
				sides.push({
					backend,
					origin,
					dataDir,
					surveyor,
					city,
					ingestMs: 0,
					pullMs: [],
					changes: 0
				});
				log(`${LABEL[backend]} server up and seeded in ${Math.round(performance.now() - t0)} ms`);
			} catch (error) {
				if (backend === 'sqlite') throw error;
				noPostgres = `the server on PostgreSQL did not start: ${errorText(error)}`;
				console.error(`db figures: ${noPostgres}`);
			}
		}

		// ---- 1. push ingest ------------------------------------------------------------------
		await onEach(
			sides,
			'photo upload',
			async (side) => {
				const start = performance.now();
				await uploadPhotos(side.origin, side.surveyor.token, pool);
				log(
					`${LABEL[side.backend]}: ${pool.length} record photos in ${Math.round(performance.now() - start)} ms`
				);
			},
			true
		);
		const bodies = (side: Side) =>
			batches.map((records) => JSON.stringify({ deviceId: side.surveyor.deviceId, records }));
		const sideBodies = new Map(sides.map((side) => [side, bodies(side)]));
		for (const [n] of batches.entries()) {
			await onEach(sides, `push batch ${n}`, async (side) => {
				const start = performance.now();
				const rejected = await pushBatch(side.origin, side.surveyor, sideBodies.get(side)![n]!);
				// batch 0 warms up
				if (n > 0) side.ingestMs += performance.now() - start;
				if (rejected > 0) throw new Error(`${rejected} records not accepted`);
			});
		}
		log(`QC findings of the ingest records by rule: ${JSON.stringify(findingCounts)}`);
		const timed = INGEST_BATCHES * BATCH;
		const rawMs = await rawInserts(
			join(tmp, 'baseline-db'),
			batches.slice(1),
			sides[0]!.surveyor.deviceId
		);

		// ---- 2. full pull --------------------------------------------------------------------
		const sqlite = sides.find((s) => s.backend === 'sqlite')!;
		const rawPulls: { ms: number; changes: number }[] = [];
		for (let run = 0; run <= PULL_RUNS; run++) {
			await onEach(sides, `pull ${run}`, async (side) => {
				const start = performance.now();
				side.changes = await fullPull(side.origin, side.city);
				// run 0 warms up
				if (run > 0) side.pullMs.push(performance.now() - start);
			});
			const raw = rawPull(join(sqlite.dataDir, DATABASE_FILE));
			if (run > 0) rawPulls.push(raw);
		}
		for (const side of sides) {
			log(
				`${LABEL[side.backend]}: ingest ${side.ingestMs.toFixed(0)} ms, pull of ${side.changes} changes ${side.pullMs.map((ms) => ms.toFixed(0)).join(' / ')} ms${side.failed ? `; failed: ${side.failed}` : ''}`
			);
		}
		log(
			`raw: inserts ${rawMs.toFixed(0)} ms, pulls ${rawPulls.map((r) => r.ms.toFixed(0)).join(' / ')} ms`
		);
		if (sqlite.failed) throw new Error(sqlite.failed);

		// ---- rows ----------------------------------------------------------------------------
		const pg = sides.find((s) => s.backend === 'postgres');
		const pgMissing = pg?.failed ?? noPostgres;
		const ingestWhat = `push ingest through the server, ${INGEST_BATCHES} batches of ${BATCH} (复查 + 新发现, 2 photos each), one device`;
		const pullWhat = (changes: number) =>
			`full pull of ${changes} changes (city reviewer, cursor 0, pages of ${PULL_LIMIT})`;
		const sqliteIngest = timed / (sqlite.ingestMs / 1000);
		const sqlitePull = sqlite.changes / (median(sqlite.pullMs) / 1000);
		const rawPullMs = median(rawPulls.map((r) => r.ms));
		const pullNote = (side: Side) =>
			`median ${median(side.pullMs).toFixed(0)} ms (runs ${side.pullMs.map((ms) => ms.toFixed(0)).join(', ')} ms)`;
		const rows: Row[] = [
			row({
				id: 'push-ingest',
				what: `${ingestWhat}, SQLite`,
				unit: 'records/s',
				value: sqliteIngest,
				baseline: timed / (rawMs / 1000),
				baselineLabel: 'raw better-sqlite3 inserts into records/revisions, 1 transaction per 50',
				target: 500,
				better: 'higher'
			}),
			pg && !pg.failed
				? row({
						id: 'push-ingest-postgres',
						what: `${ingestWhat}, PostgreSQL`,
						unit: 'records/s',
						value: timed / (pg.ingestMs / 1000),
						baseline: sqliteIngest,
						baselineLabel: 'the same pushes to the server on SQLite, same run',
						target: 500,
						better: 'higher'
					})
				: failedRow('push-ingest-postgres', `${ingestWhat}, PostgreSQL`, pgMissing, {
						valueText: 'not run'
					}),
			row({
				id: 'pull-full',
				what: `${pullWhat(sqlite.changes)}, SQLite`,
				unit: 'changes/s',
				value: sqlitePull,
				baseline: rawPulls[0]!.changes / (rawPullMs / 1000),
				baselineLabel: `raw better-sqlite3 reads of the same pages from the server's file (median ${rawPullMs.toFixed(0)} ms)`,
				better: 'higher',
				note: pullNote(sqlite)
			}),
			pg && !pg.failed
				? row({
						id: 'pull-full-postgres',
						what: `${pullWhat(pg.changes)}, PostgreSQL`,
						unit: 'changes/s',
						value: pg.changes / (median(pg.pullMs) / 1000),
						baseline: sqlitePull,
						baselineLabel: 'the same pulls from the server on SQLite, same run',
						better: 'higher',
						note: `${pullNote(pg)}; SQLite ${pullNote(sqlite)}`
					})
				: failedRow('pull-full-postgres', `${pullWhat(sqlite.changes)}, PostgreSQL`, pgMissing, {
						valueText: 'not run'
					})
		];
		if (pg && !pg.failed && pg.changes !== sqlite.changes)
			rows.at(-1)!.note +=
				`; the feeds differ: ${pg.changes} changes on PostgreSQL, ${sqlite.changes} on SQLite`;
		return rows;
	} finally {
		await Promise.all(procs.map((p) => stopProcess(p)));
		await postgres?.stop();
	}
}
