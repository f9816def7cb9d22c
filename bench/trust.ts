/**
 * The server against hostile clients (issue 10), `npm run bench -- --only trust` (part of
 * `--only server`). Through the production build started as contract §4 says (`node $BUILD_DIR`,
 * a fresh DATA_DIR, SEED_DEMO=1, BODY_SIZE_LIMIT=25M), each figure beside a baseline from the
 * same run:
 *
 * 1. **login flood.** The server behind a stand-in proxy (ADDRESS_HEADER=x-forwarded-for,
 *    XFF_DEPTH=1). One surveyor device, logged in beforehand, pushes batches of 5 valid records
 *    one after another (the next one 0.2 s after the last began, or as it ends): the push p95 while BENCH_FLOOD_LOGINS bogus logins (unknown usernames,
 *    wrong passwords, each worker from its own X-Forwarded-For address, a new one sent as soon
 *    as the last is answered; from a process of its own at `nice -n 19`) run continuously, against the p95 of the same pushes idle. Beside
 *    it: how the flood's logins were answered (401 / 429 and Retry-After), and whether
 *    `GET /api/health` answered 200 {ok:true} during the flood.
 * 2. **hostile backup files** (tests/fixtures/hostile-zips.ts), each sent by the demo city
 *    reviewer through the chunked import API (`POST /api/imports`, `PUT …/chunks/{n}`,
 *    `POST …/finish`, with `Authorization: Bearer`): the server process's peak RSS (VmRSS of
 *    /proc/<pid>/status every 20 ms, and VmHWM after resetting it through clear_refs), against
 *    its peak while importing a legitimate backup of similar size; the answer, and whether
 *    /api/health and a push still answer afterwards. A server that dies is reported so
 *    ("crashed") and started again, on a fresh DATA_DIR, for the next file; one still busy
 *    after BENCH_IMPORT_TIMEOUT_S, or past BENCH_RSS_CEILING_MB (to spare the machine), is
 *    killed and reported so.
 *
 * Knobs: BENCH_FLOOD_LOGINS (200), BENCH_FLOOD_PUSHES (50 each side, one started every 0.2 s at
 * most), BENCH_FLOOD_SECONDS (30: a side stops there once it has 10 pushes), BENCH_HOSTILE (comma-separated file ids, default all),
 * BENCH_IMPORT_TIMEOUT_S (180), BENCH_RSS_CEILING_MB (6144); BENCH_VERBOSE=1 logs the steps and
 * the servers' stderr.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import type { CountyCode } from '../src/lib/domain/codelists/index.js';
import {
	backupZip,
	deflateBombZip,
	duplicateManifestZip,
	duplicatePathZip,
	GiB,
	overlappingEntriesZip,
	type BuiltZip
} from '../tests/fixtures/hostile-zips.js';
import { storedRowOf } from '../tests/fixtures/records.js';
import { call, login, pushBatch, type Session } from './client.js';
import {
	errorText,
	guarded,
	log,
	median,
	num,
	p95,
	row,
	sleep,
	startProductionServer,
	stopProcess,
	type Row
} from './common.js';
import { loadDemo, recordPhotos, RecordFactory, rng } from './records.js';

const FLOOD_LOGINS = num('BENCH_FLOOD_LOGINS', 200);
const FLOOD_PUSHES = num('BENCH_FLOOD_PUSHES', 50);
const FLOOD_SECONDS = num('BENCH_FLOOD_SECONDS', 30);
/** The pace of the device's pushes: the next starts this long after the last began, or when it ends. */
const PUSH_EVERY_MS = 200;
const IMPORT_TIMEOUT_S = num('BENCH_IMPORT_TIMEOUT_S', 180);
const RSS_CEILING_MB = num('BENCH_RSS_CEILING_MB', 6144);
const RSS_TARGET_MB = 300;
const RSS_EVERY_MS = 20;
const PUSH_RECORDS = 5;
const PASSWORD = 'bench-password';
const COUNTY: CountyCode = '150624';
/** The surveyor's tablet, as the proxy names it. */
const DEVICE_ADDRESS = { 'X-Forwarded-For': '10.0.0.2' };
/** The legitimate backup's photos: 1600 × 1200 JPEGs, two a record. */
const LEGIT_PHOTO = 'tests/fixtures/photos/site-dongsheng-1600x1200.jpg';
const LEGIT_RECORDS = 6;

