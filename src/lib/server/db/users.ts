import { createHash, randomBytes } from 'node:crypto';
import type { Db } from './connection.js';
import { countiesFor, type Principal, type Role } from '../auth/roles.js';

export type UserRow = {
	id: number;
	username: string;
	role: Role;
	counties: string[];
	displayName: string | null;
	disabled: boolean;
	demo: boolean;
	createdAt: string;
	updatedAt: string;
};

type RawUser = {
	id: number;
	username: string;
	role: Role;
	counties: string;
	password_hash: string;
	display_name: string | null;
	disabled: number;
	demo: number;
	created_at: string;
	updated_at: string;
};

const DAY_MS = 24 * 3600 * 1000;
/** A device token lives 90 days and every use extends it (contract §4). */
export const DEVICE_TOKEN_DAYS = 90;
/** A browser session (review pages) lives 7 days, extended by use. */
export const SESSION_TOKEN_DAYS = 7;
/** Failed logins per username that trigger the limit, and the window (contract §3). */
export const LOGIN_FAILURE_LIMIT = 10;
export const LOGIN_FAILURE_WINDOW_MS = 10 * 60 * 1000;
/** `last_used_at`/expiry are written at most this often per token. */
const TOUCH_INTERVAL_MS = 60 * 1000;

function toUser(raw: RawUser): UserRow {
	return {
		id: raw.id,
		username: raw.username,
		role: raw.role,
		counties: countiesFor(raw.role, JSON.parse(raw.counties) as string[]),
		displayName: raw.display_name,
		disabled: raw.disabled === 1,
		demo: raw.demo === 1,
		createdAt: raw.created_at,
		updatedAt: raw.updated_at
	};
}

/** The user as a request's Principal; `tokenId` 0 when no token is involved (CLI, import). */
export function principalOf(user: UserRow, tokenId = 0): Principal {
	return {
		id: user.id,
		username: user.username,
		role: user.role,
		counties: user.counties as Principal['counties'],
		demo: user.demo,
		tokenId
	};
}

export const hashToken = (token: string): string =>
	createHash('sha256').update(token).digest('hex');

/** Users, their tokens and failed logins. */
export class UserRepository {
	constructor(private readonly db: Db) {}

	create(input: {
		username: string;
		role: Role;
		counties: readonly string[];
		passwordHash: string;
		displayName?: string;
		demo?: boolean;
	}): UserRow {
		const now = new Date().toISOString();
		const info = this.db
			.prepare(
				`INSERT INTO users (username, role, counties, password_hash, display_name, demo, created_at, updated_at)
				 VALUES (?, ?, ?, ?, ?, ?, ?, ?)`
			)
			.run(
				input.username,
				input.role,
				JSON.stringify(countiesFor(input.role, input.counties)),
				input.passwordHash,
				input.displayName ?? null,
				input.demo ? 1 : 0,
				now,
				now
			);
		return this.byId(Number(info.lastInsertRowid))!;
	}

	byId(id: number): UserRow | undefined {
		const raw = this.db.prepare('SELECT * FROM users WHERE id = ?').get(id) as RawUser | undefined;
		return raw && toUser(raw);
	}

	byUsername(username: string): (UserRow & { passwordHash: string }) | undefined {
		const raw = this.db.prepare('SELECT * FROM users WHERE username = ?').get(username) as
			RawUser | undefined;
		return raw && { ...toUser(raw), passwordHash: raw.password_hash };
	}

	list(): UserRow[] {
		return (this.db.prepare('SELECT * FROM users ORDER BY username').all() as RawUser[]).map(
			toUser
		);
	}

	count(): number {
		return (this.db.prepare('SELECT count(*) AS n FROM users').get() as { n: number }).n;
	}

	hasDemoUsers(): boolean {
		return (
			this.db.prepare('SELECT 1 FROM users WHERE demo = 1 AND disabled = 0 LIMIT 1').get() !==
			undefined
		);
	}

	update(
		id: number,
		changes: {
			role?: Role;
			counties?: readonly string[];
			passwordHash?: string;
			disabled?: boolean;
			displayName?: string | null;
		}
	): UserRow | undefined {
		const user = this.byId(id);
		if (!user) return undefined;
		const role = changes.role ?? user.role;
		const counties = countiesFor(role, changes.counties ?? user.counties);
		this.db
			.prepare(
				`UPDATE users SET role = ?, counties = ?, disabled = ?, display_name = ?,
				 password_hash = coalesce(?, password_hash), updated_at = ? WHERE id = ?`
			)
			.run(
				role,
				JSON.stringify(counties),
				(changes.disabled ?? user.disabled) ? 1 : 0,
				changes.displayName === undefined ? user.displayName : changes.displayName,
				changes.passwordHash ?? null,
				new Date().toISOString(),
				id
			);
		return this.byId(id);
	}

	// ---- tokens ----

