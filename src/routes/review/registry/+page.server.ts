import { error, fail, redirect } from '@sveltejs/kit';
import type { Actions, PageServerLoad } from './$types';
import { m } from '$lib/paraglide/messages.js';
import { app } from '$lib/server/instance.js';
import type { Principal } from '$lib/server/auth/roles.js';
import { listVersions, publish } from '$lib/server/registry/publish.js';

/** What the publish form answers after a refusal: the note as typed and what is wrong. */
export type PublishActionResult = { note: string; message: string };

function reviewer(event: { locals: App.Locals }): Principal {
	const user = event.locals.user;
	if (!user || user.role === 'surveyor') error(403, m.review_registry_forbidden());
	return user;
}

/** The published versions; for the city reviewer, how many records wait for publication. */
export const load: PageServerLoad = async (event) => {
	const user = reviewer(event);
	const store = app().store;
	const outcome = await listVersions(store, user);
	if (!outcome.ok) error(outcome.status, outcome.error);
	const published = Number(event.url.searchParams.get('published'));
	return {
		versions: outcome.value.versions,
		canPublish: user.role === 'city_reviewer',
		pending: user.role === 'city_reviewer' ? await store.records.countAccepted() : 0,
		published: outcome.value.versions.find((v) => v.version === published) ?? null
	};
};

export const actions: Actions = {
	/** 发布: every accepted record into the next version; then the list says what was published. */
	publish: async (event) => {
		const user = reviewer(event);
		const data = await event.request.formData();
		const raw = data.get('note');
		const note = typeof raw === 'string' ? raw : '';
		const outcome = await publish(app().store, user, { note });
		if (!outcome.ok) {
			if (outcome.status === 403) error(403, m.review_registry_only_city());
			const message = outcome.status === 400 ? m.review_registry_note_missing() : outcome.error;
			return fail(outcome.status, { note, message } satisfies PublishActionResult);
		}
		app().published(outcome.value.version);
		redirect(303, `/review/registry?published=${outcome.value.version}`);
	}
};