const HOSTILE: { id: string; what: string; build: (path: string) => BuiltZip }[] = [
	{
		id: 'duplicate-manifest',
		what: 'a manifest listing one 4 MiB record 1,500 times',
		build: (path) => duplicateManifestZip(path)
	},
	{
		id: 'overlapping-entries',
		what: '1,500 directory entries over the same 4 MiB record',
		build: (path) => overlappingEntriesZip(path)
	},
	{
		id: 'duplicate-path',
		what: 'the same record entry twice in the directory',
		build: (path) => duplicatePathZip(path)
	},
	{
		id: 'deflate-bomb',
		what: 'a record entry that inflates to 4 GiB (Zip64 sizes say so)',
		build: (path) => deflateBombZip(path, { inflatedBytes: 4 * GiB })
	},
	{
		id: 'deflate-bomb-lying',
		what: 'a record entry that inflates to 4 GiB, its headers claiming 4 KiB',
		build: (path) => deflateBombZip(path, { inflatedBytes: 4 * GiB, declaredBytes: 4096 })
	}
];

const ms = (x: number) => `${Math.round(x)} ms`;
const size = (bytes: number) =>
	bytes < 1e6 ? `${Math.ceil(bytes / 1e3)} KB` : `${(bytes / 1e6).toFixed(1)} MB`;
const countsText = (counts: Map<string, number>) =>
	[...counts].map(([what, n]) => `${what} ×${n}`).join(', ') || 'none';
const bump = (counts: Map<string, number>, key: string) =>
	counts.set(key, (counts.get(key) ?? 0) + 1);

// ---------------------------------------------------------------------------------------------
// The server under test

type Target = {
	origin: string;
	proc: ChildProcess;
	/** Headers every request of ours carries (the proxy's X-Forwarded-For). */
	headers: Record<string, string>;
	surveyor: Session;
	/** The last few KB the server wrote to stderr. */
	stderr: () => string;
	/** Resolves with how the process ended (`code 1`, `SIGABRT`). */
	ended: Promise<string>;
};

const alive = (t: Target) => t.proc.exitCode === null && t.proc.signalCode === null;

async function startTarget(
	buildDir: string,
	dataDir: string,
	headers: Record<string, string> = {},
	env: Record<string, string> = {}
): Promise<Target> {
	const { origin, proc } = await startProductionServer({
		buildDir,
		dataDir,
		demoPassword: PASSWORD,
		ready: '/api/public/info',
		readyHeaders: headers,
		env,
		stderr: 'pipe'
	});
	let tail = '';
	proc.stderr!.on('data', (chunk: Buffer) => {
		tail = (tail + chunk.toString()).slice(-4096);
		if (process.env.BENCH_VERBOSE) process.stderr.write(chunk);
	});
	const ended = new Promise<string>((resolve) =>
		proc.once('exit', (code, signal) => resolve(signal ?? `code ${code}`))
	);
	const surveyor = await login(origin, `surveyor-${COUNTY}`, PASSWORD, { headers });
	return { origin, proc, headers, surveyor, stderr: () => tail, ended };
}

/** GET /api/health: whether it answered 200 {ok:true}, its status (or error) and latency. */
async function health(t: Target, timeoutMs = 10_000) {
	const start = performance.now();
	try {
		const res = await call(t.origin, '/api/health', {
			method: 'GET',
			headers: t.headers,
			signal: AbortSignal.timeout(timeoutMs)
		});
		let ok = false;
		try {
			ok = res.status === 200 && (JSON.parse(res.text) as { ok?: unknown }).ok === true;
		} catch {
			ok = false;
		}
		return { ok, status: String(res.status), ms: performance.now() - start };
	} catch (error) {
		return { ok: false, status: errorText(error), ms: performance.now() - start };
	}
}

