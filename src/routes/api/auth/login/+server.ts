import { json } from '@sveltejs/kit';
import { z } from 'zod';
import { dev } from '$app/environment';
import { parseWith } from '$lib/domain/schemas/common';
import { app } from '$lib/server/instance';
import { decoyHash, verifyPassword } from '$lib/server/auth/password';
import { SESSION_COOKIE } from '$lib/server/auth/session';
import {
	DEVICE_TOKEN_DAYS,
	LOGIN_FAILURE_LIMIT,
	LOGIN_FAILURE_WINDOW_MS,
	SESSION_TOKEN_DAYS
} from '$lib/server/db/users';
import { badRequest, endpoint, HttpError, readJson } from '$lib/server/http';

const LoginSchema = z.strictObject({
	username: z.string().trim().min(1, '请输入用户名').max(100),
	password: z.string().min(1, '请输入密码').max(1000),
	/** A device (the field app) gets a 90-day token; a browser without one a 7-day session. */
	deviceId: z.string().trim().min(1).max(200).optional()
});

export const POST = endpoint(async ({ request, cookies, url }) => {
	const parsed = parseWith(LoginSchema, await readJson(request, 16 * 1024));
	if (!parsed.ok) throw badRequest('登录请求不完整', parsed.issues);
	const { username, password, deviceId } = parsed.value;
	const server = app();
	const now = Date.now();
	const failures = server.users.recentFailures(username, now);
	if (failures.count >= LOGIN_FAILURE_LIMIT) {
		const retryAfter = Math.max(
			1,
			Math.ceil(((failures.oldest ?? now) + LOGIN_FAILURE_WINDOW_MS - now) / 1000)
		);
		throw new HttpError(
			429,
			`该账号 10 分钟内密码错误已达 ${LOGIN_FAILURE_LIMIT} 次，请在 ${Math.ceil(retryAfter / 60)} 分钟后再试`,
			undefined,
			{ 'Retry-After': String(retryAfter) }
		);
	}
	const user = server.users.byUsername(username);
	const ok = await verifyPassword(password, user?.passwordHash ?? (await decoyHash()));
	if (!user || !ok || user.disabled) {
		server.users.recordFailure(username, now);
		throw new HttpError(
			401,
			user?.disabled && ok ? '该账号已停用：请联系市文物局' : '用户名或密码不正确'
		);
	}
	server.users.clearFailures(username);
	const kind = deviceId ? 'device' : 'session';
	const token = server.users.issueToken(user.id, kind, deviceId);
	cookies.set(SESSION_COOKIE, token, {
		path: '/',
		httpOnly: true,
		sameSite: 'lax',
		secure: !dev && url.protocol === 'https:',
		maxAge: (kind === 'device' ? DEVICE_TOKEN_DAYS : SESSION_TOKEN_DAYS) * 24 * 3600
	});
	return json({
		token,
		user: {
			username: user.username,
			role: user.role,
			counties: user.counties,
			displayName: user.displayName ?? undefined,
			demo: user.demo
		}
	});
});
