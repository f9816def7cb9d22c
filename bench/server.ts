/**
 * The server figures of `npm run bench` (issue 4), each through the production build started as
 * contract §4 says (`node $BUILD_DIR` on a temporary DATA_DIR, SEED_DEMO=1, BODY_SIZE_LIMIT=25M)
 * and each beside a baseline measured in the same run. (Push ingest and pull, on SQLite and on
 * PostgreSQL, are in bench/db.ts.)
 *
 * 1. photo upload: MB/s of `PUT /api/photos/{sha256}` of real JPEGs one after another (as a
 *    device uploads), against a bare Node `http` server in its own process that writes the same
 *    bytes to files; and, as a diagnostic, against a bare server that also hashes and fsyncs
 *    the file and its directory (the server's durability work). Sides interleave in rounds;
 * 2. 200 devices at once: 200 accounts each log in and push 50 records, all starting at the same
 *    moment; p50/p95 latency, sessions/s and errors, against the same session run by
 *    BENCH_SEQUENTIAL_DEVICES devices one after another.
 *
 * The 200 accounts go straight into the server's database before it starts: the data directory
 * is seeded with the server's own code (SurveyServer.start, as `node build` does on an empty
 * DATA_DIR; it then finds it seeded), and the accounts are added with UserRepository.create and
 * one hashPassword (the failed-login limit is per username).
 *
 * Knobs: BENCH_PHOTO_COUNT (150), BENCH_DEVICES (200, 0 skips),
 * BENCH_SEQUENTIAL_DEVICES (20); BENCH_SERVER_PROFILE=1 writes the server's CPU profile to
 * bench/results/profiles/; BENCH_VERBOSE=1 logs the steps.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { SurveyServer } from '../src/lib/server/app.js';
import { hashPassword } from '../src/lib/server/auth/password.js';
import { COUNTY_CODES, type CountyCode } from '../src/lib/domain/codelists/index.js';
import { login, loginRetries, pushBatch, putPhoto, stats } from './client.js';
import {
	freePort,
	log,
	num,
	percentile,
	row,
	startProductionServer,
	stopProcess,
	type Row
} from './common.js';
import { loadDemo, RecordFactory, rng, uniqueJpeg } from './records.js';

/** Photos uploaded to each side of the photo figure. */
const PHOTO_COUNT = num('BENCH_PHOTO_COUNT', 150);
const DEVICES = num('BENCH_DEVICES', 200);
/** Sessions of the sequential baseline of the devices figure. */
const SEQUENTIAL_DEVICES = num('BENCH_SEQUENTIAL_DEVICES', 20);
const BATCH = 50;
/** The county of the surveyor who uploads the photos: 鄂托克旗. */
const PHOTO_COUNTY: CountyCode = '150624';
const PASSWORD = 'bench-password';
const PHOTO_FIXTURES = [
	'tests/fixtures/photos/site-dongsheng-12mp.jpg',
	'tests/fixtures/photos/site-dongsheng-1600x1200.jpg',
	'tests/fixtures/photos/site-hangjin-1600x1200.jpg',
	'tests/fixtures/photos/no-exif.jpg',
	'tests/fixtures/photos/site-dongsheng-orientation6.jpg'
];

// ---------------------------------------------------------------------------------------------

/**
 * The bare baseline: an `http` server in its own process (like the real one) that writes each
 * request body to a file. With `durable`, it also does the server's durability work: SHA-256 of
 * the bytes, fsync of the file and of its directory (a diagnostic, not the target's baseline).
 */
const RAW_SERVER = `
const http = require('node:http'), fs = require('node:fs'), path = require('node:path');
const crypto = require('node:crypto');
const [dir, port, durable] = process.argv.slice(1);
let n = 0;
http.createServer((req, res) => {
	const file = path.join(dir, String(++n));
	const out = fs.createWriteStream(file);
	const hash = crypto.createHash('sha256');
	if (durable) req.on('data', (chunk) => hash.update(chunk));
	req.pipe(out);
	const done = (status) => { res.writeHead(status); res.end(durable ? hash.digest('hex') : ''); };
	out.on('error', () => done(500));
	out.on('finish', () => {
		if (!durable) return done(201);
		fs.open(file, 'r+', (e, fd) => {
			if (e) return done(500);
			fs.fsync(fd, () => fs.close(fd, () => fs.open(dir, 'r', (e2, dfd) => {
				if (e2) return done(500);
				fs.fsync(dfd, () => fs.close(dfd, () => done(201)));
			})));
		});
	});
}).listen(Number(port), '127.0.0.1', () => console.log('ready'));
`;

