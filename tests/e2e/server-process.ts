/**
 * A production server of its own for e2e tests that must stop and restart it (SIGKILL
 * mid-sync): `node build` as contract §4 says, on a fixed port and a data directory that
 * outlives the process.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import Database from 'better-sqlite3';

export const E2E_DEMO_PASSWORD = 'ordos-demo';

export class ServerProcess {
	readonly dataDir: string;
	readonly origin: string;
	#child: ChildProcess | undefined;
	#log = '';

	constructor(
		readonly port: number,
		dataDir?: string
	) {
		this.dataDir = dataDir ?? mkdtempSync(join(tmpdir(), 'survey-e2e-own-'));
		this.origin = `http://localhost:${port}`;
	}

	get log(): string {
		return this.#log;
	}

	/** What the server's database holds, read straight from SQLite: records and photo hashes. */
	held(): { records: { id: string; status: string; revision: number }[]; photos: string[] } {
		const db = new Database(join(this.dataDir, 'survey.sqlite'), { readonly: true });
		try {
			return {
				records: db.prepare('SELECT id, status, revision FROM records').all() as {
					id: string;
					status: string;
					revision: number;
				}[],
				photos: (db.prepare('SELECT sha256 FROM photos').all() as { sha256: string }[])
					.map((p) => p.sha256)
					.sort()
			};
		} finally {
			db.close();
		}
	}

	async start(): Promise<void> {
		const child = spawn(process.execPath, [resolve(process.env.BUILD_DIR ?? 'build')], {
			env: {
				...process.env,
				PORT: String(this.port),
				HOST: '127.0.0.1',
				ORIGIN: this.origin,
				DATA_DIR: this.dataDir,
				SEED_DEMO: '1',
				DEMO_PASSWORD: E2E_DEMO_PASSWORD,
				BODY_SIZE_LIMIT: '25M',
				// as in tests/api/harness.ts: Node's fetch must never reuse a connection being closed
				KEEP_ALIVE_TIMEOUT: '120'
			},
			stdio: ['ignore', 'pipe', 'pipe']
		});
		child.stdout?.on('data', (d: Buffer) => (this.#log += d.toString()));
		child.stderr?.on('data', (d: Buffer) => (this.#log += d.toString()));
		this.#child = child;
		const deadline = Date.now() + 30_000;
		for (;;) {
			if (child.exitCode !== null) throw new Error(`server exited: ${this.#log}`);
			try {
				const response = await fetch(`${this.origin}/api/public/info`);
				if (response.ok) return;
			} catch {
				/* not up yet */
			}
			if (Date.now() > deadline) throw new Error(`server did not start: ${this.#log}`);
			await new Promise((r) => setTimeout(r, 150));
		}
	}

	/** Kills the process with SIGKILL: no shutdown code runs, as in a power cut. */
	async kill(): Promise<void> {
		const child = this.#child;
		if (!child || child.exitCode !== null) return;
		const exited = new Promise((r) => child.once('exit', r));
		child.kill('SIGKILL');
		await exited;
	}

	async stop(): Promise<void> {
		const child = this.#child;
		if (!child || child.exitCode !== null) return;
		const exited = new Promise((r) => child.once('exit', r));
		child.kill('SIGTERM');
		await exited;
	}

	async login(username: string): Promise<string> {
		const response = await fetch(`${this.origin}/api/auth/login`, {
			method: 'POST',
			headers: { 'content-type': 'application/json' },
			body: JSON.stringify({ username, password: E2E_DEMO_PASSWORD })
		});
		if (!response.ok) throw new Error(`login ${username}: ${response.status}`);
		return ((await response.json()) as { token: string }).token;
	}
}
