import { json } from '@sveltejs/kit';
import type { RequestEvent } from './$types';
import { nulIssues, parseWith } from '$lib/domain/schemas/common.js';
import type { CorrectionResponse } from '$lib/domain/sync/wire.js';
import { app } from '$lib/server/instance.js';
import { badRequest, endpoint, HttpError, readJson, requireUser } from '$lib/server/http.js';
import { correct, CorrectionBodySchema } from '$lib/server/review/correction.js';

export const POST = endpoint(async (event: RequestEvent) => {
	const user = requireUser(event);
	const body = await readJson(event.request, 256 * 1024);
	const nul = nulIssues(body);
	if (nul.length > 0) throw badRequest('更正请求中有空字符（U+0000）', nul);
	const parsed = parseWith(CorrectionBodySchema, body);
	if (!parsed.ok) throw badRequest('更正请求应为 {revision, changes, reason}', parsed.issues);
	const outcome = await correct(app(), user, event.params.id, parsed.value);
	if (!outcome.ok) throw new HttpError(outcome.status, outcome.error, outcome.issues);
	const { status, revision, changed } = outcome;
	return json({ status, revision, changed } satisfies CorrectionResponse);
});
