/**
 * A fake of the review server's HTTP API (contract §3), as a `fetch`: the only place a fake
 * server is used. It keeps records, photos, a change feed and the registry in memory, checks
 * the bearer token, and logs every request so tests can assert the engine's order. Hooks let
 * a test fail a call (no network, 5xx, 401) at a chosen point.
 */
import type { RegisteredSite } from '$lib/domain/schemas/site.js';
import type { SurveyRecord } from '$lib/domain/schemas/survey-record.js';
import type { QcFinding } from '$lib/domain/qc/finding.js';
import type { RecordStatus } from '$lib/domain/codelists/index.js';
import type { PushResult } from '$lib/domain/sync/wire.js';
import { sha256Hex } from '../../fixtures/photos.js';

export type Logged = { method: string; path: string; query: string; body?: unknown };

type ServerRecord = {
	record: SurveyRecord;
	status: RecordStatus;
	revision: number;
	key: string;
	/** The comments of the decision that returned it. */
	comments?: object[];
};

/** What to do with a request instead of answering it: throw (no network) or a status. */
export type Interference = 'offline' | number | undefined;

function contentKey(record: SurveyRecord): string {
	// eslint-disable-next-line @typescript-eslint/no-unused-vars
	const { updatedAt, baseRevision, ...rest } = record;
	const sort = (v: unknown): unknown =>
		Array.isArray(v)
			? v.map(sort)
			: v && typeof v === 'object'
				? Object.fromEntries(
						Object.keys(v as object)
							.sort()
							.map((k) => [k, sort((v as Record<string, unknown>)[k])])
					)
				: v;
	return JSON.stringify(sort(rest));
}

const json = (status: number, body: unknown) =>
	new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });

export class FakeServer {
	readonly log: Logged[] = [];
	readonly photos = new Map<string, Uint8Array>();
	readonly records = new Map<string, ServerRecord>();
	/** `owner`: a teammate's username for a record another account wrote (issue 13). */
	readonly changes: { seq: number; change: object; owner?: string }[] = [];
	/** Who wrote each record another account wrote (absent: the device's account). */
	readonly owners = new Map<string, string>();
	/**
	 * The account's team for pull (issue 13): its other members. The token follows the roster,
	 * as the server's does.
	 */
	roster: {
		id: number;
		name: string;
		members: { username: string; displayName?: string }[];
	} | null = null;
	sites: { seq: number; site: RegisteredSite }[] = [];
	tokens = new Set(['token-1']);
	users: Record<string, { password: string; role: string; counties: string[] }> = {
		'surveyor-150627': { password: 'ordos-demo', role: 'surveyor', counties: ['150627'] }
	};
	/** The account's team and the codes assigned to it (issue 13), or none. */
	team: { id: number; name: string; codes: Set<string> } | null = null;
	failures = 0;
	pageSize = 500;
	readonly reports: object[] = [];
	#seq = 0;
	/** Called before each request is answered; its answer overrides the normal one. */
	interfere: (req: Logged, index: number) => Interference = () => undefined;
	/** Called while a request is being handled (after interference), e.g. to look at the device. */
	during: (req: Logged) => Promise<void> | void = () => undefined;
	/** The server's own QC findings of a stored record (none unless a test says). */
	findings: (record: SurveyRecord) => QcFinding[] = () => [];

	constructor(sites: RegisteredSite[] = []) {
		for (const site of sites) this.addSite(site);
	}

	addSite(site: RegisteredSite): void {
		const seq = ++this.#seq;
		this.sites = this.sites.filter((s) => s.site.code !== site.code);
		this.sites.push({ seq, site });
		this.changes.push({ seq, change: { type: 'site', site, at: new Date().toISOString() } });
	}

