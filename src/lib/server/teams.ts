import type { Issue } from '../domain/schemas/common.js';
import { parseWith } from '../domain/schemas/common.js';
import { countyName } from '../domain/codelists/index.js';
import {
	NewTeamBodySchema,
	TeamChangeBodySchema,
	TeamSitesBodySchema,
	type TeamSitesResponse,
	type NewTeamBody,
	type Team,
	type TeamChangeBody
} from '../domain/sync/wire.js';
import { inScope, type Principal } from './auth/roles.js';
import type { DataStore } from './db/store.js';
import type { TeamRow } from './db/teams.js';
import type { TeamCandidate } from '../review/teams.js';

export type { TeamCandidate };

/**
 * Survey teams (普查队, issue 13 point 2): a county's teams and their surveyors, managed in the
 * review area by the county's reviewers and the city reviewer. The API and the review page both
 * come through here. A surveyor is in one team at most.
 */

export type TeamOutcome<T> =
	| { ok: true; value: T }
	| { ok: false; status: 400 | 403 | 404 | 409; error: string; issues?: Issue[] };

const SURVEYOR_ONLY = {
	ok: false,
	status: 403,
	error: '调查员账号不能管理普查队：请用审核员账号'
} as const;

const noTeam = (id: number) =>
	({ ok: false, status: 404, error: `没有队号为 ${id} 的普查队` }) as const;

/** Reviewers manage the teams of their counties; a city reviewer those of every county. */
function refusal(actor: Principal, county?: string): TeamOutcome<never> | null {
	if (actor.role === 'surveyor') return SURVEYOR_ONLY;
	if (county !== undefined && !inScope(actor, county))
		return {
			ok: false,
			status: 403,
			error: `账号 ${actor.username} 无权管理旗区 ${county} 的普查队`
		};
	return null;
}

/** The teams of the actor's counties, or of `county` alone. */
export async function listTeams(
	store: DataStore,
	actor: Principal,
	county?: string
): Promise<TeamOutcome<TeamRow[]>> {
	const refused = refusal(actor, county);
	if (refused) return refused;
	const counties = county !== undefined ? [county] : actor.counties;
	return { ok: true, value: await store.teams.list(counties) };
}

/** One team, if it is of the actor's counties (another county's answers as a missing one). */
export async function readTeam(
	store: DataStore,
	actor: Principal,
	id: number
): Promise<TeamOutcome<TeamRow>> {
	const refused = refusal(actor);
	if (refused) return refused;
	const team = await store.teams.byId(id);
	if (!team || !inScope(actor, team.countyCode)) return noTeam(id);
	return { ok: true, value: team };
}

/** The surveyors of a county (enabled or not) and their teams, for choosing members. */
export async function teamCandidates(
	store: DataStore,
	actor: Principal,
	county: string
): Promise<TeamOutcome<TeamCandidate[]>> {
	const refused = refusal(actor, county);
	if (refused) return refused;
	return store.read(async (tx) => {
		const surveyors = (await tx.users.list()).filter(
			(u) => u.role === 'surveyor' && u.counties.includes(county)
		);
		const teams = await tx.teams.teamsOf(surveyors.map((u) => u.id));
		return {
			ok: true,
			value: surveyors.map((u) => ({
				username: u.username,
				displayName: u.displayName,
				disabled: u.disabled,
				team: teams.get(u.id) ?? null
			}))
		};
	});
}

/**
 * The accounts of `usernames` as members of a team of `county` (`teamId`: the team itself, when
 * it exists): each must be a surveyor of the county and in no other team.
 */
