import { json } from '@sveltejs/kit';
import { COUNTY_CODES, RECORD_STATUSES, type RecordStatus } from '$lib/domain/codelists/index.js';
import { app } from '$lib/server/instance.js';
import { inScope } from '$lib/server/auth/roles.js';
import { allowQuery, endpoint, HttpError, requireUser } from '$lib/server/http.js';

export const GET = endpoint(async (event) => {
	const user = requireUser(event);
	allowQuery(event.url, ['county', 'status']);
	const county = event.url.searchParams.get('county');
	const status = event.url.searchParams.get('status');
	if (county !== null) {
		if (!(COUNTY_CODES as string[]).includes(county))
			throw new HttpError(400, `旗区代码 “${county.slice(0, 20)}” 不存在`);
		if (!inScope(user, county))
			throw new HttpError(403, `账号 ${user.username} 无权查看旗区 ${county} 的记录`);
	}
	if (status !== null && !(RECORD_STATUSES as readonly string[]).includes(status)) {
		throw new HttpError(
			400,
			`状态 “${status.slice(0, 30)}” 无效：应为 ${RECORD_STATUSES.join('、')} 之一`
		);
	}
	const server = app();
	const rows = await server.records.list(
		county ? [county] : user.counties,
		(status as RecordStatus | null) ?? undefined
	);
	return json({
		records: rows.map((row) => ({
			...row.record,
			status: row.status,
			revision: row.revision,
			receivedAt: row.updatedAt
		}))
	});
});