	/**
	 * A reviewer's decision on a stored record. Comments get their id (`<revision>.<n>`, contract
	 * issue 12) and keep the severity the test gives (absent: as a server before issue 12).
	 */
	decide(
		id: string,
		status: RecordStatus,
		comments: { path?: string; message: string; severity?: '必须修改' | '建议' }[] = [],
		by = 'reviewer-150627'
	): void {
		const stored = this.records.get(id);
		if (!stored) throw new Error(`no record ${id}`);
		stored.status = status;
		stored.revision++;
		const at = '2025-06-03T09:00:00.000Z';
		const made = comments.map((c, i) => ({ id: `${stored.revision}.${i + 1}`, ...c, by, at }));
		stored.comments = status === 'returned' ? made : [];
		this.changes.push({
			seq: ++this.#seq,
			...this.#ownerOf(id),
			change: { type: 'record', id, status, revision: stored.revision, comments: made, at }
		});
	}

	/**
	 * A teammate's push of the record (issue 13): a new revision with their content, fed to the
	 * author's device with the full record and who made it (no correction).
	 */
	reviseAsTeammate(id: string, changes: Partial<SurveyRecord>, by: string): void {
		const stored = this.records.get(id);
		if (!stored) throw new Error(`no record ${id}`);
		stored.revision++;
		stored.status = 'submitted';
		stored.record = { ...stored.record, ...changes, baseRevision: stored.revision };
		stored.key = contentKey(stored.record);
		this.changes.push({
			seq: ++this.#seq,
			change: {
				type: 'record',
				id,
				status: stored.status,
				revision: stored.revision,
				comments: [],
				at: '2025-06-03T11:00:00.000Z',
				record: stored.record,
				revisedBy: by
			}
		});
	}

	/**
	 * A reviewer's correction (issue 12): a new revision with the changed content, attributed to
	 * the reviewer, fed to the author's device with the full record and who corrected it why.
	 */
	correct(
		id: string,
		changes: Partial<SurveyRecord>,
		reason: string,
		by = 'reviewer-150627'
	): void {
		const stored = this.records.get(id);
		if (!stored) throw new Error(`no record ${id}`);
		stored.revision++;
		const at = '2025-06-03T10:00:00.000Z';
		stored.record = { ...stored.record, ...changes, baseRevision: stored.revision };
		stored.key = contentKey(stored.record);
		this.changes.push({
			seq: ++this.#seq,
			change: {
				type: 'record',
				id,
				status: stored.status,
				revision: stored.revision,
				comments: [],
				at,
				record: stored.record,
				correction: { by, reason }
			}
		});
	}

	/** The roster's token: changes whenever the team or its members change. */
	rosterToken(): string {
		const r = this.roster!;
		return `team-${r.id}:${r.members
			.map((m) => m.username)
			.sort()
			.join(',')}`;
	}

	/**
	 * A record another account of the team wrote (issue 13), stored as revision 1 and fed as a
	 * change of that author (pull brings it only to a teammate asking with `team`).
	 */
	addTeammateRecord(record: SurveyRecord, author: string): void {
		this.owners.set(record.id, author);
		this.records.set(record.id, {
			record: { ...record, baseRevision: 1 },
			status: 'submitted',
			revision: 1,
			key: contentKey(record)
		});
		this.changes.push({
			seq: ++this.#seq,
			owner: author,
			change: {
				type: 'record',
				id: record.id,
				status: 'submitted',
				revision: 1,
				comments: [],
				at: record.updatedAt
			}
		});
	}

	/** The author's own push of a new revision of a teammate's record (no content in the feed). */
	reviseAsAuthor(id: string, changes: Partial<SurveyRecord>): void {
		const stored = this.records.get(id);
		if (!stored) throw new Error(`no record ${id}`);
		stored.revision++;
		stored.status = 'submitted';
		stored.record = { ...stored.record, ...changes, baseRevision: stored.revision };
		stored.key = contentKey(stored.record);
		this.changes.push({
			seq: ++this.#seq,
			...this.#ownerOf(id),
			change: {
				type: 'record',
				id,
				status: 'submitted',
				revision: stored.revision,
				comments: [],
				at: '2025-06-03T08:00:00.000Z'
			}
		});
	}

	requests(method?: string): Logged[] {
		return method ? this.log.filter((r) => r.method === method) : this.log;
	}

	/** The pushes (`POST /api/sync/push`) received. */
	pushes(): Logged[] {
		return this.log.filter((r) => r.method === 'POST' && r.path === '/api/sync/push');
	}