async function memberIds(
	tx: DataStore,
	county: string,
	usernames: readonly string[],
	teamId: number | null
): Promise<TeamOutcome<number[]>> {
	const issues: Issue[] = [];
	const ids: number[] = [];
	let inOtherTeam = false;
	const users = await Promise.all(usernames.map((u) => tx.users.byUsername(u)));
	const teams = await tx.teams.teamsOf(users.flatMap((u) => (u ? [u.id] : [])));
	usernames.forEach((username, i) => {
		const user = users[i];
		const path = `members.${i}`;
		if (!user) issues.push({ path, message: `没有账号 ${username}` });
		else if (user.role !== 'surveyor')
			issues.push({ path, message: `${username} 不是调查员账号：普查队只收调查员` });
		else if (!user.counties.includes(county))
			issues.push({
				path,
				message: `${username} 不在${countyName(county)}工作：先在“用户”中给他加上这个旗区`
			});
		else {
			const other = teams.get(user.id);
			if (other && other.id !== teamId) {
				inOtherTeam = true;
				issues.push({
					path,
					message: `${username} 已在“${other.name}”：一名调查员只能在一个队，先把他从那个队移出`
				});
			} else ids.push(user.id);
		}
	});
	if (issues.length > 0)
		return {
			ok: false,
			status: inOtherTeam ? 409 : 400,
			error: issues.length === 1 ? issues[0]!.message : `成员名单有 ${issues.length} 处问题`,
			issues
		};
	return { ok: true, value: ids };
}

const nameTaken = (county: string, name: string): TeamOutcome<never> => ({
	ok: false,
	status: 409,
	error: `${countyName(county)}已有名为“${name}”的普查队：请换一个队名`,
	issues: [{ path: 'name', message: '队名已被使用' }]
});

export async function createTeam(
	store: DataStore,
	actor: Principal,
	input: unknown
): Promise<TeamOutcome<TeamRow>> {
	const role = refusal(actor);
	if (role) return role;
	const parsed = parseWith(NewTeamBodySchema, input);
	if (!parsed.ok)
		return { ok: false, status: 400, error: '新普查队的信息不完整或有误', issues: parsed.issues };
	const body: NewTeamBody = parsed.value;
	const scope = refusal(actor, body.countyCode);
	if (scope) return scope;
	return store.write(async (tx): Promise<TeamOutcome<TeamRow>> => {
		if ((await tx.teams.idByName(body.countyCode, body.name)) !== undefined)
			return nameTaken(body.countyCode, body.name);
		const members = await memberIds(tx, body.countyCode, body.members ?? [], null);
		if (!members.ok) return members;
		const at = new Date().toISOString();
		const id = await tx.teams.create({
			countyCode: body.countyCode,
			name: body.name,
			createdBy: actor.username,
			at
		});
		await tx.teams.setMembers(id, members.value, at);
		return { ok: true, value: (await tx.teams.byId(id))! };
	});
}

export async function changeTeam(
	store: DataStore,
	actor: Principal,
	id: number,
	input: unknown
): Promise<TeamOutcome<TeamRow>> {
	const role = refusal(actor);
	if (role) return role;
	const parsed = parseWith(TeamChangeBodySchema, input);
	if (!parsed.ok) return { ok: false, status: 400, error: '修改内容有误', issues: parsed.issues };
	const change: TeamChangeBody = parsed.value;
	return store.write(async (tx): Promise<TeamOutcome<TeamRow>> => {
		const team = await tx.teams.byId(id);
		if (!team || !inScope(actor, team.countyCode)) return noTeam(id);
		// every check before the first write: a refusal changes nothing
		const rename = change.name !== undefined && change.name !== team.name;
		if (rename && (await tx.teams.idByName(team.countyCode, change.name!)) !== undefined)
			return nameTaken(team.countyCode, change.name!);
		const members =
			change.members !== undefined
				? await memberIds(tx, team.countyCode, change.members, id)
				: null;
		if (members && !members.ok) return members;
		if (rename) await tx.teams.rename(id, change.name!);
		if (members) await tx.teams.setMembers(id, members.value, new Date().toISOString());
		return { ok: true, value: (await tx.teams.byId(id))! };
	});
}

