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
import type { LoginGate } from './login-gate.js';
import { SESSION_COOKIE } from './session.js';

export type LoginCheck =
	| { ok: true; user: UserRow }
	/**
	 * Too many failures for this username (`scope` username) or from this client address
	 * (`scope` address): refused whatever the password, for `retryAfter` seconds.
	 */
	| { ok: false; reason: 'throttled'; scope: 'username' | 'address'; retryAfter: number }
	/** Too many password checks at once: nothing was checked; try again in `retryAfter` seconds. */
	| { ok: false; reason: 'busy'; retryAfter: number }
	| { ok: false; reason: 'credentials' }
	/** The password was right, but the account is disabled. */
	| { ok: false; reason: 'disabled' };

export type LoginDeps = { users: UserRepository; loginGate: LoginGate };

/**
 * Checks a username and password (contract §3, issue 10 point 4). In order:
 * 1. a client address with too many recent failures is refused (`throttled`, address);
 * 2. after `LOGIN_FAILURE_LIMIT` failures for one username within `LOGIN_FAILURE_WINDOW_MS`,
 *    every attempt is refused until the oldest of them leaves the window (`throttled`, username);
 * 3. the password check waits for a place at the gate, or is refused when it is full (`busy`);
 * 4. an unknown username is checked against a decoy hash, so it costs what a known one costs
 *    and timing tells nobody which accounts exist.
 * A refusal (1–3) is answered only after the gate's `holdMs`: a client that retries at once, as
 * a flood does, waits too, so its requests cost a timer, not the event loop the others need.
 * A failure (unknown username, wrong password, disabled account) counts for the username and
 * the address; a success clears the username's count. The API login and the review login form
 * both come through here.
 */
export async function checkLogin(
	deps: LoginDeps,
	username: string,
	password: string,
	address: string,
	now = Date.now()
): Promise<LoginCheck> {
	const { users, loginGate } = deps;
	const addressWait = loginGate.addressWait(address, now);
	if (addressWait > 0) {
		return loginGate.holdRefusal({
			ok: false,
			reason: 'throttled',
			scope: 'address',
			retryAfter: addressWait
		});
	}
	const failures = await users.recentFailures(username, now);
	if (failures.count >= LOGIN_FAILURE_LIMIT) {
		const retryAfter = Math.max(
			1,
			Math.ceil(((failures.oldest ?? now) + LOGIN_FAILURE_WINDOW_MS - now) / 1000)
		);
		return loginGate.holdRefusal({ ok: false, reason: 'throttled', scope: 'username', retryAfter });
	}
	const found = await users.byUsername(username);
	const checked = await loginGate.run(address, async () =>
		verifyPassword(password, found?.passwordHash ?? (await decoyHash()))
	);
	if (!checked.ok) {
		return loginGate.holdRefusal({ ok: false, reason: 'busy', retryAfter: checked.retryAfter });
	}
	const ok = checked.value;
	if (!found || !ok || found.disabled) {
		await users.recordFailure(username, now);
		loginGate.recordFailure(address, now);
		return { ok: false, reason: found?.disabled && ok ? 'disabled' : 'credentials' };
	}
	await users.clearFailures(username);
	const { passwordHash: _hash, ...user } = found;
	return { ok: true, user };
}

/** The refusal of a throttled or busy login, in words a person can act on. */
export function loginRefusalText(
	check: Extract<LoginCheck, { reason: 'throttled' | 'busy' }>
): string {
	const minutes = Math.ceil(check.retryAfter / 60);
	if (check.reason === 'busy') {
		return `服务器正忙于处理其他登录，请 ${check.retryAfter} 秒后再试`;
	}
	return check.scope === 'address'
		? `这台设备所在的网络地址 10 分钟内登录失败次数过多，请在 ${minutes} 分钟后再试`
		: `该账号 10 分钟内密码错误已达 ${LOGIN_FAILURE_LIMIT} 次，请在 ${minutes} 分钟后再试`;
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