async function startRawServer(
	dir: string,
	durable = false
): Promise<{ origin: string; proc: ChildProcess }> {
	mkdirSync(dir, { recursive: true });
	const port = await freePort();
	const proc = spawn('node', ['-e', RAW_SERVER, dir, String(port), durable ? '1' : ''], {
		stdio: ['ignore', 'pipe', 'inherit']
	});
	await new Promise<void>((resolve, reject) => {
		proc.stdout!.once('data', () => resolve());
		proc.once('exit', (code) => reject(new Error(`raw server exited (${code})`)));
	});
	return { origin: `http://127.0.0.1:${port}`, proc };
}

// ---------------------------------------------------------------------------------------------

export async function serverFigures(options: { tmp: string; buildDir: string }): Promise<Row[]> {
	const { tmp, buildDir } = options;
	const rows: Row[] = [];
	const { registry, counties } = loadDemo();
	const factory = new RecordFactory(registry, counties, rng(20240430));

	// The data directory: seeded as the server seeds an empty one, plus the device accounts.
	const dataDir = join(tmp, 'server-data');
	const t0 = performance.now();
	{
		const seeding = await SurveyServer.open({
			dataDir,
			counties,
			seedDemo: true,
			demoPassword: PASSWORD,
			demoRegistry: () => registry
		});
		await seeding.start();
		const passwordHash = await hashPassword(PASSWORD);
		await seeding.store.write(async (tx) => {
			for (let i = 0; i < DEVICES; i++) {
				await tx.users.create({
					username: deviceUser(i),
					role: 'surveyor',
					counties: [deviceCounty(i)],
					passwordHash
				});
			}
		});
		await seeding.close();
	}
	const profileDir = process.env.BENCH_SERVER_PROFILE
		? join(process.cwd(), 'bench/results/profiles')
		: undefined;
	const { origin, proc } = await startProductionServer({
		buildDir,
		dataDir,
		ready: '/api/public/info',
		nodeArgs: profileDir ? ['--cpu-prof', `--cpu-prof-dir=${profileDir}`] : []
	});
	const raw = await startRawServer(join(tmp, 'raw-photos'));
	const durable = await startRawServer(join(tmp, 'raw-photos-durable'), true);
	log(`server up in ${Math.round(performance.now() - t0)} ms`);
	try {
		const surveyor = await login(origin, `surveyor-${PHOTO_COUNTY}`, PASSWORD);

		// ---- 1. photo upload throughput ----------------------------------------------------------
		const fixtures = PHOTO_FIXTURES.map((f) => readFileSync(f));
		const photos = Array.from({ length: PHOTO_COUNT }, (_, i) =>
			uniqueJpeg(fixtures[i % fixtures.length]!, `upload-${i}`)
		);
		// warm-up on every side (not counted)
		const sides = [
			{ origin, token: surveyor.token as string | undefined, ms: 0 },
			{ origin: raw.origin, token: undefined, ms: 0 },
			{ origin: durable.origin, token: undefined, ms: 0 }
		];
		for (let i = 0; i < 3; i++) {
			const w = uniqueJpeg(fixtures[i]!, `warm-${i}`);
			for (const side of sides) await putPhoto(side.origin, side.token, w);
		}
		// interleaved in rounds, so drift of the machine hits every side alike
		const rounds = 5;
		for (let round = 0; round < rounds; round++) {
			const part = photos.filter((_, i) => i % rounds === round);
			for (const side of sides) {
				const start = performance.now();
				for (const p of part) await putPhoto(side.origin, side.token, p);
				side.ms += performance.now() - start;
			}
		}
		const mb = photos.reduce((a, p) => a + p.bytes.length, 0) / 1e6;
		const [serverMBps, rawMBps, durableMBps] = sides.map((side) => mb / (side.ms / 1000)) as [
			number,
			number,
			number
		];
		log(
			`photos: ${PHOTO_COUNT} (${mb.toFixed(0)} MB): ${sides.map((s) => s.ms.toFixed(0)).join(' / ')} ms`
		);
		const what = `${PHOTO_COUNT} real JPEGs (${(mb / PHOTO_COUNT).toFixed(2)} MB avg) one after another`;
		rows.push(
			row({
				id: 'photo-upload-throughput',
				what: `photo upload, PUT /api/photos/{sha256}, ${what}`,
				unit: 'MB/s',
				value: serverMBps,
				baseline: rawMBps,
				baselineLabel: 'bare Node http server writing the bytes to a file',
				target: rawMBps * 0.5,
				better: 'higher',
				targetText: '≥ 50 % of baseline'
			}),
			row({
				id: 'photo-upload-vs-durable',
				what: `photo upload, the same, against a bare server doing the same durability work`,
				unit: 'MB/s',
				value: serverMBps,
				baseline: durableMBps,
				baselineLabel: 'bare http server + SHA-256 + fsync of file and directory'
			})
		);

		// ---- 2. 200 devices at once ----------------------------------------------------------
		if (DEVICES > 0) rows.push(...(await devices(origin, factory)));
	} catch (error) {
		if (proc.exitCode !== null || proc.signalCode !== null) {
			throw new Error(`the server exited (${proc.exitCode ?? proc.signalCode})`, { cause: error });
		}
		throw error;
	} finally {
		if (stats.retries > 0) log(`${stats.retries} PUTs retried after a dropped connection`);
		await Promise.all([proc, raw.proc, durable.proc].map((p) => stopProcess(p)));
		if (profileDir) log(`server CPU profile written to ${profileDir}`);
	}
	return rows;
}