	/** `method path` of every request, e.g. `PUT /api/photos/ab…`. */
	trace(): string[] {
		return this.log.map((r) => `${r.method} ${r.path}`);
	}

	readonly fetch = async (input: RequestInfo | URL, init: RequestInit = {}): Promise<Response> => {
		const url = new URL(String(input), 'http://server.test');
		const method = (init.method ?? 'GET').toUpperCase();
		let body: unknown;
		if (typeof init.body === 'string') body = JSON.parse(init.body);
		else if (init.body instanceof Blob) body = new Uint8Array(await init.body.arrayBuffer());
		const req: Logged = { method, path: url.pathname, query: url.search, body };
		const index = this.log.push(req) - 1;
		const interference = this.interfere(req, index);
		if (interference === 'offline') throw new TypeError('Failed to fetch');
		if (typeof interference === 'number')
			return json(interference, { error: `模拟 ${interference}` });
		await this.during(req);
		return this.#answer(req, new Headers(init.headers));
	};

	#answer(req: Logged, headers: Headers): Response {
		if (req.path === '/api/auth/login') {
			const { username, password, deviceId } = req.body as Record<string, string | undefined>;
			const user = this.users[username ?? ''];
			if (this.failures >= 10) return json(429, { error: '尝试过多' });
			if (!user || user.password !== password || !deviceId) {
				this.failures++;
				return json(401, { error: '用户名或密码不正确' });
			}
			const token = `token-${this.tokens.size + 1}`;
			this.tokens.add(token);
			return json(200, {
				token,
				user: { username, role: user.role, counties: user.counties, demo: true }
			});
		}
		const auth = headers.get('authorization') ?? '';
		if (!this.tokens.has(auth.replace(/^Bearer /, ''))) return json(401, { error: '请先登录' });
		if (req.path === '/api/auth/logout') return new Response(null, { status: 204 });
		if (req.path === '/api/devices/report') {
			this.reports.push(req.body as object);
			return new Response(null, { status: 204 });
		}

