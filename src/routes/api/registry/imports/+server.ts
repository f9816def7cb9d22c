import { json } from '@sveltejs/kit';
import { app } from '$lib/server/instance.js';
import { allowQuery, endpoint } from '$lib/server/http.js';
import { requireRegistryImporter, uploadBody } from '$lib/server/registry-import/guard.js';
import { cleanFileName, uploadSites } from '$lib/server/registry-import/service.js';

/**
 * Uploads a registry spreadsheet (XLSX or CSV, raw bytes, `?name=` the file's name): `201` with
 * its headers, first rows and the guessed mapping. Nothing is written to the registry.
 */
export const POST = endpoint(async (event) => {
	const user = requireRegistryImporter(event);
	allowQuery(event.url, ['name']);
	const body = uploadBody(event);
	const upload = await uploadSites(
		app(),
		user,
		cleanFileName(event.url.searchParams.get('name')),
		body
	);
	return json(upload, { status: 201 });
});

/** The confirmed imports of sites, newest first. */
export const GET = endpoint(async (event) => {
	requireRegistryImporter(event);
	allowQuery(event.url, []);
	const rows = await app().store.read((tx) => tx.registryImports.list('sites'));
	return json({
		imports: rows.map((r) => ({
			id: r.id,
			kind: r.kind,
			at: r.at,
			by: r.by_user,
			fileName: r.file_name,
			counts: JSON.parse(r.counts) as Record<string, number>
		}))
	});
});
