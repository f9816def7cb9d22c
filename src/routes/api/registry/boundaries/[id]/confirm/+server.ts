import { json } from '@sveltejs/kit';
import { parseWith } from '$lib/domain/schemas/common.js';
import { RegistryImportConfirmBodySchema } from '$lib/domain/sync/wire.js';
import { app } from '$lib/server/instance.js';
import { badRequest, endpoint, readJson } from '$lib/server/http.js';
import { requireRegistryImporter } from '$lib/server/registry-import/guard.js';
import { confirmCounties } from '$lib/server/registry-import/boundaries.js';

/** Puts the checked boundaries in force `{plan}`, or refuses (409, 422). */
export const POST = endpoint(async (event) => {
	const user = requireRegistryImporter(event);
	const parsed = parseWith(
		RegistryImportConfirmBodySchema,
		await readJson(event.request, 4 * 1024)
	);
	if (!parsed.ok) throw badRequest('请求应为 {plan}', parsed.issues);
	return json(await confirmCounties(app(), user, event.params.id ?? '', parsed.value.plan));
});
