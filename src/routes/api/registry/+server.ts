import { json } from '@sveltejs/kit';
import { COUNTY_CODES } from '$lib/domain/codelists/index.js';
import {
	REGISTRY_SCOPES,
	type RegistryResponse,
	type TeamRegistryResponse
} from '$lib/domain/sync/wire.js';
import { app } from '$lib/server/instance.js';
import { inScope } from '$lib/server/auth/roles.js';
import { allowQuery, endpoint, HttpError, requireUser } from '$lib/server/http.js';
import { parseCursor } from '$lib/server/sync/cursor.js';
import { teamRegistry } from '$lib/server/team-registry.js';

export const GET = endpoint(async (event) => {
	const user = requireUser(event);
	const { searchParams } = event.url;
	allowQuery(event.url, ['county', 'since', 'scope']);
	const scope = searchParams.get('scope') ?? 'county';
	if (!(REGISTRY_SCOPES as readonly string[]).includes(scope))
		throw new HttpError(
			400,
			`scope “${scope.slice(0, 20)}” 不存在：应为 ${REGISTRY_SCOPES.join('、')} 之一`
		);
	const county = searchParams.get('county');
	if (county !== null) {
		if (scope === 'team')
			throw new HttpError(400, 'scope=team 下载本队分配的文物，不能再指定 county');
		if (!(COUNTY_CODES as string[]).includes(county)) {
			throw new HttpError(
				400,
				`旗区代码 “${county.slice(0, 20)}” 不存在：应为 ${COUNTY_CODES.join('、')} 之一`
			);
		}
		if (!inScope(user, county))
			throw new HttpError(403, `账号 ${user.username} 无权查看旗区 ${county} 的名录`);
	}
	const since = parseCursor(searchParams.get('since'));
	if (scope === 'team') {
		const outcome = await teamRegistry(app().store, user, since);
		if (!outcome.ok) throw new HttpError(409, outcome.error);
		return json({
			sites: outcome.sites,
			cursor: String(outcome.cursor),
			assignment: outcome.assignment
		} satisfies TeamRegistryResponse);
	}
	// one snapshot: the sites and the cursor are of the same moment
	const { sites, cursor } = await app().store.read((tx) =>
		tx.registry.changedSince(county ? [county] : user.counties, since)
	);
	return json({ sites, cursor: String(cursor) } satisfies RegistryResponse);
});