/** Probes /api/health one at a time, every `everyMs`, until `signal` aborts. */
async function probeHealth(t: Target, signal: AbortSignal, everyMs = 500) {
	const probes: Awaited<ReturnType<typeof health>>[] = [];
	while (!signal.aborted) {
		const next = sleep(everyMs);
		probes.push(await health(t));
		await next;
	}
	return probes;
}

function healthText(probes: Awaited<ReturnType<typeof health>>[]) {
	const statuses = new Map<string, number>();
	for (const p of probes) bump(statuses, p.ok ? '200 {ok:true}' : p.status);
	return `${countsText(statuses)}; p95 ${ms(p95(probes.map((p) => p.ms)))}`;
}

/** A push of PUSH_RECORDS new records from the target's surveyor device. */
const pushBody = (t: Target, factory: RecordFactory) =>
	JSON.stringify({
		deviceId: t.surveyor.deviceId,
		records: factory.batch(COUNTY, PUSH_RECORDS, () => [])
	});

/** One push of `body` by the target's surveyor: a line for the report, and whether it went in. */
async function pushCheck(t: Target, body: string) {
	try {
		const refused = await pushBatch(t.origin, t.surveyor, body, AbortSignal.timeout(30_000));
		return {
			ok: refused === 0,
			text: `push 200 (${PUSH_RECORDS - refused}/${PUSH_RECORDS} accepted)`
		};
	} catch (error) {
		return { ok: false, text: `push failed (${errorText(error).slice(0, 120)})` };
	}
}

// ---------------------------------------------------------------------------------------------
// 1. Pushes during a login flood

/**
 * The flood, in a process of its own (as an attacker is not the device: the device's pushes are
 * timed on an event loop that the flood's thousands of answers do not hold up): `workers`
 * bogus logins kept in flight until a line arrives on stdin; unknown usernames (a new one each
 * time, so no per-username limit stops them), wrong passwords, worker i always from
 * X-Forwarded-For 10.66.x.y, the next login sent as soon as the last is answered. Then it
 * prints `{answers: {status: n}, answered, retryAfter}` and exits.
 */
const FLOOD = `
const [origin, workers] = process.argv.slice(1);
let stopped = false;
// one controller per login (a signal shared by thousands of requests gathers their listeners)
const inFlight = new Set();
const answers = {};
let answered = 0, retryAfter = 0;
const bump = (key) => (answers[key] = (answers[key] ?? 0) + 1);
const worker = async (i) => {
	const address = '10.66.' + ((i + 1) >> 8) + '.' + ((i + 1) & 255);
	for (let k = 0; !stopped; k++) {
		const controller = new AbortController();
		inFlight.add(controller);
		try {
			const res = await fetch(origin + '/api/auth/login', {
				method: 'POST',
				headers: { 'Content-Type': 'application/json', 'X-Forwarded-For': address },
				body: JSON.stringify({ username: 'nobody-' + i + '-' + k, password: 'wrong-' + k }),
				signal: controller.signal
			});
			await res.arrayBuffer();
			answered++;
			bump(String(res.status));
			if (res.status === 429 && res.headers.get('retry-after')) retryAfter++;
		} catch (error) {
			if (!stopped) bump(String(error.cause?.code ?? error.message).slice(0, 60));
		} finally {
			inFlight.delete(controller);
		}
	}
};
const done = Promise.all(Array.from({ length: Number(workers) }, (_, i) => worker(i)));
process.stdin.once('data', async () => {
	stopped = true;
	for (const controller of inFlight) controller.abort();
	await done;
	process.stdout.write(JSON.stringify({ answers, answered, retryAfter }));
	process.exit(0);
});
`;

