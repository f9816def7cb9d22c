import { error, fail } from '@sveltejs/kit';
import type { Actions, PageServerLoad } from './$types';
import { m } from '$lib/paraglide/messages.js';
import { app } from '$lib/server/instance.js';
import type { Principal } from '$lib/server/auth/roles.js';
import { conclude, readSample } from '$lib/server/review/samples.js';
import { COUNTY_CODES } from '$lib/domain/codelists/index.js';
import { conclusionLabel } from '../sample-format.js';

/** What the conclusion form answers, shown beside the record it concerns. */
export type ConcludeResult = { recordId: string; ok: boolean; message: string };

function cityReviewer(event: { locals: App.Locals }): Principal {
	const user = event.locals.user;
	if (!user || user.role !== 'city_reviewer') error(403, m.review_samples_forbidden());
	return user;
}

/** One spot check; `?county=C` shows the records of one county. */
export const load: PageServerLoad = async (event) => {
	const user = cityReviewer(event);
	const outcome = await readSample(app().store, user, event.params.id);
	if (!outcome.ok)
		error(outcome.status, outcome.status === 404 ? m.review_samples_missing() : outcome.error);
	const county = event.url.searchParams.get('county');
	const only = county && (COUNTY_CODES as readonly string[]).includes(county) ? county : null;
	return {
		...outcome.value,
		county: only,
		shown: only ? outcome.value.items.filter((i) => i.countyCode === only) : outcome.value.items
	};
};

const text = (data: FormData, name: string): string => {
	const value = data.get(name);
	return typeof value === 'string' ? value : '';
};

export const actions: Actions = {
	/** 合格 / 不合格 on one record, with an optional note; a later one replaces it. */
	conclude: async (event) => {
		const user = cityReviewer(event);
		const data = await event.request.formData();
		const recordId = text(data, 'recordId');
		const note = text(data, 'note').trim();
		const outcome = await conclude(app().store, user, event.params.id, recordId, {
			conclusion: text(data, 'conclusion'),
			...(note ? { note } : {})
		});
		if (!outcome.ok) {
			if (outcome.status === 403) error(403, m.review_samples_forbidden());
			const message =
				outcome.status === 404
					? m.review_samples_not_in_sample()
					: outcome.issues?.some((i) => i.path === 'note')
						? m.review_samples_error_note()
						: m.review_samples_error_conclusion();
			return fail(outcome.status, { recordId, ok: false, message } satisfies ConcludeResult);
		}
		const { item } = outcome.value;
		return {
			recordId,
			ok: true,
			message: m.review_samples_concluded({
				conclusion: item.conclusion ? conclusionLabel(item.conclusion) : ''
			})
		} satisfies ConcludeResult;
	}
};
