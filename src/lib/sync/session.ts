import type { DeviceStore, SettingValue } from '$lib/db/index.js';
import { SyncApi, SyncError, type Fetch } from './api.js';

export type Session = SettingValue<'session'>;

/** This device's identity: made once with `crypto.randomUUID()`, then always the same. */
export async function ensureDeviceId(store: DeviceStore): Promise<string> {
	const existing = await store.getSetting('deviceId');
	if (existing) return existing;
	const id = crypto.randomUUID();
	await store.setSetting('deviceId', id);
	return id;
}

export type LoginResult =
	| { ok: true; session: Session }
	| { ok: false; kind: SyncError['kind']; status: number | null; detail: string };

/**
 * `POST /api/auth/login` with this device's id; on success the token and the account are
 * stored, replacing any earlier session. Nothing changes on failure.
 */
export async function login(
	store: DeviceStore,
	username: string,
	password: string,
	options: { fetch?: Fetch | undefined; now?: () => string } = {}
): Promise<LoginResult> {
	const deviceId = await ensureDeviceId(store);
	try {
		const answer = await new SyncApi({ fetch: options.fetch }).login(username, password, deviceId);
		const session: Session = {
			token: answer.token,
			user: {
				username: answer.user.username,
				role: answer.user.role,
				counties: [...new Set(answer.user.counties)]
			},
			loggedInAt: options.now?.() ?? new Date().toISOString()
		};
		await store.setSetting('session', session);
		return { ok: true, session };
	} catch (error) {
		if (error instanceof SyncError) {
			return { ok: false, kind: error.kind, status: error.status, detail: error.detail };
		}
		throw error;
	}
}

/**
 * Ends the session on this device: the server is told when it can be reached, and the token is
 * removed whatever it answers. Records, photos, the registry and the outbox all stay.
 */
export async function logout(
	store: DeviceStore,
	options: { fetch?: Fetch | undefined } = {}
): Promise<void> {
	const session = await store.getSetting('session');
	if (!session) return;
	if (!session.expired) {
		await new SyncApi({ fetch: options.fetch, token: session.token, timeoutMs: 5_000 })
			.logout()
			.catch(() => undefined);
	}
	await store.deleteSetting('session');
}

/** Marks the stored session as refused by the server (401): the user must log in again. */
export async function expireSession(store: DeviceStore): Promise<Session | null> {
	const session = await store.getSetting('session');
	if (!session) return null;
	const expired = { ...session, expired: true };
	await store.setSetting('session', expired);
	return expired;
}
