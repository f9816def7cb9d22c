/**
 * What the parts of `npm run bench` share: the row format, statistics, ports, child servers and
 * the throw-away PostgreSQL cluster.
 */
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

export type Row = {
	id: string;
	what: string;
	unit: string;
	value: number;
	/** How the value reads in the table when a number does not say it (e.g. `crashed`). */
	valueText?: string;
	baseline: number;
	baselineLabel: string;
	ratio: number;
	target?: number;
	/** `higher`: the target is a floor (throughput); otherwise a ceiling (time, size, errors). */
	better?: 'higher';
	/** How the target reads in the table, when not just `≤ target unit` / `≥ target unit`. */
	targetText?: string;
	meets?: boolean | undefined;
	note?: string;
};

/** A row with its ratio (value / baseline) and, against its target, whether it meets it. */
export function row(r: Omit<Row, 'ratio' | 'meets'> & { meets?: boolean }): Row {
	const ratio = r.baseline ? r.value / r.baseline : NaN;
	const meets =
		r.meets ??
		(r.target === undefined
			? undefined
			: r.better === 'higher'
				? r.value >= r.target
				: r.value <= r.target);
	return { ...r, ratio, meets };
}

export const median = (xs: number[]) => {
	const s = [...xs].sort((a, b) => a - b);
	const mid = Math.floor(s.length / 2);
	return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
};

/** The nearest-rank percentile (`p` in 0…100). */
export const percentile = (xs: number[], p: number) => {
	const s = [...xs].sort((a, b) => a - b);
	return s[Math.min(s.length - 1, Math.max(0, Math.ceil((s.length * p) / 100) - 1))]!;
};
export const p95 = (xs: number[]) => percentile(xs, 95);

/** BENCH_PORTS=`first-last`: the bench's own servers take free ports of that range only. */
const PORT_RANGE = /^(\d+)-(\d+)$/.exec(process.env.BENCH_PORTS ?? '');
let nextInRange = PORT_RANGE ? Number(PORT_RANGE[1]) : 0;

/** Whether `port` can be listened on now. */
const listenable = (port: number) =>
	new Promise<boolean>((resolve) => {
		const srv = createServer();
		srv.once('error', () => resolve(false));
		srv.listen(port, '127.0.0.1', () => srv.close(() => resolve(true)));
	});

/**
 * A free port: one the system picks, or with BENCH_PORTS the next free one of that range (in
 * turn, so two servers started one after the other do not get the same).
 */
export async function freePort(): Promise<number> {
	if (PORT_RANGE) {
		const [first, last] = [Number(PORT_RANGE[1]), Number(PORT_RANGE[2])];
		for (let tries = 0; tries <= last - first; tries++) {
			const port = nextInRange;
			nextInRange = port >= last ? first : port + 1;
			if (await listenable(port)) return port;
		}
		throw new Error(`no free port in BENCH_PORTS ${first}-${last}`);
	}
	return new Promise((resolve, reject) => {
		const srv = createServer();
		srv.listen(0, '127.0.0.1', () => {
			const address = srv.address();
			srv.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject()));
		});
	});
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** A numeric knob from the environment. */
export const num = (name: string, fallback: number) => Number(process.env[name] ?? fallback);

/** Progress lines, shown with BENCH_VERBOSE=1. */
export const log = (...args: unknown[]) => {
	if (process.env.BENCH_VERBOSE) console.log(' ', ...args);
};

/**
 * The production server as contract §4 starts it: `node <buildDir>` with PORT, HOST, ORIGIN,
 * DATA_DIR, SEED_DEMO and BODY_SIZE_LIMIT=25M (and any `env` beside them). Resolves once `ready`
 * (a path) answers 200.
 */
export async function startProductionServer(options: {
	buildDir: string;
	dataDir: string;
	demoPassword?: string;
	ready?: string;
	nodeArgs?: string[];
	env?: Record<string, string>;
	/** Headers of the readiness probe (X-Forwarded-For behind ADDRESS_HEADER). */
	readyHeaders?: Record<string, string>;
	/** The server's stderr: the bench's own (default), or a pipe for the caller to read. */
	stderr?: 'inherit' | 'pipe';
}): Promise<{ origin: string; proc: ChildProcess }> {
	const port = await freePort();
	const origin = `http://localhost:${port}`;
	const proc = spawn('node', [...(options.nodeArgs ?? []), options.buildDir], {
		env: {
			...process.env,
			PORT: String(port),
			HOST: '127.0.0.1',
			ORIGIN: origin,
			DATA_DIR: options.dataDir,
			SEED_DEMO: '1',
			...(options.demoPassword ? { DEMO_PASSWORD: options.demoPassword } : {}),
			BODY_SIZE_LIMIT: '25M',
			...options.env
		},
		stdio: ['ignore', 'ignore', options.stderr ?? 'inherit']
	});
	let exited = false;
	proc.once('exit', () => (exited = true));
	for (let i = 0; i < 150 && !exited; i++) {
		try {
			const probe = await fetch(origin + (options.ready ?? '/'), {
				...(options.readyHeaders ? { headers: options.readyHeaders } : {})
			});
			if (probe.ok) return { origin, proc };
		} catch {
			/* not up yet */
		}
		await sleep(200);
	}
	proc.kill('SIGTERM');
	throw new Error(`the server in ${options.buildDir} did not start`);
}