		const photo = /^\/api\/photos\/([0-9a-f]{64})$/.exec(req.path);
		if (photo) {
			const sha = photo[1]!;
			if (req.method === 'HEAD')
				return new Response(null, { status: this.photos.has(sha) ? 200 : 404 });
			if (req.method === 'GET') {
				const bytes = this.photos.get(sha);
				return bytes
					? new Response(new Blob([bytes as Uint8Array<ArrayBuffer>]), {
							status: 200,
							headers: { 'content-type': 'image/jpeg' }
						})
					: json(404, { error: '没有这张照片' });
			}
			if (req.method === 'PUT') {
				const bytes = req.body as Uint8Array;
				if (sha256Hex(bytes) !== sha) {
					return json(400, { error: 'SHA-256 不符' });
				}
				if (this.photos.has(sha)) return new Response(null, { status: 200 });
				this.photos.set(sha, bytes);
				return new Response(null, { status: 201 });
			}
		}
		const one = /^\/api\/records\/([^/]+)$/.exec(req.path);
		if (one && req.method === 'GET') {
			const stored = this.records.get(decodeURIComponent(one[1]!));
			if (!stored) return json(404, { error: '没有这条记录' });
			return json(200, {
				record: stored.record,
				status: stored.status,
				revision: stored.revision,
				findings: [],
				history: [],
				comments: stored.status === 'returned' ? (stored.comments ?? []) : []
			});
		}
		if (req.path === '/api/sync/push' && req.method === 'POST') {
			const { records } = req.body as { deviceId: string; records: SurveyRecord[] };
			if (records.length > 50 || JSON.stringify(req.body).length > 2 * 1024 * 1024) {
				return json(413, { error: '超过上限' });
			}
			return json(200, { results: records.map((r) => this.#push(r)) });
		}
		if (req.path === '/api/sync/pull') {
			const params = new URLSearchParams(req.query);
			const since = Number(params.get('since') ?? 0);
			const held = params.get('team');
			const roster = held === null ? null : this.roster;
			const mates = new Set(roster?.members.map((m) => m.username));
			const after = this.changes.filter(
				(c) => c.seq > since && (c.owner === undefined || mates.has(c.owner))
			);
			const page = after.slice(0, this.pageSize);
			const more = after.length > page.length;
			const cursor = page.length ? page.at(-1)!.seq : Math.max(since, this.#seq);
			const token = roster ? this.rosterToken() : '';
			const team = roster
				? {
						...roster,
						countyCode: '150627',
						token,
						...(held !== token
							? {
									records: [...this.owners]
										.filter(([, owner]) => mates.has(owner))
										.map(([id, author]) => ({
											id,
											revision: this.records.get(id)!.revision,
											status: this.records.get(id)!.status,
											author
										}))
								}
							: {})
					}
				: null;
			return json(200, {
				changes: page.map((c) => (c.owner ? { ...c.change, author: c.owner } : c.change)),
				cursor: String(cursor),
				more,
				...(held === null ? {} : { team })
			});
		}
		if (req.path === '/api/registry/summary') {
			const size = (sites: RegisteredSite[]) => JSON.stringify(sites).length;
			const all = this.sites.map((s) => s.site);
			const assigned = all.filter((s) => this.team?.codes.has(s.code));
			return json(200, {
				county: { sites: all.length, bytes: size(all) },
				team:
					this.team && assigned.length
						? {
								id: this.team.id,
								name: this.team.name,
								sites: assigned.length,
								bytes: size(assigned)
							}
						: null
			});
		}
		if (req.path === '/api/registry' && new URLSearchParams(req.query).get('scope') === 'team') {
			const since = Number(new URLSearchParams(req.query).get('since') ?? 0);
			const team = this.team;
			if (!team || team.codes.size === 0) return json(409, { error: '不在普查队中' });
			return json(200, {
				sites: this.sites
					.filter((s) => s.seq > since && team.codes.has(s.site.code))
					.map((s) => s.site),
				cursor: String(this.#seq),
				assignment: {
					teamId: team.id,
					teamName: team.name,
					sites: team.codes.size,
					token: [...team.codes].sort().join(',')
				}
			});
		}
		if (req.path === '/api/registry') {
			const since = Number(new URLSearchParams(req.query).get('since') ?? 0);
			return json(200, {
				sites: this.sites.filter((s) => s.seq > since).map((s) => s.site),
				cursor: String(this.#seq)
			});
		}
		return json(404, { error: 'not found' });
	}

	#ownerOf(id: string): { owner?: string } {
		const owner = this.owners.get(id);
		return owner ? { owner } : {};
	}

	#push(record: SurveyRecord): PushResult {
		const missing = record.photos.filter((p) => !this.photos.has(p.sha256));
		if (missing.length) {
			return {
				id: record.id,
				status: 'rejected',
				code: 'photo_missing',
				issues: missing.map((p) => ({
					path: `photos.${record.photos.indexOf(p)}`,
					message: '服务器还没有这张照片'
				}))
			};
		}
		const key = contentKey(record);
		const previous = this.records.get(record.id);
		if (previous && previous.key === key) {
			return {
				id: record.id,
				status: 'unchanged',
				revision: previous.revision,
				findings: this.findings(record)
			};
		}
		if (previous && ['county_approved', 'accepted', 'published'].includes(previous.status)) {
			return {
				id: record.id,
				status: 'rejected',
				code: 'locked',
				issues: [{ path: '', message: '已锁定' }]
			};
		}
		if (previous && record.baseRevision !== previous.revision) {
			return {
				id: record.id,
				status: 'conflict',
				revision: previous.revision,
				current: { ...previous.record, status: previous.status, revision: previous.revision }
			};
		}
		const revision = (previous?.revision ?? 0) + 1;
		this.records.set(record.id, { record, status: 'submitted', revision, key });
		this.changes.push({
			seq: ++this.#seq,
			...this.#ownerOf(record.id),
			change: {
				type: 'record',
				id: record.id,
				status: 'submitted',
				revision,
				comments: [],
				at: record.updatedAt
			}
		});
		return { id: record.id, status: 'accepted', revision, findings: this.findings(record) };
	}
}
