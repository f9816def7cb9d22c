import { createHash } from 'node:crypto';
import { sql } from 'kysely';
import type { Db } from './connection.js';
import type { RegisteredSite } from '../../domain/schemas/site.js';
import type { CountyCode } from '../../domain/codelists/index.js';

/** A team member as the review area shows it. */
export type TeamMemberRow = { id: number; username: string; displayName: string | null };

export type TeamRow = {
	id: number;
	countyCode: CountyCode;
	name: string;
	createdAt: string;
	createdBy: string;
	/** by username */
	members: TeamMemberRow[];
};

/** A county's survey teams (普查队) and their surveyors (migration 0010; ../teams.ts). */
export class TeamRepository {
	constructor(private readonly db: Db) {}

	/** The teams of `counties` with their members, by county and name; every team without. */
	async list(counties?: readonly string[]): Promise<TeamRow[]> {
		if (counties?.length === 0) return [];
		const teams = await this.db
			.selectFrom('teams')
			.selectAll()
			.$if(counties !== undefined, (b) => b.where('county_code', 'in', [...counties!]))
			.orderBy('county_code')
			.orderBy('name')
			.orderBy('id')
			.execute();
		if (teams.length === 0) return [];
		const members = await this.db
			.selectFrom('team_members as m')
			.innerJoin('users as u', 'u.id', 'm.user_id')
			.select(['m.team_id', 'u.id', 'u.username', 'u.display_name'])
			.where(
				'm.team_id',
				'in',
				teams.map((t) => t.id)
			)
			.orderBy('u.username')
			.execute();
		return teams.map((t) => ({
			id: t.id,
			countyCode: t.county_code as CountyCode,
			name: t.name,
			createdAt: t.created_at,
			createdBy: t.created_by,
			members: members
				.filter((m) => m.team_id === t.id)
				.map((m) => ({ id: m.id, username: m.username, displayName: m.display_name }))
		}));
	}

	async byId(id: number): Promise<TeamRow | undefined> {
		const row = await this.db
			.selectFrom('teams')
			.select('county_code')
			.where('id', '=', id)
			.executeTakeFirst();
		if (!row) return undefined;
		return (await this.list([row.county_code])).find((t) => t.id === id);
	}

	/** The id of the county's team called `name`, if there is one. */
	async idByName(countyCode: string, name: string): Promise<number | undefined> {
		const row = await this.db
			.selectFrom('teams')
			.select('id')
			.where('county_code', '=', countyCode)
			.where('name', '=', name)
			.executeTakeFirst();
		return row?.id;
	}

	/** The team each of `userIds` is in (users in none are left out). */
	async teamsOf(userIds: readonly number[]): Promise<Map<number, { id: number; name: string }>> {
		if (userIds.length === 0) return new Map();
		const rows = await this.db
			.selectFrom('team_members as m')
			.innerJoin('teams as t', 't.id', 'm.team_id')
			.select(['m.user_id', 't.id', 't.name'])
			.where('m.user_id', 'in', [...userIds])
			.execute();
		return new Map(rows.map((r) => [r.user_id, { id: r.id, name: r.name }]));
	}

	/** The accounts of a team's members. */
	async memberIds(teamId: number): Promise<number[]> {
		const rows = await this.db
			.selectFrom('team_members')
			.select('user_id')
			.where('team_id', '=', teamId)
			.execute();
		return rows.map((r) => r.user_id);
	}

	/** Makes a team; call inside DataStore.write. */
	async create(input: {
		countyCode: string;
		name: string;
		createdBy: string;
		at: string;
	}): Promise<number> {
		const row = await this.db
			.insertInto('teams')
			.values({
				county_code: input.countyCode,
				name: input.name,
				created_at: input.at,
				created_by: input.createdBy
			})
			.returning('id')
			.executeTakeFirstOrThrow();
		return row.id;
	}

