import { json } from '@sveltejs/kit';
import { z } from 'zod';
import { dev } from '$app/environment';
import { parseWith } from '$lib/domain/schemas/common';
import { app } from '$lib/server/instance';
import { checkLogin, setSessionCookie } from '$lib/server/auth/login';
import { LOGIN_FAILURE_LIMIT } from '$lib/server/db/users';
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
	const checked = await checkLogin(server.users, username, password);
	if (!checked.ok && checked.reason === 'throttled') {
		throw new HttpError(
			429,
			`该账号 10 分钟内密码错误已达 ${LOGIN_FAILURE_LIMIT} 次，请在 ${Math.ceil(checked.retryAfter / 60)} 分钟后再试`,
			undefined,
			{ 'Retry-After': String(checked.retryAfter) }
		);
	}
	if (!checked.ok) {
		throw new HttpError(
			401,
			checked.reason === 'disabled' ? '该账号已停用：请联系市文物局' : '用户名或密码不正确'
		);
	}
	const { user } = checked;
	const kind = deviceId ? 'device' : 'session';
	const token = server.users.issueToken(user.id, kind, deviceId);
	setSessionCookie(cookies, token, kind, !dev && url.protocol === 'https:');
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
