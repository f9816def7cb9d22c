import { fail, redirect } from '@sveltejs/kit';
import type { Actions, PageServerLoad } from './$types';
import { dev } from '$app/environment';
import { m } from '$lib/paraglide/messages.js';
import { app } from '$lib/server/instance.js';
import { checkLogin, setSessionCookie } from '$lib/server/auth/login.js';
import { clientAddress } from '$lib/server/http.js';

/**
 * Where to go after logging in: a path of this site only (never `//host` or another origin), the
 * review area when none is given or it is not one.
 */
function target(next: string | null, origin: string): string {
	if (!next || !next.startsWith('/') || next.startsWith('//') || next.includes('\\')) {
		return '/review';
	}
	try {
		const url = new URL(next, origin);
		if (url.origin !== origin || url.pathname.startsWith('/review/login')) return '/review';
		return url.pathname + url.search + url.hash;
	} catch {
		return '/review';
	}
}

export const load: PageServerLoad = ({ locals, url }) => {
	// a signed-in reviewer has nothing to do here
	if (locals.user && locals.user.role !== 'surveyor') {
		redirect(303, target(url.searchParams.get('next'), url.origin));
	}
	return { next: url.searchParams.get('next') ?? '' };
};

export const actions: Actions = {
	default: async (event) => {
		const { request, cookies, url } = event;
		const data = await request.formData();
		const username = String(data.get('username') ?? '').trim();
		const password = String(data.get('password') ?? '');
		const next = String(data.get('next') ?? '') || url.searchParams.get('next');
		if (!username || !password) {
			return fail(400, { username, error: m.login_error_missing(), kind: 'missing' });
		}
		const server = app();
		const checked = await checkLogin(server, username, password, clientAddress(event));
		if (!checked.ok) {
			const error =
				checked.reason === 'busy'
					? m.review_login_busy({ seconds: String(checked.retryAfter) })
					: checked.reason === 'throttled'
						? checked.scope === 'address'
							? m.review_login_address_locked({ minutes: Math.ceil(checked.retryAfter / 60) })
							: m.review_login_locked({ minutes: Math.ceil(checked.retryAfter / 60) })
						: checked.reason === 'disabled'
							? m.review_login_disabled()
							: m.review_login_credentials();
			const limited = checked.reason === 'throttled' || checked.reason === 'busy';
			return fail(limited ? 429 : 401, {
				username,
				error,
				kind: checked.reason
			});
		}
		if (checked.user.role === 'surveyor') {
			// no session for an account that has no review page
			return fail(403, { username, error: m.review_login_surveyor(), kind: 'surveyor' });
		}
		const token = await server.users.issueToken(checked.user.id, 'session');
		setSessionCookie(cookies, token, 'session', !dev && url.protocol === 'https:');
		redirect(303, target(next, url.origin));
	}
};
