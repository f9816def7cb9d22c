import { error, fail } from '@sveltejs/kit';
import type { Actions, PageServerLoad, RequestEvent } from './$types';
import { m } from '$lib/paraglide/messages.js';
import { app } from '$lib/server/instance.js';
import {
	changeTeam,
	createTeam,
	deleteTeam,
	listTeams,
	teamCandidates,
	type TeamOutcome
} from '$lib/server/teams.js';
import type { Principal } from '$lib/server/auth/roles.js';
import { inScope } from '$lib/server/auth/roles.js';
import { COUNTY_CODES, type CountyCode } from '$lib/domain/codelists/index.js';

/** What every action answers: the page shows it beside the team (or the new-team form). */
type TeamActionResult = {
	action: 'create' | 'update' | 'delete';
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

export const load: PageServerLoad = async (event) => {
	const user = reviewer(event);
	const county = pageCounty(user, event.url);
	const store = app().store;
	const [teams, candidates, counts] = await Promise.all([
		listTeams(store, user, county),
		teamCandidates(store, user, county),
		store.read((tx) => tx.teams.recordCounts(county))
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
			records: counts.get(t.id) ?? {}
		})),
		candidates: candidates.value
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
const formTeamId = (data: FormData) => {
	const raw = text(data, 'teamId');
	return /^[1-9]\d{0,9}$/.test(raw) ? Number(raw) : 0;
};

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