type FloodResult = { answers: Record<string, number>; answered: number; retryAfter: number };

function loginFlood(origin: string, workers: number) {
	// at the lowest CPU priority: an attacker's machine is not the server's, and on a 2-core
	// runner the flood's own client would otherwise take the core the server's event loop needs
	const proc = spawn('nice', ['-n', '19', process.execPath, '-e', FLOOD, origin, String(workers)], {
		stdio: ['pipe', 'pipe', 'inherit']
	});
	let out = '';
	proc.stdout!.on('data', (chunk: Buffer) => (out += chunk.toString()));
	const exited = new Promise<void>((resolve) => proc.once('exit', () => resolve()));
	return {
		async stop(): Promise<FloodResult> {
			proc.stdin!.end('stop\n');
			await Promise.race([exited, sleep(30_000)]);
			if (proc.exitCode === null) proc.kill('SIGKILL');
			return JSON.parse(out || '{"answers":{},"answered":0,"retryAfter":0}') as FloodResult;
		}
	};
}

async function floodFigures(buildDir: string, dataDir: string, factory: RecordFactory) {
	const t = await startTarget(buildDir, dataDir, DEVICE_ADDRESS, {
		ADDRESS_HEADER: 'x-forwarded-for',
		XFF_DEPTH: '1'
	});
	try {
		const body = () => pushBody(t, factory);
		const timedPush = async (text: string) => {
			const start = performance.now();
			try {
				const refused = await pushBatch(t.origin, t.surveyor, text, AbortSignal.timeout(60_000));
				return { ms: performance.now() - start, failed: refused > 0 ? 'not accepted' : '' };
			} catch (error) {
				return { ms: performance.now() - start, failed: errorText(error).slice(0, 80) };
			}
		};
		/** Pushes one after another, one started every PUSH_EVERY_MS at most, /api/health probed meanwhile. */
		const pushes = async (bodies: string[]) => {
			const probing = new AbortController();
			const probes = probeHealth(t, probing.signal);
			const done: Awaited<ReturnType<typeof timedPush>>[] = [];
			const start = performance.now();
			for (const b of bodies) {
				if (done.length >= 10 && performance.now() - start > FLOOD_SECONDS * 1000) break;
				const next = sleep(PUSH_EVERY_MS);
				done.push(await timedPush(b));
				await next;
			}
			probing.abort();
			return { done, probes: await probes };
		};
		const bodies = () => Array.from({ length: FLOOD_PUSHES }, body);
		for (const b of bodies().slice(0, 3)) await timedPush(b); // warm-up
		const { done: idle, probes: idleHealth } = await pushes(bodies());
		log(`flood: idle push p95 ${ms(p95(idle.map((p) => p.ms)))}`);

		const floodStart = performance.now();
		const flood = loginFlood(t.origin, FLOOD_LOGINS);
		await sleep(2000); // every worker has a login in flight
		const { done: during, probes: floodHealth } = await pushes(bodies());
		const seconds = (performance.now() - floodStart) / 1000;
		const { answers, answered, retryAfter } = await flood.stop();
		log(`flood: ${answered} logins answered in ${seconds.toFixed(1)} s`);

		const idleP95 = p95(idle.map((p) => p.ms));
		const failed = [...idle, ...during].filter((p) => p.failed);
		const healthOk = floodHealth.filter((p) => p.ok).length;
		return [
			row({
				id: 'push-p95-login-flood',
				what: `sync push of ${PUSH_RECORDS} records (one device, one after another), p95, while ${FLOOD_LOGINS} bogus logins run (unknown users, one X-Forwarded-For each)`,
				unit: 'ms',
				value: p95(during.map((p) => p.ms)),
				baseline: idleP95,
				baselineLabel: 'the same pushes, idle, same server',
				target: 2 * idleP95,
				targetText: '≤ 2× baseline',
				note: `${during.length} pushes during the flood, ${idle.length} idle; median ${ms(median(during.map((p) => p.ms)))} vs ${ms(median(idle.map((p) => p.ms)))}; ${failed.length} failed${failed.length ? ` (${failed[0]!.failed})` : ''}`
			}),
			row({
				id: 'login-flood-429',
				what: `the flood's logins (${FLOOD_LOGINS} in flight): answered 429, of all answered`,
				unit: 'logins',
				value: answers['429'] ?? 0,
				baseline: answered,
				baselineLabel: `answered in ${seconds.toFixed(0)} s`,
				note: `${countsText(new Map(Object.entries(answers)))}; Retry-After on ${retryAfter} of the 429s; ${(answered / seconds).toFixed(1)} logins/s`
			}),
			row({
				id: 'health-login-flood',
				what: 'GET /api/health during the flood, one probe every 0.5 s: answered 200 {ok:true}',
				unit: 'probes',
				value: healthOk,
				baseline: floodHealth.length,
				baselineLabel: 'probes sent',
				target: floodHealth.length,
				better: 'higher',
				targetText: 'all',
				meets: floodHealth.length > 0 && healthOk === floodHealth.length,
				note: `during: ${healthText(floodHealth)}; idle before: ${healthText(idleHealth)}`
			})
		];
	} finally {
		await stopProcess(t.proc);
	}
}

