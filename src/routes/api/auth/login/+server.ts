import { json } from '@sveltejs/kit';
import { dev } from '$app/environment';
import { parseWith } from '$lib/domain/schemas/common.js';
import { app } from '$lib/server/instance.js';
import { checkLogin, loginRefusalText, setSessionCookie } from '$lib/server/auth/login.js';
import { deviceRefusal } from '$lib/server/auth/devices.js';
import { badRequest, clientAddress, endpoint, HttpError, readJson } from '$lib/server/http.js';
import { LoginBodySchema } from '$lib/domain/sync/wire.js';

export const POST = endpoint(async (event) => {
	const { request, cookies, url } = event;
	const parsed = parseWith(LoginBodySchema, await readJson(request, 16 * 1024));
	if (!parsed.ok) throw badRequest('登录请求不完整', parsed.issues);
	const { username, password, deviceId } = parsed.value;
	const server = app();
	const checked = await checkLogin(server, username, password, clientAddress(event));
	if (!checked.ok && (checked.reason === 'throttled' || checked.reason === 'busy')) {
		throw new HttpError(429, loginRefusalText(checked), undefined, {
			'Retry-After': String(checked.retryAfter)
		});
	}
	if (!checked.ok) {
		throw new HttpError(
			401,
			checked.reason === 'disabled' ? '该账号已停用：请联系市文物局' : '用户名或密码不正确'
		);
	}
	const { user } = checked;
	if (deviceId) {
		const refusal = await deviceRefusal(server.users, user, deviceId);
		if (refusal) throw new HttpError(refusal.status, refusal.error);
	}
	const kind = deviceId ? 'device' : 'session';
	const token = await server.users.issueToken(user.id, kind, deviceId);
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
