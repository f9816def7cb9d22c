import { app } from '$lib/server/instance.js';
import { SESSION_COOKIE } from '$lib/server/auth/session.js';
import { endpoint, requireUser } from '$lib/server/http.js';

/** Ends this token or session; the device keeps its unsent data (that is the device's business). */
export const POST = endpoint(async (event) => {
	const user = requireUser(event);
	await app().users.revokeToken(user.tokenId);
	event.cookies.delete(SESSION_COOKIE, { path: '/' });
	return new Response(null, { status: 204 });
});
