import type { RequestEvent } from './$types';
import { app } from '$lib/server/instance.js';
import { endpoint, HttpError, requireUser } from '$lib/server/http.js';
import { exportResponse, isExportFormat } from '$lib/server/registry/export/index.js';
import { versionNumber } from '$lib/server/registry/publish.js';

/**
 * Version n as a download for reviewers, exact geometry (contract §3 *Downloads*): a county
 * reviewer gets the sites of its counties, a city reviewer all; a surveyor 403.
 */
export const GET = endpoint(async (event: RequestEvent) => {
	const user = requireUser(event);
	if (user.role === 'surveyor')
		throw new HttpError(
			403,
			'名录下载（精确坐标）只供审核人员使用：调查员请在采集应用中查看本旗区名录'
		);
	const format = event.params.format;
	if (!isExportFormat(format)) throw new HttpError(404, '没有这种下载格式');
	const server = app();
	const n = versionNumber(event.params.n);
	const found = n === undefined ? undefined : await server.store.registryVersions.get(n);
	if (!found)
		throw new HttpError(
			404,
			`没有第 ${event.params.n.slice(0, 12)} 版名录：请在名录发布页查看已发布的版本`
		);
	const response = await exportResponse(
		server.store,
		server.options.dataDir,
		{
			version: found.version,
			format,
			exact: true,
			counties: user.role === 'city_reviewer' ? undefined : user.counties
		},
		'private, no-store'
	);
	if (!response) throw new HttpError(404, `没有第 ${found.version} 版名录`);
	return response;
});