const deviceUser = (i: number) => `bench-device-${String(i + 1).padStart(3, '0')}`;
const deviceCounty = (i: number): CountyCode => COUNTY_CODES[i % COUNTY_CODES.length]!;

/** Figure 2: DEVICES accounts log in and push 50 records each, all at the same moment. */
async function devices(origin: string, factory: RecordFactory): Promise<Row[]> {
	const rows: Row[] = [];
	const failures: string[] = [];
	const deviceBody = (i: number) => {
		const deviceId = `bench-device-${i}-${randomUUID()}`;
		const records = factory.batch(deviceCounty(i), BATCH, () => []);
		return { deviceId, body: JSON.stringify({ deviceId, records }) };
	};
	const session = async (i: number, { deviceId, body }: ReturnType<typeof deviceBody>) => {
		const t = performance.now();
		let loginMs = NaN;
		let pushMs = NaN;
		let errors = 0;
		try {
			const s = await login(origin, deviceUser(i), PASSWORD, { deviceId });
			loginMs = performance.now() - t;
			const p = performance.now();
			errors += await pushBatch(origin, s, body);
			pushMs = performance.now() - p;
		} catch (error) {
			const message = `${(error as Error).message} ${String((error as Error).cause ?? '')}`;
			failures.push(`device ${i + 1}: ${message.slice(0, 200)}`);
			log(failures.at(-1));
			errors += 1;
		}
		return { loginMs, pushMs, totalMs: performance.now() - t, errors };
	};
	const concurrentBodies = Array.from({ length: DEVICES }, (_, i) => deviceBody(i));
	const retriesBefore = loginRetries.count;
	let start = performance.now();
	const concurrent = await Promise.all(concurrentBodies.map((body, i) => session(i, body)));
	const concurrentWall = performance.now() - start;
	const retried = loginRetries.count - retriesBefore;
	const sequentialBodies = Array.from({ length: SEQUENTIAL_DEVICES }, (_, i) => deviceBody(i));
	const sequential: Awaited<ReturnType<typeof session>>[] = [];
	start = performance.now();
	for (const [i, body] of sequentialBodies.entries()) sequential.push(await session(i, body));
	const sequentialWall = performance.now() - start;
	const ok = (xs: number[]) => xs.filter(Number.isFinite);
	const stat = (runs: typeof concurrent, key: 'loginMs' | 'pushMs' | 'totalMs', p: number) =>
		percentile(ok(runs.map((r) => r[key])), p);
	const errorsOf = (runs: typeof concurrent) => runs.reduce((a, r) => a + r.errors, 0);
	log(
		`devices: ${DEVICES} at once in ${concurrentWall.toFixed(0)} ms; ${SEQUENTIAL_DEVICES} in turn in ${sequentialWall.toFixed(0)} ms`
	);
	const seqLabel = `the same session, ${SEQUENTIAL_DEVICES} devices one after another`;
	for (const [key, label] of [
		['totalMs', 'log in + push 50'],
		['loginMs', 'log in'],
		['pushMs', 'push 50']
	] as const) {
		for (const p of key === 'totalMs' ? [50, 95] : [95]) {
			rows.push(
				row({
					id: `devices-${DEVICES}-${key.replace('Ms', '')}-p${p}`,
					what: `${DEVICES} devices at once: ${label}, p${p} latency`,
					unit: 'ms',
					value: stat(concurrent, key, p),
					baseline: stat(sequential, key, p),
					baselineLabel: seqLabel
				})
			);
		}
	}
	rows.push(
		row({
			id: `devices-${DEVICES}-sessions-per-s`,
			what: `${DEVICES} devices at once: sessions (log in + push 50) completed per second`,
			unit: 'sessions/s',
			value: DEVICES / (concurrentWall / 1000),
			baseline: SEQUENTIAL_DEVICES / (sequentialWall / 1000),
			baselineLabel: seqLabel
		}),
		row({
			id: `devices-${DEVICES}-errors`,
			what: `${DEVICES} devices at once: failed requests + records not accepted (${DEVICES * BATCH} records in ${(concurrentWall / 1000).toFixed(1)} s; ${retried} logins waited for Retry-After of a busy server and retried)`,
			unit: 'errors',
			value: errorsOf(concurrent),
			baseline: errorsOf(sequential),
			baselineLabel: seqLabel,
			target: 0,
			...(failures.length > 0 ? { note: failures.slice(0, 5).join('; ') } : {})
		})
	);
	return rows;
}
