import { app } from '$lib/server/instance.js';
import { allowQuery, endpoint, HttpError, requireUser } from '$lib/server/http.js';
import { contentDisposition } from '$lib/server/registry/export/index.js';
import { quarterlyFor } from '$lib/server/stats/quarterly-request.js';
import { quarterlyFileName, quarterlyXlsx } from '$lib/server/stats/quarterly-xlsx.js';

/** The quarterly progress report (contract §3 *Quarterly report*) as an XLSX download. */
export const GET = endpoint(async (event) => {
	const user = requireUser(event);
	allowQuery(event.url, ['quarter', 'county']);
	const outcome = await quarterlyFor(app().store, user, event.url.searchParams);
	if (!outcome.ok) throw new HttpError(outcome.status, outcome.error);
	const { name, ascii } = quarterlyFileName(outcome.report);
	const bytes = await quarterlyXlsx(outcome.report);
	return new Response(bytes as Uint8Array<ArrayBuffer>, {
		headers: {
			'Content-Type': 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
			'Content-Disposition': contentDisposition(name, ascii),
			'Content-Length': String(bytes.byteLength),
			'Cache-Control': 'private, no-store'
		}
	});
});
