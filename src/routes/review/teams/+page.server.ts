import { error, fail } from '@sveltejs/kit';
import type { Actions, PageServerLoad, RequestEvent } from './$types';
import { m } from '$lib/paraglide/messages.js';
import { app } from '$lib/server/instance.js';
import {
	assignSites,
	changeTeam,
	createTeam,
	deleteTeam,
	listTeams,
	teamCandidates,
	teamIdOf,
	type TeamOutcome
} from '$lib/server/teams.js';
import type { Principal } from '$lib/server/auth/roles.js';
import { inScope } from '$lib/server/auth/roles.js';
import { COUNTY_CODES, type CountyCode } from '$lib/domain/codelists/index.js';

/** What every action answers: the page shows it beside the team (or the new-team form). */
type TeamActionResult = {
	action: 'create' | 'update' | 'delete' | 'assign';
	ok: boolean;
	/** the team concerned; null for a new one */
	teamId: number | null;
	message: string;
	/** field → message ('name', 'members') */
	errors?: Record<string, string>;
	/** member username → why it cannot join */
	memberErrors?: Record<string, string>;
	/** what was entered, shown again after a refusal */
	values?: { name: string; members: string[] };
};

function reviewer(event: { locals: App.Locals }): Principal {
	const user = event.locals.user;
	if (!user || user.role === 'surveyor') error(403, m.review_teams_forbidden());
	return user;
}

/** The county the page shows: `?county=` when it is the user's, else the user's first. */
function pageCounty(user: Principal, url: URL): CountyCode {
	const asked = url.searchParams.get('county');
	if (asked !== null && asked !== '') {
		if (!(COUNTY_CODES as readonly string[]).includes(asked))
			error(400, m.review_teams_bad_county({ county: asked.slice(0, 20) }));
		if (!inScope(user, asked)) error(403, m.review_teams_out_of_scope({ county: asked }));
		return asked as CountyCode;
	}
	return user.counties[0]!;
}

/** The county's townships with their registered sites, and how many each team holds there. */
function townshipsOf(
	sites: readonly { code: string; township: string }[],
	assignments: Map<string, number>
) {
	const byName = new Map<string, { name: string; total: number; teams: Record<number, number> }>();
	for (const site of sites) {
		const entry = byName.get(site.township) ?? { name: site.township, total: 0, teams: {} };
		entry.total += 1;
		const team = assignments.get(site.code);
		if (team !== undefined) entry.teams[team] = (entry.teams[team] ?? 0) + 1;
		byName.set(site.township, entry);
	}
	return [...byName.values()].sort((a, b) => a.name.localeCompare(b.name, 'zh-CN'));
}

export const load: PageServerLoad = async (event) => {
	const user = reviewer(event);
	const county = pageCounty(user, event.url);
	const store = app().store;
	const [teams, candidates, counts, work] = await Promise.all([
		listTeams(store, user, county),
		teamCandidates(store, user, county),
		store.read((tx) => tx.teams.recordCounts(county)),
		store.read(async (tx) => ({
			sites: await tx.registry.ofCounty(county),
			assignments: await tx.teams.assignments(county),
			progress: await tx.teams.progress(county)
		}))
	]);
	if (!teams.ok) error(teams.status, teams.error);
	if (!candidates.ok) error(candidates.status, candidates.error);
	return {
		county,
		counties: user.counties,
		teams: teams.value.map((t) => ({
			id: t.id,
			name: t.name,
			createdAt: t.createdAt,
			createdBy: t.createdBy,
			members: t.members.map((mb) => ({ username: mb.username, displayName: mb.displayName })),
			records: counts.get(t.id) ?? {},
			progress: work.progress.get(t.id) ?? { assigned: 0, rechecked: 0, accepted: 0 }
		})),
		candidates: candidates.value,
		townships: townshipsOf(work.sites, work.assignments),
		sites: { total: work.sites.length, assigned: work.assignments.size },
		// the county's sites on the assignment map (a reviewer of the county sees them exactly)
		points: work.sites.map((site) => ({
			code: site.code,
			name: site.name,
			township: site.township,
			lat: site.location.lat,
			lon: site.location.lon,
			team: work.assignments.get(site.code) ?? null
		}))
	};
};

const text = (data: FormData, name: string): string => {
	const value = data.get(name);
	return typeof value === 'string' ? value : '';
};

