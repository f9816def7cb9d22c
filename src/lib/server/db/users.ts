import { createHash, randomBytes } from 'node:crypto';
import type { Selectable } from 'kysely';
import type { Db } from './connection.js';
import type { UsersTable } from './schema.js';
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

type RawUser = Selectable<UsersTable>;

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

	async create(input: {
		username: string;
		role: Role;
		counties: readonly string[];
		passwordHash: string;
		displayName?: string;
		demo?: boolean;
	}): Promise<UserRow> {
		const now = new Date().toISOString();
		const raw = await this.db
			.insertInto('users')
			.values({
				username: input.username,
				role: input.role,
				counties: JSON.stringify(countiesFor(input.role, input.counties)),
				password_hash: input.passwordHash,
				display_name: input.displayName ?? null,
				demo: input.demo ? 1 : 0,
				created_at: now,
				updated_at: now
			})
			.returningAll()
			.executeTakeFirstOrThrow();
		return toUser(raw);
	}

	async byId(id: number): Promise<UserRow | undefined> {
		const raw = await this.db
			.selectFrom('users')
			.selectAll()
			.where('id', '=', id)
			.executeTakeFirst();
		return raw && toUser(raw);
	}

	async byUsername(username: string): Promise<(UserRow & { passwordHash: string }) | undefined> {
		const raw = await this.db
			.selectFrom('users')
			.selectAll()
			.where('username', '=', username)
			.executeTakeFirst();
		return raw && { ...toUser(raw), passwordHash: raw.password_hash };
	}

	async list(): Promise<UserRow[]> {
		const rows = await this.db.selectFrom('users').selectAll().orderBy('username').execute();
		return rows.map(toUser);
	}

	async count(): Promise<number> {
		const row = await this.db
			.selectFrom('users')
			.select((eb) => eb.fn.countAll<number>().as('n'))
			.executeTakeFirstOrThrow();
		return row.n;
	}

	async hasDemoUsers(): Promise<boolean> {
		const row = await this.db
			.selectFrom('users')
			.select('id')
			.where('demo', '=', 1)
			.where('disabled', '=', 0)
			.limit(1)
			.executeTakeFirst();
		return row !== undefined;
	}

	async update(
		id: number,
		changes: {
			role?: Role;
			counties?: readonly string[];
			passwordHash?: string;
			disabled?: boolean;
			displayName?: string | null;
		}
	): Promise<UserRow | undefined> {
		const user = await this.byId(id);
		if (!user) return undefined;
		const role = changes.role ?? user.role;
		const counties = countiesFor(role, changes.counties ?? user.counties);
		await this.db
			.updateTable('users')
			.set({
				role,
				counties: JSON.stringify(counties),
				disabled: (changes.disabled ?? user.disabled) ? 1 : 0,
				display_name: changes.displayName === undefined ? user.displayName : changes.displayName,
				...(changes.passwordHash !== undefined ? { password_hash: changes.passwordHash } : {}),
				updated_at: new Date().toISOString()
			})
			.where('id', '=', id)
			.execute();
		return this.byId(id);
	}

	// ---- tokens ----

	/** Makes a token; only its SHA-256 is stored, so a copy of the database logs nobody in. */
	async issueToken(userId: number, kind: 'device' | 'session', deviceId?: string): Promise<string> {
		const token = randomBytes(32).toString('base64url');
		const now = Date.now();
		const days = kind === 'device' ? DEVICE_TOKEN_DAYS : SESSION_TOKEN_DAYS;
		await this.db
			.insertInto('tokens')
			.values({
				token_hash: hashToken(token),
				user_id: userId,
				kind,
				device_id: deviceId ?? null,
				created_at: new Date(now).toISOString(),
				last_used_at: new Date(now).toISOString(),
				expires_at: now + days * DAY_MS
			})
			.execute();
		if (kind === 'device' && deviceId) await this.touchDevice(deviceId, userId, 0, false);
		return token;
	}

	/** The user a live token belongs to, extending the token's life; undefined when not valid. */
	async authenticate(token: string, now = Date.now()): Promise<Principal | undefined> {
		const row = await this.db
			.selectFrom('tokens as t')
			.innerJoin('users as u', 'u.id', 't.user_id')
			.selectAll('u')
			.select(['t.id as token_id', 't.kind', 't.expires_at', 't.last_used_at', 't.revoked_at'])
			.where('t.token_hash', '=', hashToken(token))
			.executeTakeFirst();
		if (!row || row.revoked_at || row.expires_at <= now || row.disabled === 1) return undefined;
		if (now - Date.parse(row.last_used_at) > TOUCH_INTERVAL_MS) {
			const days = row.kind === 'device' ? DEVICE_TOKEN_DAYS : SESSION_TOKEN_DAYS;
			await this.db
				.updateTable('tokens')
				.set({ last_used_at: new Date(now).toISOString(), expires_at: now + days * DAY_MS })
				.where('id', '=', row.token_id)
				.execute();
		}
		return principalOf(toUser(row), row.token_id);
	}

	async revokeToken(tokenId: number): Promise<void> {
		await this.db
			.updateTable('tokens')
			.set({ revoked_at: new Date().toISOString() })
			.where('id', '=', tokenId)
			.where('revoked_at', 'is', null)
			.execute();
	}

	/** Revokes every live token of a user; returns how many. */
	async revokeUserTokens(userId: number): Promise<number> {
		const result = await this.db
			.updateTable('tokens')
			.set({ revoked_at: new Date().toISOString() })
			.where('user_id', '=', userId)
			.where('revoked_at', 'is', null)
			.executeTakeFirst();
		return Number(result.numUpdatedRows);
	}

	// ---- failed logins ----

	async recentFailures(
		username: string,
		now = Date.now()
	): Promise<{ count: number; oldest?: number }> {
		const row = await this.db
			.selectFrom('login_failures')
			.select((eb) => [eb.fn.countAll<number>().as('n'), eb.fn.min('at').as('oldest')])
			.where('username', '=', username)
			.where('at', '>', now - LOGIN_FAILURE_WINDOW_MS)
			.executeTakeFirstOrThrow();
		return row.oldest === null ? { count: row.n } : { count: row.n, oldest: row.oldest };
	}

	/** Counts a failure, and forgets those out of the window (a sweep: it may run on its own). */
	async recordFailure(username: string, now = Date.now()): Promise<void> {
		await this.db.insertInto('login_failures').values({ username, at: now }).execute();
		await this.db
			.deleteFrom('login_failures')
			.where('at', '<=', now - LOGIN_FAILURE_WINDOW_MS)
			.execute();
	}

	async clearFailures(username: string): Promise<void> {
		await this.db.deleteFrom('login_failures').where('username', '=', username).execute();
	}

	// ---- devices ----

	/**
	 * Whom a device id belongs to, and whether a city reviewer revoked it (issue 10 point 7: a
	 * device id belongs to one account, and a revoked device stays revoked).
	 */
	async deviceBinding(
		deviceId: string
	): Promise<{ userId: number; revokedAt: string | null } | undefined> {
		const row = await this.db
			.selectFrom('devices')
			.select(['user_id', 'revoked_at'])
			.where('device_id', '=', deviceId)
			.executeTakeFirst();
		return row && { userId: row.user_id, revokedAt: row.revoked_at };
	}

	/**
	 * Notes a device's sync (a push), or its sign-in (`synced` false: only registers it). A device
	 * of another account is left as it is: callers check `deviceBinding` first.
	 */
	async touchDevice(
		deviceId: string,
		userId: number,
		pushed: number,
		synced = true
	): Promise<void> {
		const now = new Date().toISOString();
		await this.db
			.insertInto('devices')
			.values({
				device_id: deviceId,
				user_id: userId,
				first_seen_at: now,
				last_sync_at: now,
				last_pushed: pushed
			})
			.onConflict((oc) =>
				synced
					? oc
							.column('device_id')
							.doUpdateSet((eb) => ({
								last_sync_at: eb.ref('excluded.last_sync_at'),
								last_pushed: eb.ref('excluded.last_pushed')
							}))
							.whereRef('devices.user_id', '=', 'excluded.user_id')
					: oc.column('device_id').doNothing()
			)
			.execute();
	}

	/** What a device says about itself (unsent work), kept for the city reviewer's device list. */
	async reportDevice(
		deviceId: string,
		userId: number,
		report: {
			unsent: number;
			oldestUnsentAt?: string | undefined;
			appVersion?: string | undefined;
			userAgent?: string;
		}
	): Promise<void> {
		const now = new Date().toISOString();
		await this.db
			.insertInto('devices')
			.values({
				device_id: deviceId,
				user_id: userId,
				first_seen_at: now,
				last_sync_at: now,
				last_report_at: now,
				unsent: report.unsent,
				oldest_unsent_at: report.oldestUnsentAt ?? null,
				app_version: report.appVersion ?? null,
				user_agent: report.userAgent ?? null
			})
			.onConflict((oc) =>
				oc
					.column('device_id')
					.doUpdateSet((eb) => ({
						last_report_at: eb.ref('excluded.last_report_at'),
						last_sync_at: eb.ref('excluded.last_sync_at'),
						unsent: eb.ref('excluded.unsent'),
						oldest_unsent_at: eb.ref('excluded.oldest_unsent_at'),
						app_version: eb.fn.coalesce('excluded.app_version', 'devices.app_version'),
						user_agent: eb.fn.coalesce('excluded.user_agent', 'devices.user_agent')
					}))
					.whereRef('devices.user_id', '=', 'excluded.user_id')
			)
			.execute();
	}

	/**
	 * The devices each user has signed in on or synced from, by user id, in one query: last sync,
	 * last report, unsent count as last reported, and whether a live token remains.
	 */
	async devicesByUser(now = Date.now()): Promise<Map<number, DeviceRow[]>> {
		const rows = await this.db
			.selectFrom('devices as d')
			.select((eb) => [
				'd.user_id',
				'd.device_id',
				'd.first_seen_at',
				'd.last_sync_at',
				'd.last_pushed',
				'd.last_report_at',
				'd.unsent',
				'd.oldest_unsent_at',
				'd.app_version',
				'd.user_agent',
				'd.revoked_at as blocked_at',
				eb
					.selectFrom('tokens as t')
					.select((e) => e.fn.countAll<number>().as('n'))
					.whereRef('t.device_id', '=', 'd.device_id')
					.whereRef('t.user_id', '=', 'd.user_id')
					.where('t.revoked_at', 'is', null)
					.where('t.expires_at', '>', now)
					.as('live_tokens'),
				eb
					.selectFrom('tokens as t')
					.select((e) => e.fn.max('t.revoked_at').as('r'))
					.whereRef('t.device_id', '=', 'd.device_id')
					.whereRef('t.user_id', '=', 'd.user_id')
					.as('revoked_at')
			])
			.orderBy('d.last_sync_at', 'desc')
			.execute();
		const byUser = new Map<number, DeviceRow[]>();
		for (const r of rows) {
			const live = Number(r.live_tokens ?? 0);
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
				signedIn: live > 0,
				revokedAt: live > 0 ? null : (r.revoked_at ?? null),
				blockedAt: r.blocked_at
			});
			byUser.set(r.user_id, list);
		}
		return byUser;
	}

	/**
	 * Ends every token of one device (a lost or stolen tablet) and marks it revoked, so no login
	 * can bring it back until a city reviewer reinstates it. Returns how many tokens ended. Call
	 * inside DataStore.write: both happen or neither.
	 */
	async revokeDevice(deviceId: string): Promise<number> {
		const now = new Date().toISOString();
		await this.db
			.updateTable('devices')
			.set({ revoked_at: now })
			.where('device_id', '=', deviceId)
			.where('revoked_at', 'is', null)
			.execute();
		const result = await this.db
			.updateTable('tokens')
			.set({ revoked_at: now })
			.where('device_id', '=', deviceId)
			.where('revoked_at', 'is', null)
			.executeTakeFirst();
		return Number(result.numUpdatedRows);
	}

	/** A revoked device found again: its account may log in on it once more. */
	async reinstateDevice(deviceId: string): Promise<boolean> {
		const result = await this.db
			.updateTable('devices')
			.set({ revoked_at: null })
			.where('device_id', '=', deviceId)
			.executeTakeFirst();
		return Number(result.numUpdatedRows) > 0;
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