	async rename(id: number, name: string): Promise<void> {
		await this.db.updateTable('teams').set({ name }).where('id', '=', id).execute();
	}

	/**
	 * Makes `userIds` the team's members: the others leave it, and a member who stays keeps
	 * when they joined. The caller has checked none is in another team.
	 */
	async setMembers(teamId: number, userIds: readonly number[], at: string): Promise<void> {
		const current = await this.memberIds(teamId);
		const leaving = current.filter((id) => !userIds.includes(id));
		const joining = userIds.filter((id) => !current.includes(id));
		if (leaving.length > 0)
			await this.db.deleteFrom('team_members').where('user_id', 'in', leaving).execute();
		if (joining.length > 0)
			await this.db
				.insertInto('team_members')
				.values(joining.map((user_id) => ({ user_id, team_id: teamId, added_at: at })))
				.execute();
	}

	/**
	 * Each team's records of `county` per status: the records its members pushed first (their
	 * work so far, whoever is in the team now).
	 */
	async recordCounts(county: string): Promise<Map<number, Partial<Record<string, number>>>> {
		const rows = await this.db
			.selectFrom('records as r')
			.innerJoin('team_members as m', 'm.user_id', 'r.owner_id')
			.select(['m.team_id', 'r.status', (eb) => eb.fn.countAll<number | string>().as('n')])
			.where('r.county_code', '=', county)
			.groupBy(['m.team_id', 'r.status'])
			.execute();
		const counts = new Map<number, Partial<Record<string, number>>>();
		for (const row of rows) {
			const team = counts.get(row.team_id) ?? {};
			team[row.status] = Number(row.n);
			counts.set(row.team_id, team);
		}
		return counts;
	}

	/** The codes of the sites assigned to a team, in code order. */
	async siteCodes(teamId: number): Promise<string[]> {
		const rows = await this.db
			.selectFrom('team_sites')
			.select('site_code')
			.where('team_id', '=', teamId)
			.orderBy('site_code')
			.execute();
		return rows.map((r) => r.site_code);
	}

	/** Site code → the team it is assigned to, for the sites of `county` that are. */
	async assignments(county: string): Promise<Map<string, number>> {
		const rows = await this.db
			.selectFrom('team_sites as s')
			.innerJoin('teams as t', 't.id', 's.team_id')
			.select(['s.site_code', 's.team_id'])
			.where('t.county_code', '=', county)
			.execute();
		return new Map(rows.map((r) => [r.site_code, r.team_id]));
	}

	/**
	 * Assigns `codes` to the team; a site assigned to another team moves to this one. Answers how
	 * many moved. Call inside DataStore.write.
	 */
	async assign(teamId: number, codes: readonly string[], by: string, at: string): Promise<number> {
		let moved = 0;
		for (let i = 0; i < codes.length; i += 500) {
			const part = codes.slice(i, i + 500);
			const held = await this.db
				.selectFrom('team_sites')
				.select('site_code')
				.where('site_code', 'in', part)
				.where('team_id', '<>', teamId)
				.execute();
			moved += held.length;
			await this.db
				.insertInto('team_sites')
				.values(
					part.map((site_code) => ({
						site_code,
						team_id: teamId,
						assigned_at: at,
						assigned_by: by
					}))
				)
				.onConflict((oc) =>
					oc.column('site_code').doUpdateSet((eb) => ({
						team_id: eb.ref('excluded.team_id'),
						assigned_at: eb.ref('excluded.assigned_at'),
						assigned_by: eb.ref('excluded.assigned_by')
					}))
				)
				.execute();
		}
		return moved;
	}

	/** Takes `codes` off the team (sites of other teams stay theirs). Answers how many it had. */
	async unassign(teamId: number, codes: readonly string[]): Promise<number> {
		let removed = 0;
		for (let i = 0; i < codes.length; i += 500) {
			const result = await this.db
				.deleteFrom('team_sites')
				.where('team_id', '=', teamId)
				.where('site_code', 'in', codes.slice(i, i + 500))
				.executeTakeFirst();
			removed += Number(result.numDeletedRows);
		}
		return removed;
	}