// ---------------------------------------------------------------------------------------------
// 2. Hostile backup files

/** The peak RSS of `pid` while it runs: VmRSS every RSS_EVERY_MS, and VmHWM when it could be reset. */
function sampleRss(pid: number, onCeiling: () => void) {
	const read = () => {
		try {
			const status = readFileSync(`/proc/${pid}/status`, 'utf8');
			const kb = (name: string) => Number(new RegExp(`${name}:\\s+(\\d+) kB`).exec(status)?.[1]);
			const rss = kb('VmRSS') / 1024;
			// a process that has died but is not reaped yet (a zombie) has no memory lines
			return Number.isFinite(rss) ? { rss, hwm: kb('VmHWM') / 1024 } : undefined;
		} catch {
			return undefined; // gone
		}
	};
	let hwmReset = false;
	try {
		writeFileSync(`/proc/${pid}/clear_refs`, '5'); // VmHWM := VmRSS
		hwmReset = true;
	} catch {
		hwmReset = false;
	}
	let peak = 0;
	let samples = 0;
	let ceiling = false;
	const sample = () => {
		const now = read();
		if (!now) return;
		samples++;
		peak = Math.max(peak, now.rss, hwmReset && Number.isFinite(now.hwm) ? now.hwm : 0);
		if (peak > RSS_CEILING_MB && !ceiling) {
			ceiling = true;
			onCeiling();
		}
	};
	const timer = setInterval(sample, RSS_EVERY_MS);
	return {
		stop() {
			sample();
			clearInterval(timer);
			return { peak: samples ? peak : NaN, ceiling };
		}
	};
}

type Answer = { status?: number; text: string };

/** The file through the chunked import API, as the review page sends it. */
async function importInChunks(t: Target, token: string, file: string): Promise<Answer> {
	const auth = { token, headers: t.headers };
	const signal = AbortSignal.timeout(IMPORT_TIMEOUT_S * 1000);
	try {
		const start = await call(t.origin, '/api/imports', { method: 'POST', ...auth, signal });
		if (start.status !== 201) return { status: start.status, text: `start: ${start.text}` };
		const { id, chunkBytes } = JSON.parse(start.text) as { id: string; chunkBytes: number };
		const bytes = readFileSync(file);
		const chunks = Math.ceil(bytes.length / chunkBytes);
		for (let n = 0; n < chunks; n++) {
			const res = await call(t.origin, `/api/imports/${id}/chunks/${n}`, {
				method: 'PUT',
				...auth,
				body: bytes.subarray(n * chunkBytes, (n + 1) * chunkBytes),
				type: 'application/octet-stream',
				signal
			});
			if (res.status !== 201) return { status: res.status, text: `chunk ${n}: ${res.text}` };
		}
		const finish = await call(t.origin, `/api/imports/${id}/finish`, {
			method: 'POST',
			...auth,
			json: JSON.stringify({ chunks }),
			signal
		});
		return { status: finish.status, text: finish.text };
	} catch (error) {
		return { text: errorText(error) };
	}
}

