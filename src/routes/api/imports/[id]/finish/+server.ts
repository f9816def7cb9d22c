import { json } from '@sveltejs/kit';
import { z } from 'zod';
import type { RequestEvent } from './$types';
import { parseWith } from '$lib/domain/schemas/common.js';
import { app } from '$lib/server/instance.js';
import { badRequest, endpoint, HttpError, readJson } from '$lib/server/http.js';
import { importBackupFile, ImportError } from '$lib/server/backup-import.js';
import { IMPORT_MAX_CHUNKS, importUploadsOf } from '$lib/server/import-uploads.js';
import { asHttp, ownUpload, requireImporter } from '../../importer.js';

const FinishSchema = z.strictObject({
	/** How many chunks were sent (0 … chunks−1). */
	chunks: z.number().int().min(1).max(IMPORT_MAX_CHUNKS),
	/** Push the records as this account (instead of the one given at the start, or the file's). */
	as: z.string().trim().min(1).max(200).optional()
});

/**
 * Joins the chunks and imports the file exactly as `npm run admin -- import` does: `200` with
 * the report (one result per record). Finishing again answers the same report. `422` when the
 * file cannot be imported at all (not a backup, an unknown account).
 */
export const POST = endpoint(async (event: RequestEvent) => {
	const user = requireImporter(event);
	const server = app();
	const uploads = importUploadsOf(server);
	const meta = await ownUpload(uploads, event.params.id, user);
	const parsed = parseWith(FinishSchema, await readJson(event.request, 16 * 1024));
	if (!parsed.ok) throw badRequest('请求应为 {chunks, as?}', parsed.issues);
	const as = parsed.value.as ?? meta.as;
	const done = await uploads.report(event.params.id);
	if (done) return json(done);
	try {
		const report = await uploads.finish(event.params.id, parsed.value.chunks, (path) =>
			importBackupFile(server, path, { importer: user, ...(as ? { as } : {}) })
		);
		return json(report);
	} catch (error) {
		if (error instanceof ImportError) throw new HttpError(422, error.message);
		throw asHttp(error);
	}
});