	/**
	 * Each team's progress on its assigned sites of `county`: how many have a record (复查) and
	 * how many of those the city accepted (or published).
	 */
	async progress(
		county: string
	): Promise<Map<number, { assigned: number; rechecked: number; accepted: number }>> {
		const rows = await this.db
			.selectFrom('team_sites as s')
			.innerJoin('teams as t', 't.id', 's.team_id')
			.leftJoin(
				(eb) =>
					eb
						.selectFrom('records')
						.select([
							'site_code',
							(e) =>
								e.fn
									.max(
										e.case().when('status', 'in', ['accepted', 'published']).then(1).else(0).end()
									)
									.as('done')
						])
						.where('county_code', '=', county)
						.where('site_code', 'is not', null)
						.groupBy('site_code')
						.as('r'),
				(join) => join.onRef('r.site_code', '=', 's.site_code')
			)
			.select([
				's.team_id',
				(eb) => eb.fn.countAll<number | string>().as('assigned'),
				(eb) => eb.fn.count<number | string>('r.site_code').as('rechecked'),
				(eb) => eb.fn.sum<number | string | null>('r.done').as('accepted')
			])
			.where('t.county_code', '=', county)
			.groupBy('s.team_id')
			.execute();
		return new Map(
			rows.map((r) => [
				r.team_id,
				{
					assigned: Number(r.assigned),
					rechecked: Number(r.rechecked),
					accepted: Number(r.accepted ?? 0)
				}
			])
		);
	}

	// ---- a team's registry on the device (issue 13 point 2, field side) -----------------------

	/** The team an account is in now, if any. */
	async teamOf(
		userId: number
	): Promise<{ id: number; name: string; countyCode: string } | undefined> {
		const row = await this.db
			.selectFrom('team_members as m')
			.innerJoin('teams as t', 't.id', 'm.team_id')
			.select(['t.id', 't.name', 't.county_code'])
			.where('m.user_id', '=', userId)
			.executeTakeFirst();
		return row && { id: row.id, name: row.name, countyCode: row.county_code };
	}

	/**
	 * How many registered sites of `counties` are assigned to the team, and a token of exactly
	 * that set of codes (the SHA-256 of the team's id and its sorted codes): any assign or
	 * unassign that changes the set changes the token, and nothing else does.
	 */
	async assignmentMark(
		teamId: number,
		counties: readonly string[]
	): Promise<{ sites: number; token: string }> {
		const hash = createHash('sha256').update(`team:${teamId}`);
		let sites = 0;
		if (counties.length > 0) {
			const rows = await this.db
				.selectFrom('team_sites as a')
				.innerJoin('sites as s', 's.code', 'a.site_code')
				.select('a.site_code')
				.where('a.team_id', '=', teamId)
				.where('s.county_code', 'in', [...counties])
				.orderBy('a.site_code')
				.execute();
			for (const row of rows) hash.update(`\n${row.site_code}`);
			sites = rows.length;
		}
		return { sites, token: hash.digest('base64url') };
	}

	/**
	 * The registered sites of `counties` assigned to the team whose change is after `since` (0:
	 * all), in change order, and the registry's cursor. Read inside DataStore.read.
	 */
	async assignedSitesSince(
		teamId: number,
		counties: readonly string[],
		since: number
	): Promise<{ sites: RegisteredSite[]; cursor: number }> {
		// the registry's cursor, as RegistryRepository.changedSince answers it
		const top = await this.db
			.selectFrom('sites')
			.select((eb) => eb.fn.max('seq').as('s'))
			.executeTakeFirst();
		const cursor = Math.max(since, Number(top?.s ?? 0));
		if (counties.length === 0) return { sites: [], cursor };
		const rows = await this.db
			.selectFrom('team_sites as a')
			.innerJoin('sites as s', 's.code', 'a.site_code')
			.select('s.data')
			.where('a.team_id', '=', teamId)
			.where('s.county_code', 'in', [...counties])
			.where('s.seq', '>', since)
			.orderBy('s.seq')
			.execute();
		return { sites: rows.map((row) => JSON.parse(row.data) as RegisteredSite), cursor };
	}

