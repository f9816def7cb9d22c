import { json } from '@sveltejs/kit';
import { parseWith } from '$lib/domain/schemas/common.js';
import { RegistryImportDryRunBodySchema } from '$lib/domain/sync/wire.js';
import { app } from '$lib/server/instance.js';
import { badRequest, endpoint, readJson } from '$lib/server/http.js';
import { requireRegistryImporter } from '$lib/server/registry-import/guard.js';
import { dryRunSites } from '$lib/server/registry-import/service.js';

/** Checks every row under the mapping: the report; writes nothing to the registry. */
export const POST = endpoint(async (event) => {
	const user = requireRegistryImporter(event);
	const parsed = parseWith(
		RegistryImportDryRunBodySchema,
		await readJson(event.request, 64 * 1024)
	);
	if (!parsed.ok) throw badRequest('请求应为 {mapping: {字段: 列名}}', parsed.issues);
	return json(await dryRunSites(app(), user, event.params.id ?? '', parsed.value.mapping));
});
