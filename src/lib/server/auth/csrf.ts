import type { RequestEvent } from '@sveltejs/kit';
import { SESSION_COOKIE } from './session.js';

const STATE_CHANGING = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

/**
 * Why a request must be refused as cross-site (issue 10 point 5), or undefined when it may go on.
 *
 * - A request with `Authorization` (a device's Bearer token) MUST NOT be checked: a browser
 *   cannot send that header cross-site without a CORS preflight, which this server never grants.
 * - Any other state-changing request (POST, PUT, PATCH, DELETE, whatever its content type) that
 *   names an `Origin` MUST come from this server's origin: that covers the cookie and a login
 *   made from another site.
 * - One that carries the session cookie and no `Origin` MUST say `Sec-Fetch-Site: same-origin`;
 *   a browser sends one of the two with every such request, so a missing proof is refused.
 */
export function csrfRefusal(
	event: Pick<RequestEvent, 'request' | 'url' | 'cookies' | 'locals'>
): string | undefined {
	const { request, url } = event;
	if (!STATE_CHANGING.has(request.method)) return undefined;
	if (request.headers.has('authorization')) return undefined;
	const origin = request.headers.get('origin');
	if (origin !== null) {
		if (origin === url.origin) return undefined;
		return `请求来自 ${origin.slice(0, 100)}，而本服务器的地址是 ${url.origin}：跨站请求已拒绝。请用 ${url.origin} 打开本系统后再操作`;
	}
	if (!event.locals.user || !event.cookies.get(SESSION_COOKIE)) return undefined;
	if (request.headers.get('sec-fetch-site') === 'same-origin') return undefined;
	return `请求没有说明来源（缺少 Origin）：用登录 Cookie 的修改请求必须来自 ${url.origin} 的页面`;
}
