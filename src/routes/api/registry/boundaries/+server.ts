import { json } from '@sveltejs/kit';
import { app } from '$lib/server/instance.js';
import { allowQuery, endpoint } from '$lib/server/http.js';
import { requireRegistryImporter, uploadBody } from '$lib/server/registry-import/guard.js';
import { uploadCounties } from '$lib/server/registry-import/boundaries.js';
import { cleanFileName } from '$lib/server/registry-import/service.js';

/** Checks the bureau's county boundaries (raw GeoJSON, `?name=`): `201` the report; writes nothing. */
export const POST = endpoint(async (event) => {
	const user = requireRegistryImporter(event);
	allowQuery(event.url, ['name']);
	const body = uploadBody(event);
	const report = await uploadCounties(
		app(),
		user,
		cleanFileName(event.url.searchParams.get('name')),
		body
	);
	return json(report, { status: 201 });
});
