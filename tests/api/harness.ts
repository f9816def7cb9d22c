/**
 * API test harness: starts the PRODUCTION build as a child process exactly as contract §4 says
 * (`node <buildDir>` with PORT, HOST, ORIGIN, DATA_DIR, SEED_DEMO, DEMO_PASSWORD, BODY_SIZE_LIMIT)
 * on a fresh data directory, talks to it over HTTP, builds valid records, uploads photos and
 * snapshots the database so a test can prove that nothing was written.
 *
 * With `TEST_PG_URL` (an admin URL of a PostgreSQL cluster, as scripts/test-all.sh sets it) every
 * server gets a fresh PostgreSQL database of its own (DATABASE_URL), dropped when it stops; the
 * same tests then run against PostgreSQL.
 *
 * Build first: `npm run build` (or `BUILD_DIR=build-api KIT_OUT_DIR=.svelte-kit-api npm run build`
 * and run the tests with `BUILD_DIR=build-api`).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { request as httpRequest, type Agent } from 'node:http';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, relative, resolve } from 'node:path';
import { DataStore } from '$lib/server/db/store.js';
import { tableRows } from '$lib/server/db/copy.js';
import { createPostgresDatabase, dropPostgresDatabase } from '$lib/server/db/provision.js';
import { COUNTY_CODES, type CountyCode } from '$lib/domain/codelists/index.js';
import { chinaDate } from '$lib/domain/records/drafts.js';
import type { RecordPhoto, RegisteredSite, SurveyRecord } from '$lib/domain/schemas/index.js';
import type { Point } from '../fixtures/geo.js';
import { makePhoto, sha256Hex, uniqueJpeg } from '../fixtures/photos.js';
import { newFindRecord, pushBody, recheckRecord, type DraftMeta } from '../fixtures/records.js';

export const DEMO_PASSWORD = 'api-test-password';
export { COUNTY_CODES };
export type County = CountyCode;

export const BUILD_DIR = resolve(process.env.BUILD_DIR ?? 'build');

/** The PostgreSQL cluster the servers run on, when set (its admin URL); SQLite otherwise. */
export const TEST_PG_URL = process.env.TEST_PG_URL || undefined;

/**
 * The database settings of a new server: a fresh PostgreSQL database (`DATABASE_URL`) under
 * TEST_PG_URL, nothing on SQLite (the server uses its DATA_DIR). Give it to `TestServer.start`
 * and to the command-line tool; `dropDatabase` removes it.
 */
export async function freshDatabase(): Promise<Record<string, string>> {
	return TEST_PG_URL ? { DATABASE_URL: await createPostgresDatabase(TEST_PG_URL) } : {};
}

export async function dropDatabase(env: Record<string, string>): Promise<void> {
	if (TEST_PG_URL && env.DATABASE_URL) await dropPostgresDatabase(TEST_PG_URL, env.DATABASE_URL);
}

/** The tables a snapshot covers (tokens, devices and login failures legitimately change). */
const SNAPSHOT_TABLES = [
	'records',
	'revisions',
	'record_photos',
	'photos',
	'changes',
	'sites',
	'users',
	'review_samples',
	'review_sample_items',
	'teams',
	'team_members',
	'team_sites',
	'registry_versions',
	'registry_version_sites',
	'registry_imports'
] as const;

export type ApiResponse = {
	status: number;
	headers: Headers;
	text: string;
	/** The body parsed as JSON, or undefined when it is not JSON. */
	json: unknown;
};

export type RequestOptions = {
	token?: string | undefined;
	/** Sent as JSON with `Content-Type: application/json`. */
	json?: unknown;
	/** A raw body; give the Content-Type in `headers`. */
	body?: string | Uint8Array | ReadableStream<Uint8Array>;
	headers?: Record<string, string>;
};

export type Session = {
	token: string;
	user: { username: string; role: string; counties: string[] };
	cookie: string | undefined;
};

export type PushResult = {
	id: string | null;
	status: 'accepted' | 'unchanged' | 'conflict' | 'rejected';
	revision?: number;
	issues?: { path: string; message: string }[];
	findings?: { rule: string; severity: string; message: string; path?: string }[];
	current?: SurveyRecord & { status: string; revision: number };
};