function refused(
	outcome: Extract<TeamOutcome<unknown>, { ok: false }>,
	result: Omit<TeamActionResult, 'ok' | 'message' | 'errors' | 'memberErrors'>
) {
	if (outcome.status === 403) error(403, outcome.error);
	const errors: Record<string, string> = {};
	const memberErrors: Record<string, string> = {};
	for (const issue of outcome.issues ?? []) {
		const [field, index] = issue.path.split('.');
		const member = index !== undefined ? result.values?.members[Number(index)] : undefined;
		if (field === 'members' && member !== undefined) memberErrors[member] ??= issue.message;
		else errors[field || 'form'] ??= issue.message;
	}
	return fail(outcome.status, {
		...result,
		ok: false,
		// the problems of the members are listed one by one under this
		message:
			Object.keys(memberErrors).length > 0 ? m.review_teams_member_problems() : outcome.error,
		errors,
		memberErrors
	} satisfies TeamActionResult);
}

async function formOf(event: RequestEvent) {
	const actor = reviewer(event);
	const data = await event.request.formData();
	const members = data.getAll('members').filter((v): v is string => typeof v === 'string');
	return { actor, data, values: { name: text(data, 'name').trim(), members } };
}

/** The team a form names; a missing or malformed id answers as an unknown team. */
const formTeamId = (data: FormData) => teamIdOf(text(data, 'teamId'));

export const actions: Actions = {
	create: async (event) => {
		const { actor, data, values } = await formOf(event);
		const outcome = await createTeam(app().store, actor, {
			countyCode: text(data, 'county'),
			name: values.name,
			members: values.members
		});
		if (!outcome.ok) return refused(outcome, { action: 'create', teamId: null, values });
		return {
			action: 'create',
			ok: true,
			teamId: outcome.value.id,
			message: m.review_teams_created({ name: outcome.value.name })
		} satisfies TeamActionResult;
	},

	update: async (event) => {
		const { actor, data, values } = await formOf(event);
		const teamId = formTeamId(data);
		const outcome = await changeTeam(app().store, actor, teamId, {
			name: values.name,
			members: values.members
		});
		if (!outcome.ok) return refused(outcome, { action: 'update', teamId, values });
		return {
			action: 'update',
			ok: true,
			teamId,
			message: m.review_teams_updated({ name: outcome.value.name })
		} satisfies TeamActionResult;
	},

	/** Assigns the sites of the ticked townships to the team, or takes them off it. */
	assign: async (event) => {
		const { actor, data } = await formOf(event);
		const teamId = formTeamId(data);
		const strings = (name: string) =>
			data.getAll(name).filter((v): v is string => typeof v === 'string');
		const townships = strings('townships');
		// the sites picked on the map
		const codes = strings('codes');
		const store = app().store;
		let body: unknown = { townships, assign: codes };
		if (text(data, 'mode') === 'unassign') {
			// the team's sites in those townships (the server checks the team and its county)
			const team = await store.teams.byId(teamId);
			const chosen = new Set(townships);
			const sites = team ? await store.registry.ofCounty(team.countyCode) : [];
			body = {
				unassign: [
					...new Set([
						...sites.filter((site) => chosen.has(site.township)).map((site) => site.code),
						...codes
					])
				]
			};
		}
		const outcome = await assignSites(store, actor, teamId, body);
		if (!outcome.ok) {
			const refusedWith =
				townships.length === 0 && codes.length === 0
					? m.review_teams_pick_township()
					: outcome.error;
			return refused({ ...outcome, error: refusedWith, issues: [] }, { action: 'assign', teamId });
		}
		const { added, moved, removed, sites } = outcome.value;
		return {
			action: 'assign',
			ok: true,
			teamId,
			message:
				text(data, 'mode') === 'unassign'
					? m.review_teams_unassigned({ removed, sites })
					: moved > 0
						? m.review_teams_assigned({ added, moved, sites })
						: m.review_teams_assigned_plain({ added, sites })
		} satisfies TeamActionResult;
	},

	delete: async (event) => {
		const { actor, data } = await formOf(event);
		const teamId = formTeamId(data);
		const outcome = await deleteTeam(app().store, actor, teamId);
		if (!outcome.ok) return refused(outcome, { action: 'delete', teamId });
		return {
			action: 'delete',
			ok: true,
			teamId,
			message: m.review_teams_deleted({ name: outcome.value.name })
		} satisfies TeamActionResult;
	}
};
