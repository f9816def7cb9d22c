import { error, fail, redirect } from '@sveltejs/kit';
import type { Actions, PageServerLoad, RequestEvent } from './$types';
import { m } from '$lib/paraglide/messages.js';
import { app } from '$lib/server/instance.js';
import { countiesFor, inScope, type Principal } from '$lib/server/auth/roles.js';
import { tokenOf } from '$lib/server/auth/session.js';
import {
	cancelPrintJob,
	publicView,
	readPrintJob,
	startPrintJob
} from '$lib/server/print/service.js';
import { COUNTY_CODES, type CountyCode } from '$lib/domain/codelists/index.js';
import { DEFAULT_PRINT_STATUSES, PRINT_MAX_FORMS } from '$lib/domain/sync/wire.js';

function reviewer(event: { locals: App.Locals }): Principal {
	const user = event.locals.user;
	if (!user || user.role === 'surveyor') error(403, m.batch_forbidden());
	return user;
}

/** `?county=` (one of the user's; the first of them when absent). */
function countyOf(user: Principal, url: URL): CountyCode {
	const asked = url.searchParams.get('county');
	if (!asked) return countiesFor(user.role, user.counties)[0]!;
	if (!(COUNTY_CODES as readonly string[]).includes(asked))
		error(400, m.batch_bad_county({ county: asked.slice(0, 20) }));
	if (!inScope(user, asked)) error(403, m.batch_out_of_scope({ county: asked }));
	return asked as CountyCode;
}

/** The page's address for a county and a job. */
function here(county: string, job: string | undefined): string {
	const search = new URLSearchParams({ county });
	if (job) search.set('job', job);
	return `/review/print?${search}`;
}

/**
 * The batch print of a county's registration forms (issue 14 point 1): choose the county and the
 * statuses, start, follow the progress (the job's id in the URL survives a reload), download.
 */
export const load: PageServerLoad = async (event) => {
	const user = reviewer(event);
	const { url } = event;
	for (const key of url.searchParams.keys())
		if (key !== 'county' && key !== 'job') error(400, m.batch_bad_query({ key: key.slice(0, 50) }));
	const county = countyOf(user, url);
	const server = app();
	const jobId = url.searchParams.get('job');
	const found = jobId ? readPrintJob(server.printJobs, user, jobId) : undefined;
	const active = server.printJobs.activeOf(user.id);
	return {
		county,
		userCounties: countiesFor(user.role, user.counties) as string[],
		counts: await server.store.records.statusCounts(county),
		defaults: [...DEFAULT_PRINT_STATUSES] as string[],
		max: PRINT_MAX_FORMS,
		unavailable: (await server.printJobs.unavailable()) ?? null,
		job: found?.ok ? publicView(found.value) : null,
		/** a job id in the URL that is no longer there (expired, or the server restarted) */
		gone: jobId !== null && !found?.ok,
		/** the user's job that waits or runs, when the URL shows another */
		active: active && active.id !== jobId ? publicView(active) : null
	};
};

const text = (data: FormData, name: string): string => {
	const value = data.get(name);
	return typeof value === 'string' ? value : '';
};

export const actions: Actions = {
	/** Starts the batch, then shows its progress (the job in the URL). */
	start: async (event: RequestEvent) => {
		const user = reviewer(event);
		const data = await event.request.formData();
		const county = text(data, 'county');
		const statuses = data.getAll('statuses').filter((v): v is string => typeof v === 'string');
		const outcome = await startPrintJob(app(), user, tokenOf(event.request, event.cookies), {
			county,
			...(statuses.length > 0 ? { statuses } : { statuses: [] })
		});
		if (!outcome.ok) {
			return fail(outcome.status, { message: outcome.error, active: outcome.id ?? null });
		}
		redirect(303, here(outcome.value.county, outcome.value.id));
	},
	/** Cancels the job that waits or runs; its page then says so. */
	cancel: async (event: RequestEvent) => {
		const user = reviewer(event);
		const data = await event.request.formData();
		const id = text(data, 'job');
		const outcome = await cancelPrintJob(app().printJobs, user, id);
		if (!outcome.ok) return fail(outcome.status, { message: outcome.error, active: null });
		redirect(303, here(countyOf(user, event.url), outcome.value ? id : undefined));
	}
};