/** SIGTERM, then SIGKILL after `graceMs`; resolves when the process has exited. */
export function stopProcess(proc: ChildProcess, graceMs = 10_000): Promise<void> {
	if (proc.exitCode !== null || proc.signalCode !== null) return Promise.resolve();
	return new Promise((resolve) => {
		const timer = setTimeout(() => proc.kill('SIGKILL'), graceMs);
		proc.once('exit', () => {
			clearTimeout(timer);
			resolve();
		});
		proc.kill('SIGTERM');
	});
}

/** What an error says, in one line: its message and its cause's code or message. */
export const errorText = (error: unknown) => {
	const e = error as Error & { cause?: { code?: string; message?: string } };
	return [e.name === 'TimeoutError' ? 'timed out' : e.message, e.cause?.code ?? e.cause?.message]
		.filter(Boolean)
		.join(': ');
};

/** A figure that failed outright still gets its row, saying so, and the others still run. */
export async function guarded(
	id: string,
	what: string,
	figure: () => Promise<Row[]>
): Promise<Row[]> {
	try {
		return await figure();
	} catch (error) {
		console.error(`figure ${id} failed:`, error);
		return [failedRow(id, what, `the bench failed: ${errorText(error)}`)];
	}
}

/**
 * The row of a figure that could not be measured: `valueText` says why in short (`failed`, or
 * `not run` with `meets` left open when what it needs is missing), `note` in full.
 */
export function failedRow(
	id: string,
	what: string,
	note: string,
	options: { valueText?: string; meets?: boolean } = {}
): Row {
	const { valueText = 'failed', meets = valueText === 'failed' ? false : undefined } = options;
	return row({
		id,
		what,
		unit: '',
		value: NaN,
		valueText,
		baseline: NaN,
		baselineLabel: '—',
		...(meets === undefined ? {} : { meets }),
		note
	});
}

/**
 * A throw-away PostgreSQL cluster (scripts/pg-cluster.sh) in a new temporary directory, with
 * fsync on (BENCH_PG_FSYNC, default `on`: the SQLite side runs synchronous=FULL, so both pay
 * for durability). Rejects with the script's message when PostgreSQL is missing or fails to
 * start; `stop` stops it and removes its directory.
 */
/**
 * A throw-away PostgreSQL cluster for a part's figures, or why there is none: the part then
 * reports its PostgreSQL rows as not run, with that reason.
 */
export async function benchPostgres(part: string): Promise<{
	postgres: Awaited<ReturnType<typeof startPostgresCluster>> | undefined;
	noPostgres: string;
}> {
	try {
		const postgres = await startPostgresCluster();
		log(`PostgreSQL cluster: ${postgres.url}`);
		return { postgres, noPostgres: '' };
	} catch (error) {
		const noPostgres = `PostgreSQL could not be started: ${errorText(error)}`;
		console.error(`${part} figures: ${noPostgres}`);
		return { postgres: undefined, noPostgres };
	}
}

export async function startPostgresCluster(): Promise<{ url: string; stop: () => Promise<void> }> {
	const run = promisify(execFile);
	const dir = mkdtempSync(join(tmpdir(), 'survey-bench-pg-'));
	const script = 'scripts/pg-cluster.sh';
	const stop = async () => {
		await run('bash', [script, 'stop', dir]).catch((error: unknown) =>
			console.error(`stopping the PostgreSQL cluster in ${dir}: ${errorText(error)}`)
		);
		rmSync(dir, { recursive: true, force: true });
	};
	try {
		const { stdout } = await run('bash', [script, 'start', dir], {
			env: { ...process.env, PG_FSYNC: process.env.BENCH_PG_FSYNC ?? 'on' }
		});
		return { url: stdout.trim(), stop };
	} catch (error) {
		await stop();
		const stderr = String((error as { stderr?: string }).stderr ?? '').trim();
		throw new Error(stderr || errorText(error));
	}
}
