import type { Handle, ServerInit } from '@sveltejs/kit';
import { sequence } from '@sveltejs/kit/hooks';
import { paraglideMiddleware } from '$lib/paraglide/server.js';
import { app, startServer } from '$lib/server/instance.js';
import { authenticate } from '$lib/server/auth/session.js';
import { csrfRefusal } from '$lib/server/auth/csrf.js';
import { discardBody, errorResponse, jsonErrorOf } from '$lib/server/http.js';
import { API_CSP, SECURITY_HEADERS } from '$lib/server/security-headers.js';

/** Migrates and seeds before the first request (contract §4: an empty DATA_DIR needs nothing else). */
export const init: ServerInit = async () => {
	await startServer();
};

/** API routes anyone may call. */
const PUBLIC_API = [/^\/api\/public\//, /^\/api\/auth\/login$/, /^\/api\/health$/];

/**
 * The security headers on everything SvelteKit answers (static files and the prerendered shell
 * get them in front of adapter-node: scripts/adapter.js), and on /api the contract's error
 * model for every error, whoever produced it (a wrong method, an unknown path, a kit error).
 */
const headers: Handle = async ({ event, resolve }) => {
	let response = await resolve(event);
	const api = event.url.pathname.startsWith('/api/');
	if (api && response.status >= 400) response = await jsonErrorOf(response, event.request);
	for (const [name, value] of Object.entries(SECURITY_HEADERS)) {
		if (!response.headers.has(name)) response.headers.set(name, value);
	}
	if (api) {
		response.headers.set('Content-Security-Policy', API_CSP);
		if (!response.headers.has('Cache-Control')) response.headers.set('Cache-Control', 'no-store');
	}
	return response;
};

/** A cookie-authenticated state change from another origin is refused before any route runs. */
const csrf: Handle = async ({ event, resolve }) => {
	const refusal = csrfRefusal(event);
	if (!refusal) return resolve(event);
	await discardBody(event.request);
	if (event.url.pathname.startsWith('/api/')) return errorResponse(403, refusal);
	// an enhanced form (use:enhance) reads a SvelteKit action result; a plain one, a page
	if (event.request.headers.get('x-sveltekit-action') === 'true') {
		return new Response(JSON.stringify({ type: 'error', error: { message: refusal } }), {
			status: 403,
			headers: { 'Content-Type': 'application/json' }
		});
	}
	return new Response(refusal, {
		status: 403,
		headers: { 'Content-Type': 'text/plain; charset=utf-8' }
	});
};

const auth: Handle = async ({ event, resolve }) => {
	const server = app();
	event.locals.user = await authenticate(server.users, event.request, event.cookies);
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

export const handle = sequence(headers, auth, csrf, i18n);
