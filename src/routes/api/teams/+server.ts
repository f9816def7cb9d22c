import { json } from '@sveltejs/kit';
import { app } from '$lib/server/instance.js';
import { createTeam, listTeams, teamJson } from '$lib/server/teams.js';
import { endpoint, HttpError, readJson, requireUser } from '$lib/server/http.js';
import { COUNTY_CODES } from '$lib/domain/codelists/index.js';

/** Survey teams (issue 13 point 2; contract §3 *Teams*). */
export const GET = endpoint(async (event) => {
	const actor = requireUser(event);
	const params = [...event.url.searchParams.keys()];
	const unknown = params.find((k) => k !== 'county');
	if (unknown !== undefined)
		throw new HttpError(400, `未知的查询参数 “${unknown.slice(0, 50)}”：可用的只有 county`);
	const counties = event.url.searchParams.getAll('county');
	if (counties.length > 1) throw new HttpError(400, '查询参数 “county” 只能出现一次');
	const county = counties[0];
	if (county !== undefined && !(COUNTY_CODES as readonly string[]).includes(county))
		throw new HttpError(400, `旗区代码 “${county.slice(0, 20)}” 不存在`);
	const outcome = await listTeams(app().store, actor, county);
	if (!outcome.ok) throw new HttpError(outcome.status, outcome.error);
	return json({ teams: outcome.value.map(teamJson) });
});

export const POST = endpoint(async (event) => {
	const actor = requireUser(event);
	const outcome = await createTeam(app().store, actor, await readJson(event.request, 16 * 1024));
	if (!outcome.ok) throw new HttpError(outcome.status, outcome.error, outcome.issues);
	return json({ team: teamJson(outcome.value) }, { status: 201 });
});