/** What an answer says, in short: the import's counts, or the error message. */
function answerText(answer: Answer) {
	if (answer.status === undefined) return `none (${answer.text})`;
	try {
		const body = JSON.parse(answer.text) as {
			counts?: Record<string, number>;
			message?: string;
			error?: string;
		};
		if (body.counts)
			return `${answer.status}, ${Object.entries(body.counts)
				.filter(([, n]) => n > 0)
				.map(([k, n]) => `${k} ${n}`)
				.join(', ')}`;
		return `${answer.status} ${(body.message ?? body.error ?? answer.text).slice(0, 100)}`;
	} catch {
		return `${answer.status} ${answer.text.slice(0, 100)}`;
	}
}

/** One file sent to the target, with the RSS sampled and /api/health probed meanwhile. */
async function attack(t: Target, city: Session, file: string) {
	let killed = '';
	const rss = sampleRss(t.proc.pid!, () => {
		killed = `killed by the bench past ${RSS_CEILING_MB} MB`;
		t.proc.kill('SIGKILL');
	});
	const probing = new AbortController();
	const probes = probeHealth(t, probing.signal);
	const start = performance.now();
	const answer = await importInChunks(t, city.token, file);
	const seconds = (performance.now() - start) / 1000;
	if (answer.status === undefined && alive(t)) {
		// a connection that dropped as the process died: give the exit a moment to arrive
		await Promise.race([t.ended, sleep(2000)]);
	}
	await sleep(200);
	probing.abort();
	const during = await probes;
	const { peak } = rss.stop();
	if (!killed && alive(t) && answer.status === undefined && /timed out/.test(answer.text)) {
		killed = `killed by the bench: no answer in ${IMPORT_TIMEOUT_S} s`;
		t.proc.kill('SIGKILL');
	}
	return { answer, peak, seconds, killed, during };
}

