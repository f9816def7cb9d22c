import { json } from '@sveltejs/kit';
import type { RequestEvent } from './$types';
import { parseWith } from '$lib/domain/schemas/common.js';
import type { DecisionResponse } from '$lib/domain/sync/wire.js';
import { app } from '$lib/server/instance.js';
import { badRequest, endpoint, HttpError, readJson, requireUser } from '$lib/server/http.js';
import { decide, DecisionBodySchema } from '$lib/server/review/decision.js';

export const POST = endpoint(async (event: RequestEvent) => {
	const user = requireUser(event);
	const parsed = parseWith(DecisionBodySchema, await readJson(event.request, 256 * 1024));
	if (!parsed.ok) throw badRequest('审核请求应为 {decision, revision, comments}', parsed.issues);
	const server = app();
	const outcome = await decide(server.store, user, event.params.id, parsed.value);
	if (!outcome.ok) throw new HttpError(outcome.status, outcome.error);
	return json({ status: outcome.status, revision: outcome.revision } satisfies DecisionResponse);
});
