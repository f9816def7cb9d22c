import { error, fail, redirect } from '@sveltejs/kit';
import type { Actions, PageServerLoad, RequestEvent } from './$types';
import { m } from '$lib/paraglide/messages.js';
import { app } from '$lib/server/instance.js';
import type { Principal } from '$lib/server/auth/roles.js';
import {
	DEFAULT_SAMPLE_STATUSES,
	draw,
	listSamples,
	planDraw,
	type DrawPlan,
	type SampleOutcome
} from '$lib/server/review/samples.js';
import { COUNTY_CODES } from '$lib/domain/codelists/index.js';
import type { Issue } from '$lib/domain/schemas/common.js';

/** What the draw form holds, as typed: shown again after a refusal or for the confirmation. */
export type DrawValues = {
	percent: string;
	counties: string[];
	statuses: string[];
	seed: string;
	note: string;
};

/** What the preview and the draw answer: the plan to confirm, or what is wrong. */
export type DrawActionResult = {
	values: DrawValues;
	plan?: DrawPlan;
	message?: string;
	/** field → message, beside the field */
	errors?: Record<string, string>;
};

function cityReviewer(event: { locals: App.Locals }): Principal {
	const user = event.locals.user;
	if (!user || user.role !== 'city_reviewer') error(403, m.review_samples_forbidden());
	return user;
}

export const load: PageServerLoad = async (event) => {
	const user = cityReviewer(event);
	const outcome = await listSamples(app().store, user);
	if (!outcome.ok) error(outcome.status, outcome.error);
	return {
		samples: outcome.value.samples,
		defaults: {
			percent: '10',
			counties: [...COUNTY_CODES],
			statuses: [...DEFAULT_SAMPLE_STATUSES],
			seed: '',
			note: ''
		} satisfies DrawValues
	};
};

const text = (data: FormData, name: string): string => {
	const value = data.get(name);
	return typeof value === 'string' ? value : '';
};

function valuesOf(data: FormData): DrawValues {
	const all = (name: string) => data.getAll(name).filter((v): v is string => typeof v === 'string');
	return {
		percent: text(data, 'percent').trim(),
		counties: all('counties'),
		statuses: all('statuses'),
		seed: text(data, 'seed').trim(),
		note: text(data, 'note').trim()
	};
}

/** The API's body from the form: a percent that is not a number stays text, so it is refused. */
function bodyOf(values: DrawValues) {
	const percent = values.percent.replace(/[%％]$/, '').trim();
	return {
		percent: percent !== '' && Number.isFinite(Number(percent)) ? Number(percent) : percent,
		counties: values.counties,
		statuses: values.statuses,
		...(values.seed ? { seed: values.seed } : {}),
		...(values.note ? { note: values.note } : {})
	};
}

const FIELD_MESSAGES: Record<string, () => string> = {
	percent: m.review_samples_error_percent,
	counties: m.review_samples_error_counties,
	statuses: m.review_samples_error_statuses,
	seed: m.review_samples_error_seed,
	note: m.review_samples_error_note
};

function fieldErrors(issues: Issue[] | undefined): Record<string, string> {
	const errors: Record<string, string> = {};
	for (const issue of issues ?? []) {
		const field = issue.path.split('.')[0] ?? '';
		const message = FIELD_MESSAGES[field];
		if (message) errors[field] ??= message();
	}
	return errors;
}

function refused(outcome: Extract<SampleOutcome<unknown>, { ok: false }>, values: DrawValues) {
	if (outcome.status === 403) error(403, m.review_samples_forbidden());
	const errors = fieldErrors(outcome.issues);
	const message =
		outcome.status === 422
			? m.review_samples_empty()
			: Object.keys(errors).length > 0
				? m.review_samples_fix()
				: outcome.error;
	return fail(outcome.status, { values, message, errors } satisfies DrawActionResult);
}

async function formOf(event: RequestEvent) {
	const user = cityReviewer(event);
	return { user, values: valuesOf(await event.request.formData()) };
}

export const actions: Actions = {
	/** 预览: what the draw would take per county, for the reviewer to confirm. Nothing is stored. */
	preview: async (event) => {
		const { user, values } = await formOf(event);
		const outcome = await planDraw(app().store, user, bodyOf(values));
		if (!outcome.ok) return refused(outcome, values);
		return { values, plan: outcome.value } satisfies DrawActionResult;
	},

	/** 确认抽取: draws and opens the new sample. */
	draw: async (event) => {
		const { user, values } = await formOf(event);
		const outcome = await draw(app().store, user, bodyOf(values));
		if (!outcome.ok) return refused(outcome, values);
		redirect(303, `/review/samples/${outcome.value.sample.id}`);
	}
};