async function hostileFigures(
	buildDir: string,
	tmp: string,
	factory: RecordFactory
): Promise<Row[]> {
	const chosen = (process.env.BENCH_HOSTILE ?? '')
		.split(',')
		.map((s) => s.trim())
		.filter(Boolean);
	const files = HOSTILE.filter((f) => chosen.length === 0 || chosen.includes(f.id));
	// the files first, while no server is sampled
	const pool: { bytes: Buffer; sha256: string }[] = [];
	const records = factory.batch(
		COUNTY,
		LEGIT_RECORDS,
		recordPhotos(readFileSync(LEGIT_PHOTO), pool)
	);
	const legit = backupZip(
		join(tmp, 'legit-backup.zip'),
		records.map(storedRowOf),
		pool.map((p) => ({ bytes: p.bytes, mimeType: 'image/jpeg', width: 1600, height: 1200 })),
		{ username: `surveyor-${COUNTY}`, county: COUNTY }
	);
	const built = files.map((f) => ({ ...f, zip: f.build(join(tmp, `${f.id}.zip`)) }));

	const legitWhat = `a legitimate backup (${LEGIT_RECORDS} records, ${pool.length} photos, ${size(legit.bytes)})`;
	const idles: number[] = [];
	const legits: (Awaited<ReturnType<typeof attack>> & { idle: number })[] = [];
	const rows: Row[] = [];
	// each hostile file on a server of its own: started fresh, idle, then the legitimate file
	// (the baseline), then the hostile one; so no file inherits another's leftovers
	const runs = built.length ? built : [undefined]; // no hostile file chosen: the baseline alone
	for (const [n, f] of runs.entries()) {
		const t = await startTarget(buildDir, join(tmp, `trust-data-${n}`));
		try {
			const city = await login(t.origin, 'city', PASSWORD);
			const idle = sampleRss(t.proc.pid!, () => undefined);
			await sleep(1000);
			idles.push(idle.stop().peak);
			const base = await attack(t, city, legit.path);
			legits.push({ ...base, idle: idles.at(-1)! });
			if (!f) break;
			const hit = await attack(t, city, f.zip.path);
			if (hit.killed) await t.ended;
			const died = alive(t) ? '' : await t.ended;
			let after = '';
			let serving = false;
			if (!died) {
				const h = await health(t);
				const p = await pushCheck(t, pushBody(t, factory));
				serving = h.ok && p.ok;
				after = `afterwards /api/health ${h.ok ? '200 {ok:true}' : h.status}, ${p.text}`;
			}
			const oom = /heap out of memory/i.test(t.stderr()) ? ', JavaScript heap out of memory' : '';
			const fate = hit.killed
				? hit.killed
				: died
					? `crashed (${died}${oom}) ${hit.seconds.toFixed(0)} s after the upload began`
					: '';
			const valueText = hit.killed
				? `killed (peak ≥ ${hit.peak.toFixed(0)} MB)`
				: died
					? `crashed (peak ${hit.peak.toFixed(0)} MB)`
					: undefined;
			log(`hostile ${f.id}: ${hit.peak.toFixed(0)} MB, ${answerText(hit.answer)} ${fate}`);
			rows.push(
				row({
					id: `import-rss-${f.id}`,
					what: `server peak RSS refusing ${f.what} (${size(f.zip.bytes)} file, chunked import)`,
					unit: 'MB',
					value: hit.peak,
					...(valueText ? { valueText } : {}),
					baseline: base.peak,
					baselineLabel: `the same server importing ${legitWhat} just before`,
					target: RSS_TARGET_MB,
					targetText: `< ${RSS_TARGET_MB} MB and keeps serving`,
					meets: hit.peak < RSS_TARGET_MB && serving,
					note: [
						`answer ${answerText(hit.answer)} after ${hit.seconds.toFixed(1)} s`,
						fate,
						after,
						`/api/health meanwhile: ${healthText(hit.during)}`
					]
						.filter(Boolean)
						.join('; ')
				})
			);
		} finally {
			await stopProcess(t.proc);
		}
	}
	const answers = new Map<string, number>();
	for (const l of legits) bump(answers, answerText(l.answer));
	rows.unshift(
		row({
			id: 'import-rss-legit',
			what: `server peak RSS, chunked import of ${legitWhat}, median of ${legits.length} fresh servers`,
			unit: 'MB',
			value: median(legits.map((l) => l.peak)),
			baseline: median(idles),
			baselineLabel: 'the same servers idle, just before',
			note: `answers: ${countsText(answers)}; peaks ${legits.map((l) => l.peak.toFixed(0)).join(', ')} MB`
		})
	);
	log(
		`hostile: idle ${median(idles).toFixed(0)} MB, legit import ${median(legits.map((l) => l.peak)).toFixed(0)} MB`
	);
	return rows;
}

// ---------------------------------------------------------------------------------------------

export async function trustFigures(options: { tmp: string; buildDir: string }): Promise<Row[]> {
	const { tmp, buildDir } = options;
	const { registry, counties } = loadDemo();
	const factory = new RecordFactory(registry, counties, rng(20250602));
	return [
		...(await guarded('push-p95-login-flood', 'sync push p95 during a login flood', () =>
			floodFigures(buildDir, join(tmp, 'trust-flood-data'), factory)
		)),
		...(await guarded('import-rss', 'server peak RSS refusing hostile backup files', () =>
			hostileFigures(buildDir, tmp, factory)
		))
	];
}
