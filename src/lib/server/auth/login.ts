import type { Cookies } from '@sveltejs/kit';
import {
	DEVICE_TOKEN_DAYS,
	LOGIN_FAILURE_LIMIT,
	LOGIN_FAILURE_WINDOW_MS,
	SESSION_TOKEN_DAYS,
	type UserRepository,
	type UserRow
} from '../db/users.js';
import { decoyHash, verifyPassword } from './password.js';
import { SESSION_COOKIE } from './session.js';

export type LoginCheck =
	| { ok: true; user: UserRow }
	/** Too many failures for this username: refused whatever the password, `retryAfter` seconds. */
	| { ok: false; reason: 'throttled'; retryAfter: number }
	| { ok: false; reason: 'credentials' }
	/** The password was right, but the account is disabled. */
	| { ok: false; reason: 'disabled' };

/**
 * Checks a username and password under the failed-login limit (contract §3): after
 * `LOGIN_FAILURE_LIMIT` failures for one username within `LOGIN_FAILURE_WINDOW_MS`, every attempt
 * is refused until the oldest of them leaves the window. A failure (unknown username, wrong
 * password, disabled account) is counted; a success clears the count. Unknown usernames cost one
 * scrypt like known ones. The API login and the review login form both come through here.
 */
export async function checkLogin(
	users: UserRepository,
	username: string,
	password: string,
	now = Date.now()
): Promise<LoginCheck> {
	const failures = users.recentFailures(username, now);
	if (failures.count >= LOGIN_FAILURE_LIMIT) {
		const retryAfter = Math.max(
			1,
			Math.ceil(((failures.oldest ?? now) + LOGIN_FAILURE_WINDOW_MS - now) / 1000)
		);
		return { ok: false, reason: 'throttled', retryAfter };
	}
	const found = users.byUsername(username);
	const ok = await verifyPassword(password, found?.passwordHash ?? (await decoyHash()));
	if (!found || !ok || found.disabled) {
		users.recordFailure(username, now);
		return { ok: false, reason: found?.disabled && ok ? 'disabled' : 'credentials' };
	}
	users.clearFailures(username);
	const { passwordHash: _hash, ...user } = found;
	return { ok: true, user };
}

/** The session cookie a login sets: httpOnly, same-site lax, secure over https, for the whole app. */
export function setSessionCookie(
	cookies: Cookies,
	token: string,
	kind: 'device' | 'session',
	secure: boolean
): void {
	cookies.set(SESSION_COOKIE, token, {
		path: '/',
		httpOnly: true,
		sameSite: 'lax',
		secure,
		maxAge: (kind === 'device' ? DEVICE_TOKEN_DAYS : SESSION_TOKEN_DAYS) * 24 * 3600
	});
}
