import type { RequestEvent } from './$types';
import { app } from '$lib/server/instance.js';
import { endpoint, HttpError } from '$lib/server/http.js';
import { IMPORT_CHUNK_MAX_BYTES, importUploadsOf } from '$lib/server/import-uploads.js';
import { asHttp, ownUpload, requireImporter } from '../../../importer.js';

/** One chunk of the file, raw bytes, at most 4 MB: `201` stored (a repeated chunk replaces). */
export const PUT = endpoint(async (event: RequestEvent) => {
	const user = requireImporter(event);
	const uploads = importUploadsOf(app());
	await ownUpload(uploads, event.params.id, user);
	if (!/^\d{1,6}$/.test(event.params.n)) throw new HttpError(400, '分块序号应为非负整数');
	const declared = Number(event.request.headers.get('content-length') ?? NaN);
	if (declared > IMPORT_CHUNK_MAX_BYTES) {
		throw new HttpError(413, `分块超过 ${IMPORT_CHUNK_MAX_BYTES / 1024 / 1024} MB 上限`);
	}
	if (!event.request.body) throw new HttpError(400, '分块内容为空');
	try {
		const size = await uploads.putChunk(
			event.params.id,
			Number(event.params.n),
			event.request.body as unknown as AsyncIterable<Uint8Array>
		);
		if (size === 0) throw new HttpError(400, '分块内容为空');
		return new Response(null, { status: 201 });
	} catch (error) {
		throw asHttp(error);
	}
});
