import type { RequestEvent } from './$types';
import { app } from '$lib/server/instance.js';
import { endpoint, HttpError } from '$lib/server/http.js';
import { exportResponse, isExportFormat } from '$lib/server/registry/export/index.js';

/**
 * The latest published registry as a download, no login (contract §3 *Downloads*): every site
 * through `publicSite` (protected sites generalized, without boundary or address). 404 before
 * the first publish.
 */
export const GET = endpoint(async (event: RequestEvent) => {
	const format = event.params.format;
	if (!isExportFormat(format)) throw new HttpError(404, '没有这种下载格式');
	const server = app();
	const version = await server.store.registryVersions.latest();
	if (version === 0) throw new HttpError(404, '名录尚未发布：发布第一版后才能下载');
	const response = await exportResponse(
		server.store,
		server.options.dataDir,
		{ version, format, exact: false },
		'public, max-age=60'
	);
	if (!response) throw new HttpError(404, '名录尚未发布：发布第一版后才能下载');
	return response;
});
