import type { DataStore } from './db/store.js';
import type { Principal } from './auth/roles.js';
import type { RegisteredSite } from '../domain/schemas/site.js';
import type { RegistryAssignment, RegistrySummary } from '../domain/sync/wire.js';

/*
 * A team's registry on the device (contract §3 *Teams*, issue 13 point 2, field side): the
 * registered sites assigned to the surveyor's team now, and what a download of them or of the
 * whole county would weigh.
 */

/** Bytes of `{"sites":[…],"cursor":"…"}` around the sites' own JSON (a cursor of ≤ 16 digits). */
const ENVELOPE_BYTES = 40;
/** Bytes an `assignment` adds (a team name of ≤ 40 characters, a 43-character token). */
const ASSIGNMENT_BYTES = 260;

function answerBytes(size: { sites: number; bytes: number }, envelope: number): number {
	return size.bytes + Math.max(0, size.sites - 1) + envelope;
}

export type TeamRegistryOutcome =
	| { ok: true; sites: RegisteredSite[]; cursor: number; assignment: RegistryAssignment }
	| { ok: false; error: string };

/**
 * The sites assigned to the user's team changed after `since` (all with 0), the registry's
 * cursor, and the assignment; refused when the user is in no team or its team has no site.
 */
export async function teamRegistry(
	store: DataStore,
	user: Principal,
	since: number
): Promise<TeamRegistryOutcome> {
	return store.read(async (tx) => {
		const team = await tx.teams.teamOf(user.id);
		if (!team)
			return {
				ok: false,
				error: `账号 ${user.username} 不在任何普查队中：请下载全旗区名录（scope=county），或请审核人员把您加入普查队`
			};
		const mark = await tx.teams.assignmentMark(team.id, user.counties);
		if (mark.sites === 0)
			return {
				ok: false,
				error: `普查队“${team.name}”还没有分配文物：请下载全旗区名录（scope=county），或请审核人员先分配`
			};
		const { sites, cursor } = await tx.teams.assignedSitesSince(team.id, user.counties, since);
		return {
			ok: true,
			sites,
			cursor,
			assignment: { teamId: team.id, teamName: team.name, sites: mark.sites, token: mark.token }
		};
	});
}

/** `GET /api/registry/summary`: the county's sites and the team's, with their sizes. */
export async function registrySummary(store: DataStore, user: Principal): Promise<RegistrySummary> {
	return store.read(async (tx) => {
		const county = await tx.teams.registrySize(user.counties);
		const team = await tx.teams.teamOf(user.id);
		const assigned = team ? await tx.teams.registrySize(user.counties, team.id) : undefined;
		return {
			county: { sites: county.sites, bytes: answerBytes(county, ENVELOPE_BYTES) },
			team:
				team && assigned && assigned.sites > 0
					? {
							id: team.id,
							name: team.name,
							sites: assigned.sites,
							bytes: answerBytes(assigned, ENVELOPE_BYTES + ASSIGNMENT_BYTES)
						}
					: null
		};
	});
}