async function freePort(): Promise<number> {
	return new Promise((resolvePort, reject) => {
		const server = createServer();
		server.unref();
		server.on('error', reject);
		server.listen(0, '127.0.0.1', () => {
			const address = server.address();
			const port = typeof address === 'object' && address ? address.port : 0;
			server.close(() => resolvePort(port));
		});
	});
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function parseJson(text: string): unknown {
	try {
		return JSON.parse(text) as unknown;
	} catch {
		return undefined;
	}
}

/** One production server process on its own port and data directory. */
export class TestServer {
	readonly logs: string[] = [];
	#sessions = new Map<string, Promise<Session>>();
	/** The device each device token was issued to: a push with it names that device. */
	#deviceOf = new Map<string, string>();

	private constructor(
		readonly url: string,
		readonly port: number,
		readonly dataDir: string,
		/** DATABASE_URL when on PostgreSQL: what the command-line tool needs beside DATA_DIR. */
		readonly databaseEnv: Record<string, string>,
		/** Whether stop() drops the database (start made it). */
		private readonly ownsDatabase: boolean,
		private readonly child: ChildProcess
	) {}

	static async start(env: Record<string, string> = {}): Promise<TestServer> {
		if (!existsSync(join(BUILD_DIR, 'index.js'))) {
			throw new Error(
				`no production build in ${BUILD_DIR}: run \`npm run build\` first (or set BUILD_DIR)`
			);
		}
		const port = await freePort();
		const dataDir = mkdtempSync(join(tmpdir(), 'survey-api-'));
		const ownsDatabase = !env.DATABASE_URL;
		const databaseEnv = env.DATABASE_URL
			? { DATABASE_URL: env.DATABASE_URL }
			: await freshDatabase();
		const url = `http://127.0.0.1:${port}`;
		const child = spawn(process.execPath, [BUILD_DIR], {
			env: {
				PATH: process.env.PATH ?? '',
				NODE_ENV: 'production',
				PORT: String(port),
				HOST: '127.0.0.1',
				ORIGIN: url,
				DATA_DIR: dataDir,
				SEED_DEMO: '1',
				DEMO_PASSWORD,
				BODY_SIZE_LIMIT: '25M',
				// Node's fetch (undici) reuses an idle connection until shortly before the server's
				// keep-alive timeout (5 s by default), by timers that run late while a test works the
				// CPU. A POST sent on a connection the server is closing fails with no answer, and
				// fetch does not retry a POST (the known "other side closed" race; CI saw it once on
				// the first POST of an import). With a long server timeout no idle gap in a test
				// comes near it.
				KEEP_ALIVE_TIMEOUT: '120',
				...databaseEnv,
				...env
			},
			stdio: ['ignore', 'pipe', 'pipe']
		});
		const server = new TestServer(url, port, dataDir, databaseEnv, ownsDatabase, child);
		// never leave a server behind, even when the test run itself dies
		const kill = () => child.kill('SIGKILL');
		process.once('exit', kill);
		child.once('exit', () => process.removeListener('exit', kill));
		child.stdout?.on('data', (d: Buffer) => server.logs.push(d.toString()));
		child.stderr?.on('data', (d: Buffer) => server.logs.push(d.toString()));
		const deadline = Date.now() + 60_000;
		for (;;) {
			if (child.exitCode !== null || child.signalCode !== null) {
				throw new Error(`server exited (${child.exitCode}) before answering:\n${server.log()}`);
			}
			try {
				const response = await fetch(`${url}/api/public/info`);
				if (response.ok) break;
			} catch {
				// not listening yet
			}
			if (Date.now() > deadline) {
				await server.stop();
				throw new Error(`server did not answer /api/public/info within 60 s:\n${server.log()}`);
			}
			await sleep(100);
		}
		return server;
	}

	log(): string {
		return this.logs.join('').slice(-4000);
	}

	/** The server's process id. */
	get pid(): number {
		return this.child.pid!;
	}

	/** Whether the process is still running. */
	get alive(): boolean {
		return this.child.exitCode === null && this.child.signalCode === null;
	}

	async stop(): Promise<void> {
		if (this.alive) {
			const exited = new Promise<void>((r) => this.child.once('exit', () => r()));
			this.child.kill('SIGTERM');
			const timedOut = await Promise.race([exited.then(() => false), sleep(5000).then(() => true)]);
			if (timedOut) {
				this.child.kill('SIGKILL');
				await exited;
			}
		}
		rmSync(this.dataDir, { recursive: true, force: true });
		if (this.ownsDatabase) await dropDatabase(this.databaseEnv);
	}

	/** The server's database, opened beside it through the data layer (close it after). */
	openStore(): Promise<DataStore> {
		return DataStore.open({ dataDir: this.dataDir, url: this.databaseEnv.DATABASE_URL });
	}

	// ---- HTTP ----

	async request(method: string, path: string, options: RequestOptions = {}): Promise<ApiResponse> {
		const headers: Record<string, string> = { ...options.headers };
		if (options.token) headers.authorization = `Bearer ${options.token}`;
		let body: BodyInit | undefined;
		if (options.json !== undefined) {
			body = JSON.stringify(options.json);
			headers['content-type'] ??= 'application/json';
		} else if (options.body !== undefined) {
			body = options.body as BodyInit;
		}
		const init: RequestInit & { duplex?: 'half' } = { method, headers };
		if (body !== undefined) init.body = body;
		if (options.body instanceof ReadableStream) init.duplex = 'half';
		const response = await fetch(`${this.url}${path}`, init);
		const text = method === 'HEAD' ? '' : await response.text();
		return { status: response.status, headers: response.headers, text, json: parseJson(text) };
	}

	/**
	 * A request whose path is sent byte for byte (fetch and URL would normalize `..`, `%2e%2e`
	 * and the like before they reach the server).
	 */
	raw(
		method: string,
		rawPath: string,
		options: {
			token?: string | undefined;
			body?: Uint8Array | string | undefined;
			headers?: Record<string, string>;
			/** A keep-alive agent to send it on; by default a connection of its own. */
			agent?: Agent;
			/** Send the body in 64 KB chunks without a Content-Length (chunked encoding). */
			chunked?: boolean;
		} = {}
	): Promise<ApiResponse> {
		return new Promise((resolveResponse, reject) => {
			const headers: Record<string, string> = { ...options.headers };
			if (options.token) headers.authorization = `Bearer ${options.token}`;
			if (options.body !== undefined && !options.chunked)
				headers['content-length'] = String(Buffer.byteLength(options.body));
			const req = httpRequest(
				{
					host: '127.0.0.1',
					port: this.port,
					method,
					path: rawPath,
					headers,
					agent: options.agent ?? false
				},
				(res) => {
					const chunks: Buffer[] = [];
					res.on('data', (c: Buffer) => chunks.push(c));
					res.on('end', () => {
						const text = Buffer.concat(chunks).toString('utf8');
						const h = new Headers();
						for (const [k, v] of Object.entries(res.headers)) {
							if (typeof v === 'string') h.set(k, v);
							else if (Array.isArray(v)) for (const item of v) h.append(k, item);
						}
						resolveResponse({
							status: res.statusCode ?? 0,
							headers: h,
							text,
							json: parseJson(text)
						});
					});
					res.on('error', reject);
				}
			);
			req.on('error', reject);
			if (options.body !== undefined) {
				const bytes = Buffer.from(options.body);
				const step = options.chunked ? 64 * 1024 : bytes.length || 1;
				for (let i = 0; i < bytes.length; i += step) req.write(bytes.subarray(i, i + step));
			}
			req.end();
		});
	}

	get = (path: string, token?: string) => this.request('GET', path, { token });
	post = (path: string, json: unknown, token?: string) =>
		this.request('POST', path, { token, json });

	// ---- accounts ----

	async login(username: string, password = DEMO_PASSWORD, deviceId?: string): Promise<Session> {
		const response = await this.post(
			'/api/auth/login',
			deviceId ? { username, password, deviceId } : { username, password }
		);
		if (response.status !== 200) {
			throw new Error(`login ${username}: ${response.status} ${response.text}`);
		}
		const body = response.json as Session;
		if (deviceId) this.#deviceOf.set(body.token, deviceId);
		const cookie = response.headers
			.getSetCookie()
			.map((c) => c.split(';')[0])
			.find((c) => c?.startsWith('survey_session='));
		return { token: body.token, user: body.user, cookie };
	}

	/** A logged-in token for `username`, made once per server (logins cost a scrypt). */
	async as(username: string): Promise<string> {
		let session = this.#sessions.get(username);
		if (!session) {
			session = this.login(username, DEMO_PASSWORD, `device-${username}`);
			this.#sessions.set(username, session);
		}
		return (await session).token;
	}

	/**
	 * A logged-in token for a second surveyor of `county` (`surveyor-<county>-2`, made by the city
	 * reviewer once per server): another author in the same county.
	 */
	async secondSurveyor(county: string): Promise<string> {
		const username = `surveyor-${county}-2`;
		if (!this.#sessions.has(username)) {
			const created = await this.post(
				'/api/admin/users',
				{ username, role: 'surveyor', counties: [county], password: DEMO_PASSWORD },
				await this.as('city')
			);
			if (created.status !== 201) throw new Error(`add ${username}: ${created.text}`);
		}
		return this.as(username);
	}

	// ---- data ----

	/** Pushes as the token's device (or `deviceId`), and checks one result per record came back. */
	async push(token: string, records: unknown[], deviceId?: string): Promise<PushResult[]> {
		deviceId ??= this.#deviceOf.get(token) ?? `api-test-device-${sha256Hex(token).slice(0, 12)}`;
		const response = await this.post('/api/sync/push', pushBody(deviceId, records), token);
		if (response.status !== 200) throw new Error(`push: ${response.status} ${response.text}`);
		const results = (response.json as { results: PushResult[] }).results;
		if (results.length !== records.length) {
			throw new Error(`push: ${records.length} records but ${results.length} results`);
		}
		return results;
	}

	/**
	 * Pushes `records` as `surveyor-<county>`, then the county's reviewer approves and the city
	 * accepts each (revisions 1 and 2) with `message`: the records are `accepted`, ready to
	 * publish. Throws at the first step that is not taken.
	 */
	async acceptRecords(county: string, records: SurveyRecord[], message: string): Promise<void> {
		const results = await this.push(await this.as(`surveyor-${county}`), records);
		const refused = results.filter((r) => r.status !== 'accepted');
		if (refused.length > 0) throw new Error(`push: ${JSON.stringify(refused)}`);
		for (const [username, revision] of [
			[`reviewer-${county}`, 1],
			['city', 2]
		] as const) {
			const token = await this.as(username);
			for (const record of records) {
				const decision = await this.post(
					`/api/records/${record.id}/decision`,
					{ decision: 'approve', revision, comments: [{ message }] },
					token
				);
				if (decision.status !== 200)
					throw new Error(`decision by ${username}: ${decision.status} ${decision.text}`);
			}
		}
	}

	/** Pushes one record and returns its result. */
	async pushOne(token: string, record: unknown): Promise<PushResult> {
		return (await this.push(token, [record]))[0]!;
	}

	async uploadPhoto(
		token: string,
		bytes: Uint8Array,
		type = 'image/jpeg'
	): Promise<{ sha256: string; status: number }> {
		const sha256 = sha256Hex(bytes);
		const response = await this.request('PUT', `/api/photos/${sha256}`, {
			token,
			body: bytes,
			headers: { 'content-type': type }
		});
		if (response.status !== 201 && response.status !== 200) {
			throw new Error(`photo upload: ${response.status} ${response.text}`);
		}
		return { sha256, status: response.status };
	}

	/** Uploads `count` distinct real JPEGs and returns their hashes. */
	async uploadPhotos(token: string, count: number): Promise<string[]> {
		const hashes: string[] = [];
		for (let i = 0; i < count; i++)
			hashes.push((await this.uploadPhoto(token, uniqueJpeg())).sha256);
		return hashes;
	}

	/** The registered sites of a county, as a reviewer of it sees them. */
	async sites(county: County): Promise<RegisteredSite[]> {
		const response = await this.get(`/api/registry?county=${county}`, await this.as('city'));
		if (response.status !== 200) throw new Error(`registry: ${response.status} ${response.text}`);
		return (response.json as { sites: RegisteredSite[] }).sites;
	}

	async record(
		id: string,
		token: string
	): Promise<{
		status: number;
		body: {
			record: SurveyRecord;
			status: string;
			revision: number;
			findings: { rule: string; severity: string }[];
			history: { revision: number; at: string; by: string; action: string }[];
		};
	}> {
		const response = await this.get(`/api/records/${id}`, token);
		return { status: response.status, body: response.json as never };
	}

	/**
	 * A fingerprint of everything a request could write: a hash of every row of the data tables
	 * (read through a second connection: SQLite's WAL lets it read beside the server) and the
	 * stored photo files (temporary files left out).
	 */
	async snapshot(): Promise<Record<string, string | number | string[]>> {
		const store = await this.openStore();
		const out: Record<string, string | number | string[]> = {};
		try {
			for (const table of SNAPSHOT_TABLES) {
				const rows = await tableRows(store, table);
				out[`${table}.count`] = rows.length;
				out[`${table}.hash`] = sha256Hex(JSON.stringify(rows));
			}
		} finally {
			await store.close();
		}
		out['photos.files'] = listFiles(join(this.dataDir, 'photos'))
			.map((f) => relative(join(this.dataDir, 'photos'), f))
			.filter((f) => !f.startsWith('tmp'));
		// the kept downloads are made in the background after a publish, a batch print's PDF
		// lasts an hour: caches, not data
		out['dataDir.entries'] = readdirSync(this.dataDir)
			.filter((name) => name !== 'exports' && name !== 'tmp-exports' && name !== 'tmp-print')
			.sort();
		return out;
	}
}

function listFiles(dir: string): string[] {
	if (!existsSync(dir)) return [];
	const out: string[] = [];
	for (const entry of readdirSync(dir, { withFileTypes: true })) {
		const path = join(dir, entry.name);
		if (entry.isDirectory()) out.push(...listFiles(path));
		else out.push(path);
	}
	return out.sort();
}

// ---- records ----

/** Today in China Standard Time: a survey date QC accepts (not in the future, after 2023-11-01). */
export function today(): string {
	return chinaDate(new Date());
}

export function nowIso(): string {
	return new Date().toISOString();
}

/** A record started now on a device: a fresh id, this instant, surveyed today. */
function startedNow(): DraftMeta {
	return { id: randomUUID(), now: nowIso(), surveyors: ['接口测试'], surveyedOn: today() };
}

/** A photo entry of the API tests: shot today at `at` by the test surveyor. */
function photoEntry(
	sha256: string,
	kind: RecordPhoto['kind'],
	at: Point,
	overrides: Partial<RecordPhoto> = {}
): RecordPhoto {
	return makePhoto(sha256, kind, at, {
		photographer: '接口测试',
		takenAt: `${today()}T00:00:00+08:00`,
		...overrides
	});
}

/**
 * A 复查 of `site` that changes nothing, measured on site, with a 全景 and a 近景 photo (pass
 * their hashes; photos are left out when none are given).
 */
export function recheckOf(
	site: RegisteredSite,
	photos: string[] = [],
	overrides: Partial<SurveyRecord> = {}
): SurveyRecord {
	return recheckRecord(site, startedNow(), {
		photos: photos.map((sha, i) => photoEntry(sha, i === 0 ? '全景' : '近景', site.location)),
		...overrides
	});
}

/** A complete 新发现 in `county` at `at`, under a name of its own. */
export function newFind(
	county: County,
	at: Point,
	photos: string[] = [],
	overrides: Partial<SurveyRecord> = {}
): SurveyRecord {
	return newFindRecord(county, at, startedNow(), {
		name: `接口测试墓葬${randomUUID().slice(0, 8)}`,
		township: '测试镇',
		address: '测试镇测试村东约2公里',
		description:
			'墓葬位于测试镇测试村东约2公里的台地上，地表可见封土堆一座，直径约8米，残高约1.5米。封土南侧有盗洞一处，周围散布汉代灰陶片与绳纹瓦片，保存状况一般，受盗掘威胁。',
		photos: photos.map((sha, i) => photoEntry(sha, i === 0 ? '全景' : '细部', at)),
		...overrides
	});
}

export const rules = (result: { findings?: { rule: string }[] }): string[] =>
	(result.findings ?? []).map((f) => f.rule);
