import type { Handle, ServerInit } from '@sveltejs/kit';
import { sequence } from '@sveltejs/kit/hooks';
import { paraglideMiddleware } from '$lib/paraglide/server';
import { app, startServer } from '$lib/server/instance';
import { authenticate } from '$lib/server/auth/session';
import { discardBody, errorResponse } from '$lib/server/http';

/** Migrates and seeds before the first request (contract §4: an empty DATA_DIR needs nothing else). */
export const init: ServerInit = async () => {
	await startServer();
};

/** API routes anyone may call. */
const PUBLIC_API = [/^\/api\/public\//, /^\/api\/auth\/login$/];

const SECURITY_HEADERS: Record<string, string> = {
	'X-Content-Type-Options': 'nosniff',
	'Referrer-Policy': 'same-origin',
	'X-Frame-Options': 'DENY',
	'Cross-Origin-Opener-Policy': 'same-origin',
	'Cross-Origin-Resource-Policy': 'same-origin',
	// the field app needs the camera (file input) and the position; nothing else
	'Permissions-Policy': 'geolocation=(self), camera=(self), microphone=(), payment=(), usb=()'
};

const auth: Handle = async ({ event, resolve }) => {
	const server = app();
	event.locals.user = authenticate(server.users, event.request, event.cookies);
	const path = event.url.pathname;
	if (path.startsWith('/api/') && !PUBLIC_API.some((p) => p.test(path)) && !event.locals.user) {
		// read the body away, or the client's next request on this connection hangs
		await discardBody(event.request);
		return errorResponse(401, '未登录或登录已失效：请重新登录', undefined, {
			'WWW-Authenticate': 'Bearer realm="survey"'
		});
	}
	return resolve(event);
};

const headers: Handle = async ({ event, resolve }) => {
	const response = await resolve(event);
	for (const [name, value] of Object.entries(SECURITY_HEADERS)) {
		if (!response.headers.has(name)) response.headers.set(name, value);
	}
	if (event.url.pathname.startsWith('/api/')) {
		// JSON and photo bytes: nothing in them may run or be framed
		response.headers.set('Content-Security-Policy', "default-src 'none'; frame-ancestors 'none'");
		if (!response.headers.has('Cache-Control')) response.headers.set('Cache-Control', 'no-store');
	}
	return response;
};

const i18n: Handle = ({ event, resolve }) =>
	// the API speaks JSON and photo bytes: no locale to find, and no request body to clone
	event.url.pathname.startsWith('/api/')
		? resolve(event)
		: paraglideMiddleware(event.request, ({ request, locale }) => {
				event.request = request;
				return resolve(event, {
					transformPageChunk: ({ html }) => html.replace('%paraglide.lang%', locale)
				});
			});

export const handle = sequence(headers, auth, i18n);