	/** Makes a token; only its SHA-256 is stored, so a copy of the database logs nobody in. */
	issueToken(userId: number, kind: 'device' | 'session', deviceId?: string): string {
		const token = randomBytes(32).toString('base64url');
		const now = Date.now();
		const days = kind === 'device' ? DEVICE_TOKEN_DAYS : SESSION_TOKEN_DAYS;
		this.db
			.prepare(
				`INSERT INTO tokens (token_hash, user_id, kind, device_id, created_at, last_used_at, expires_at)
				 VALUES (?, ?, ?, ?, ?, ?, ?)`
			)
			.run(
				hashToken(token),
				userId,
				kind,
				deviceId ?? null,
				new Date(now).toISOString(),
				new Date(now).toISOString(),
				now + days * DAY_MS
			);
		if (kind === 'device' && deviceId) this.touchDevice(deviceId, userId, 0, false);
		return token;
	}

	/** The user a live token belongs to, extending the token's life; undefined when not valid. */
	authenticate(token: string, now = Date.now()): Principal | undefined {
		const row = this.db
			.prepare(
				`SELECT t.id AS token_id, t.kind, t.expires_at, t.last_used_at, t.revoked_at, u.*
				 FROM tokens t JOIN users u ON u.id = t.user_id WHERE t.token_hash = ?`
			)
			.get(hashToken(token)) as
			| (RawUser & {
					token_id: number;
					kind: 'device' | 'session';
					expires_at: number;
					last_used_at: string;
					revoked_at: string | null;
			  })
			| undefined;
		if (!row || row.revoked_at || row.expires_at <= now || row.disabled === 1) return undefined;
		if (now - Date.parse(row.last_used_at) > TOUCH_INTERVAL_MS) {
			const days = row.kind === 'device' ? DEVICE_TOKEN_DAYS : SESSION_TOKEN_DAYS;
			this.db
				.prepare('UPDATE tokens SET last_used_at = ?, expires_at = ? WHERE id = ?')
				.run(new Date(now).toISOString(), now + days * DAY_MS, row.token_id);
		}
		return principalOf(toUser(row), row.token_id);
	}

	revokeToken(tokenId: number): void {
		this.db
			.prepare('UPDATE tokens SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL')
			.run(new Date().toISOString(), tokenId);
	}

	/** Revokes every live token of a user; returns how many. */
	revokeUserTokens(userId: number): number {
		return this.db
			.prepare('UPDATE tokens SET revoked_at = ? WHERE user_id = ? AND revoked_at IS NULL')
			.run(new Date().toISOString(), userId).changes;
	}

	// ---- failed logins ----

	recentFailures(username: string, now = Date.now()): { count: number; oldest?: number } {
		const row = this.db
			.prepare(
				'SELECT count(*) AS n, min(at) AS oldest FROM login_failures WHERE username = ? AND at > ?'
			)
			.get(username, now - LOGIN_FAILURE_WINDOW_MS) as { n: number; oldest: number | null };
		return row.oldest === null ? { count: row.n } : { count: row.n, oldest: row.oldest };
	}

	recordFailure(username: string, now = Date.now()): void {
		this.db.transaction(() => {
			this.db.prepare('INSERT INTO login_failures (username, at) VALUES (?, ?)').run(username, now);
			this.db
				.prepare('DELETE FROM login_failures WHERE at <= ?')
				.run(now - LOGIN_FAILURE_WINDOW_MS);
		})();
	}

	clearFailures(username: string): void {
		this.db.prepare('DELETE FROM login_failures WHERE username = ?').run(username);
	}

	// ---- devices ----

	/**
	 * Whom a device id belongs to, and whether a city reviewer revoked it (issue 10 point 7: a
	 * device id belongs to one account, and a revoked device stays revoked).
	 */
	deviceBinding(deviceId: string): { userId: number; revokedAt: string | null } | undefined {
		const row = this.db
			.prepare('SELECT user_id, revoked_at FROM devices WHERE device_id = ?')
			.get(deviceId) as { user_id: number; revoked_at: string | null } | undefined;
		return row && { userId: row.user_id, revokedAt: row.revoked_at };
	}

	/**
	 * Notes a device's sync (a push), or its sign-in (`synced` false: only registers it). A device
	 * of another account is left as it is: callers check `deviceBinding` first.
	 */
	touchDevice(deviceId: string, userId: number, pushed: number, synced = true): void {
		const now = new Date().toISOString();
		this.db
			.prepare(
				synced
					? `INSERT INTO devices (device_id, user_id, first_seen_at, last_sync_at, last_pushed) VALUES (?, ?, ?, ?, ?)
					   ON CONFLICT(device_id) DO UPDATE SET last_sync_at = excluded.last_sync_at,
					   last_pushed = excluded.last_pushed WHERE devices.user_id = excluded.user_id`
					: `INSERT INTO devices (device_id, user_id, first_seen_at, last_sync_at, last_pushed) VALUES (?, ?, ?, ?, ?)
					   ON CONFLICT(device_id) DO NOTHING`
			)
			.run(deviceId, userId, now, now, pushed);
	}

