import { json } from '@sveltejs/kit';
import { z } from 'zod';
import { parseWith } from '$lib/domain/schemas/common.js';
import { app } from '$lib/server/instance.js';
import { badRequest, endpoint, readJson } from '$lib/server/http.js';
import { IMPORT_CHUNK_MAX_BYTES, importUploadsOf } from '$lib/server/import-uploads.js';
import { requireImporter } from './importer.js';

const StartSchema = z.strictObject({
	/** Push the records as this account instead of the one the file names. */
	as: z.string().trim().min(1).max(200).optional()
});

/**
 * Starts a chunked upload of a device backup file (docs/BACKUP.md): `201 {id, chunkBytes}`.
 * Then `PUT /api/imports/{id}/chunks/{n}` for n = 0, 1, … and `POST /api/imports/{id}/finish`.
 * City reviewers only.
 */
export const POST = endpoint(async (event) => {
	const user = requireImporter(event);
	const hasBody =
		Number(event.request.headers.get('content-length') ?? '0') > 0 ||
		event.request.headers.get('transfer-encoding') !== null;
	const parsed = parseWith(StartSchema, hasBody ? await readJson(event.request, 16 * 1024) : {});
	if (!parsed.ok) throw badRequest('请求应为 {as?}', parsed.issues);
	const id = await importUploadsOf(app()).create({
		userId: user.id,
		createdAt: new Date().toISOString(),
		...(parsed.value.as ? { as: parsed.value.as } : {})
	});
	return json({ id, chunkBytes: IMPORT_CHUNK_MAX_BYTES }, { status: 201 });
});