export async function deleteTeam(
	store: DataStore,
	actor: Principal,
	id: number
): Promise<TeamOutcome<{ id: number; name: string }>> {
	const role = refusal(actor);
	if (role) return role;
	return store.write(async (tx): Promise<TeamOutcome<{ id: number; name: string }>> => {
		const team = await tx.teams.byId(id);
		if (!team || !inScope(actor, team.countyCode)) return noTeam(id);
		await tx.teams.remove(id);
		return { ok: true, value: { id, name: team.name } };
	});
}

/** The most problems an assignment's refusal lists one by one (the rest are counted). */
const MAX_LISTED = 20;

/**
 * Assigns registered sites of the team's county to it, by code or by whole townships, and takes
 * sites off it (issue 13 point 2). Every code must be a site of that county: otherwise nothing
 * changes and `issues` name the codes.
 */
export async function assignSites(
	store: DataStore,
	actor: Principal,
	id: number,
	input: unknown
): Promise<TeamOutcome<TeamSitesResponse>> {
	const role = refusal(actor);
	if (role) return role;
	const parsed = parseWith(TeamSitesBodySchema, input);
	if (!parsed.ok) return { ok: false, status: 400, error: '分配内容有误', issues: parsed.issues };
	const body = parsed.value;
	return store.write(async (tx): Promise<TeamOutcome<TeamSitesResponse>> => {
		const team = await tx.teams.byId(id);
		if (!team || !inScope(actor, team.countyCode)) return noTeam(id);
		const sites = await tx.registry.ofCounty(team.countyCode);
		const known = new Set(sites.map((site) => site.code));
		const issues: Issue[] = [];
		const check = (list: readonly string[] | undefined, field: string) =>
			list?.forEach((code, i) => {
				if (!known.has(code))
					issues.push({
						path: `${field}.${i}`,
						message: `登记编号 ${code} 不是${countyName(team.countyCode)}的登记文物`
					});
			});
		check(body.assign, 'assign');
		check(body.unassign, 'unassign');
		const townships = new Set(sites.map((site) => site.township));
		body.townships?.forEach((township, i) => {
			if (!townships.has(township))
				issues.push({
					path: `townships.${i}`,
					message: `${countyName(team.countyCode)}没有登记文物在“${township}”`
				});
		});
		if (issues.length > 0)
			return {
				ok: false,
				status: 400,
				error:
					issues.length === 1
						? issues[0]!.message
						: `有 ${issues.length} 处不是本旗区的登记文物或乡镇：没有做任何分配`,
				issues: issues.slice(0, MAX_LISTED)
			};
		const chosen = new Set(body.townships ?? []);
		const assign = [
			...new Set([
				...(body.assign ?? []),
				...sites.filter((site) => chosen.has(site.township)).map((site) => site.code)
			])
		];
		const at = new Date().toISOString();
		const removed = body.unassign ? await tx.teams.unassign(id, body.unassign) : 0;
		const before = new Set(await tx.teams.siteCodes(id));
		const moved = await tx.teams.assign(id, assign, actor.username, at);
		const added = assign.filter((code) => !before.has(code)).length;
		return {
			ok: true,
			value: { sites: (await tx.teams.siteCodes(id)).length, added, moved, removed }
		};
	});
}

/** A team id in a path or a form: a positive integer, or 0 (no team has it) for anything else. */
export function teamIdOf(raw: string): number {
	return /^[1-9]\d{0,9}$/.test(raw) ? Number(raw) : 0;
}

/** A team as the API answers it (`TeamSchema`): members by username, no internal ids. */
export function teamJson(team: TeamRow): Team {
	return {
		id: team.id,
		countyCode: team.countyCode,
		name: team.name,
		createdAt: team.createdAt,
		createdBy: team.createdBy,
		members: team.members.map((m) => ({ username: m.username, displayName: m.displayName }))
	};
}