	/**
	 * How many registered sites of `counties` there are and the UTF-8 bytes of their JSON,
	 * all of them or (with `teamId`) those assigned to the team; summed by the database.
	 */
	async registrySize(
		counties: readonly string[],
		teamId?: number
	): Promise<{ sites: number; bytes: number }> {
		if (counties.length === 0) return { sites: 0, bytes: 0 };
		const row = await this.db
			.selectFrom('sites as s')
			.$if(teamId !== undefined, (q) =>
				q.innerJoin('team_sites as a', 'a.site_code', 's.code').where('a.team_id', '=', teamId!)
			)
			.select([
				(eb) => eb.fn.countAll<number | string>().as('n'),
				(eb) => eb.fn.sum<number | string | null>(sql`octet_length(s.data)`).as('bytes')
			])
			.where('s.county_code', 'in', [...counties])
			.executeTakeFirstOrThrow();
		return { sites: Number(row.n), bytes: Number(row.bytes ?? 0) };
	}

	// ---- teammates' records on the device (issue 13 point 2, device side; contract §3 *Teams*) ---

	/**
	 * The team whose members' records a surveyor's pull brings besides its own: the account's
	 * team now, when that team's county is one of `counties`, with its other members and a
	 * token of exactly that roster (the SHA-256 of the team, its county and its sorted member
	 * ids). Joining, leaving and deleting a team change the token, and nothing else does.
	 */
	async roster(
		userId: number,
		counties: readonly string[]
	): Promise<
		| {
				id: number;
				name: string;
				countyCode: string;
				token: string;
				members: TeamMemberRow[];
		  }
		| undefined
	> {
		const team = await this.teamOf(userId);
		if (!team || !counties.includes(team.countyCode)) return undefined;
		const rows = await this.db
			.selectFrom('team_members as m')
			.innerJoin('users as u', 'u.id', 'm.user_id')
			.select(['u.id', 'u.username', 'u.display_name'])
			.where('m.team_id', '=', team.id)
			.orderBy('u.id')
			.execute();
		const hash = createHash('sha256').update(`team:${team.id}:${team.countyCode}`);
		for (const row of rows) hash.update(`\n${row.id}`);
		return {
			...team,
			token: hash.digest('base64url'),
			members: rows
				.filter((r) => r.id !== userId)
				.map((r) => ({ id: r.id, username: r.username, displayName: r.display_name }))
		};
	}

	/**
	 * Every record of `county` whose author is one of `ownerIds`: its id, revision, status and
	 * author, in id order (the index a device reconciles its teammates' records against).
	 */
	async recordsOfOwners(
		ownerIds: readonly number[],
		county: string
	): Promise<{ id: string; revision: number; status: string; ownerId: number }[]> {
		if (ownerIds.length === 0) return [];
		const rows = await this.db
			.selectFrom('records')
			.select(['id', 'revision', 'status', 'owner_id'])
			.where('county_code', '=', county)
			.where('owner_id', 'in', [...ownerIds])
			.orderBy('id')
			.execute();
		return rows.map((r) => ({
			id: r.id,
			revision: r.revision,
			status: r.status,
			ownerId: r.owner_id
		}));
	}

	/** Removes a team; its members are in no team and its sites with none afterwards. */
	async remove(id: number): Promise<void> {
		await this.db.deleteFrom('team_sites').where('team_id', '=', id).execute();
		await this.db.deleteFrom('team_members').where('team_id', '=', id).execute();
		await this.db.deleteFrom('teams').where('id', '=', id).execute();
	}
}
