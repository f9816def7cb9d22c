/** What the parts of `npm run bench` share: the row format, statistics, ports, child servers. */
import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';

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
	meets?: boolean;
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

export function freePort(): Promise<number> {
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
			const probe = await fetch(origin + (options.ready ?? '/'), { headers: options.readyHeaders });
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
