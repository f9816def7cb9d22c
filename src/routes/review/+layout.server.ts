import { redirect } from '@sveltejs/kit';
import type { LayoutServerLoad } from './$types';
import { app } from '$lib/server/instance.js';
import type { Role } from '$lib/server/auth/roles.js';

export type ReviewUser = {
	username: string;
	displayName: string | null;
	role: Role;
	counties: string[];
	demo: boolean;
};

/**
 * Every review page needs a signed-in reviewer; the login page alone is open. A surveyor is signed
 * in but gets no review page (the layout says why). Form actions check the user themselves: a
 * layout load does not guard them.
 */
export const load: LayoutServerLoad = async ({ locals, url }) => {
	const server = app();
	const principal = locals.user;
	// the account and whether demo accounts exist, side by side (two connections on PostgreSQL)
	const [stored, demo] = await Promise.all([
		principal ? server.users.byId(principal.id) : undefined,
		server.demo()
	]);
	const user: ReviewUser | null =
		principal && stored
			? {
					username: principal.username,
					displayName: stored.displayName,
					role: principal.role,
					counties: principal.counties,
					demo: principal.demo
				}
			: null;
	const onLogin = url.pathname === '/review/login';
	if (!user && !onLogin) {
		redirect(303, `/review/login?next=${encodeURIComponent(url.pathname + url.search)}`);
	}
	return {
		user,
		demo,
		reviewer: user !== null && user.role !== 'surveyor'
	};
};