	/** What a device says about itself (unsent work), kept for the city reviewer's device list. */
	reportDevice(
		deviceId: string,
		userId: number,
		report: { unsent: number; oldestUnsentAt?: string; appVersion?: string; userAgent?: string }
	): void {
		const now = new Date().toISOString();
		this.db
			.prepare(
				`INSERT INTO devices (device_id, user_id, first_seen_at, last_sync_at, last_report_at, unsent, oldest_unsent_at, app_version, user_agent)
				 VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
				 ON CONFLICT(device_id) DO UPDATE SET last_report_at = excluded.last_report_at,
				 last_sync_at = excluded.last_sync_at,
				 unsent = excluded.unsent, oldest_unsent_at = excluded.oldest_unsent_at,
				 app_version = coalesce(excluded.app_version, app_version), user_agent = coalesce(excluded.user_agent, user_agent)
				 WHERE devices.user_id = excluded.user_id`
			)
			.run(
				deviceId,
				userId,
				now,
				now,
				now,
				report.unsent,
				report.oldestUnsentAt ?? null,
				report.appVersion ?? null,
				report.userAgent ?? null
			);
	}

	/**
	 * The devices each user has signed in on or synced from, by user id, in one query: last sync, last report, unsent count as last reported, and whether a
	 * live token remains.
	 */
	devicesByUser(now = Date.now()): Map<number, DeviceRow[]> {
		const rows = this.db
			.prepare(
				`SELECT d.user_id, d.device_id, d.first_seen_at, d.last_sync_at, d.last_pushed, d.last_report_at,
				        d.unsent, d.oldest_unsent_at, d.app_version, d.user_agent,
				        (SELECT count(*) FROM tokens t WHERE t.device_id = d.device_id AND t.user_id = d.user_id
				           AND t.revoked_at IS NULL AND t.expires_at > ?) AS live_tokens,
				        (SELECT max(revoked_at) FROM tokens t WHERE t.device_id = d.device_id AND t.user_id = d.user_id) AS revoked_at,
				        d.revoked_at AS blocked_at
				 FROM devices d ORDER BY d.last_sync_at DESC`
			)
			.all(now) as {
			user_id: number;
			device_id: string;
			first_seen_at: string;
			last_sync_at: string;
			last_pushed: number;
			last_report_at: string | null;
			unsent: number | null;
			oldest_unsent_at: string | null;
			app_version: string | null;
			user_agent: string | null;
			live_tokens: number;
			revoked_at: string | null;
			blocked_at: string | null;
		}[];
		const byUser = new Map<number, DeviceRow[]>();
		for (const r of rows) {
			const list = byUser.get(r.user_id) ?? [];
			list.push({
				deviceId: r.device_id,
				firstSeenAt: r.first_seen_at,
				lastSyncAt: r.last_sync_at,
				lastPushed: r.last_pushed,
				lastReportAt: r.last_report_at,
				unsent: r.unsent,
				oldestUnsentAt: r.oldest_unsent_at,
				appVersion: r.app_version,
				userAgent: r.user_agent,
				signedIn: r.live_tokens > 0,
				revokedAt: r.live_tokens > 0 ? null : r.revoked_at,
				blockedAt: r.blocked_at
			});
			byUser.set(r.user_id, list);
		}
		return byUser;
	}

	/**
	 * Ends every token of one device (a lost or stolen tablet) and marks it revoked, so no login
	 * can bring it back until a city reviewer reinstates it. Returns how many tokens ended.
	 */
	revokeDevice(deviceId: string): number {
		const now = new Date().toISOString();
		return this.db.transaction(() => {
			this.db
				.prepare('UPDATE devices SET revoked_at = ? WHERE device_id = ? AND revoked_at IS NULL')
				.run(now, deviceId);
			return this.db
				.prepare('UPDATE tokens SET revoked_at = ? WHERE device_id = ? AND revoked_at IS NULL')
				.run(now, deviceId).changes;
		})();
	}

	/** A revoked device found again: its account may log in on it once more. */
	reinstateDevice(deviceId: string): boolean {
		return (
			this.db.prepare('UPDATE devices SET revoked_at = NULL WHERE device_id = ?').run(deviceId)
				.changes > 0
		);
	}
}

export type DeviceRow = {
	deviceId: string;
	firstSeenAt: string;
	lastSyncAt: string;
	lastPushed: number;
	lastReportAt: string | null;
	unsent: number | null;
	oldestUnsentAt: string | null;
	appVersion: string | null;
	userAgent: string | null;
	/** A live token remains: the device can sync. */
	signedIn: boolean;
	/** When its last token was revoked, if none is live. */
	revokedAt: string | null;
	/** When a city reviewer revoked the device itself: no login on it until reinstated. */
	blockedAt: string | null;
};
