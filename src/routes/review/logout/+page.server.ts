import { redirect } from '@sveltejs/kit';
import type { Actions, PageServerLoad } from './$types';
import { app } from '$lib/server/instance.js';
import { SESSION_COOKIE } from '$lib/server/auth/session.js';

/** Signing out is a POST only; a visit here goes back to the review area. */
export const load: PageServerLoad = () => {
	redirect(303, '/review');
};

export const actions: Actions = {
	/** Ends exactly this session's token and drops the cookie. */
	default: async ({ locals, cookies }) => {
		if (locals.user) await app().users.revokeToken(locals.user.tokenId);
		cookies.delete(SESSION_COOKIE, { path: '/' });
		redirect(303, '/review/login');
	}
};
