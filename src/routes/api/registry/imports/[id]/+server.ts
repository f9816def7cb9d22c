import { json } from '@sveltejs/kit';
import { app } from '$lib/server/instance.js';
import { endpoint } from '$lib/server/http.js';
import { requireRegistryImporter } from '$lib/server/registry-import/guard.js';
import { readUpload } from '$lib/server/registry-import/service.js';

/** An upload of this reviewer, with its latest dry run's report (`null` before one). */
export const GET = endpoint(async (event) => {
	const user = requireRegistryImporter(event);
	const { upload, report } = await readUpload(app(), user, event.params.id ?? '');
	return json({
		upload: {
			id: upload.id,
			fileName: upload.fileName,
			sha256: upload.sha256,
			size: upload.size,
			createdAt: upload.createdAt,
			applied: upload.applied ?? null
		},
		report
	});
});
