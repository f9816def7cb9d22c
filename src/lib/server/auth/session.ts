import type { Cookies } from '@sveltejs/kit';
import type { UserRepository } from '../db/users.js';
import type { Principal } from './roles.js';

export const SESSION_COOKIE = 'survey_session';

/** The token a request carries: `Authorization: Bearer …` first, then the session cookie. */
export function tokenOf(request: Request, cookies: Cookies): string | undefined {
	const header = request.headers.get('authorization');
	if (header) {
		const match = /^Bearer\s+([A-Za-z0-9_-]{20,200})\s*$/.exec(header);
		return match?.[1];
	}
	return cookies.get(SESSION_COOKIE) || undefined;
}

export async function authenticate(
	users: UserRepository,
	request: Request,
	cookies: Cookies
): Promise<Principal | undefined> {
	const token = tokenOf(request, cookies);
	return token ? users.authenticate(token) : undefined;
}
