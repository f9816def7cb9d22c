import { json } from '@sveltejs/kit';
import { endpoint, requireUser } from '$lib/server/http.js';

/** Who this token belongs to (extension): a device checks its cached identity with it. */
export const GET = endpoint((event) => {
	const user = requireUser(event);
	return json({
		user: { username: user.username, role: user.role, counties: user.counties, demo: user.demo }
	});
});
