import { parseWith } from '$lib/domain/schemas/common.js';
import { app } from '$lib/server/instance.js';
import { badRequest, endpoint, HttpError, readJson, requireSurveyor } from '$lib/server/http.js';
import { deviceRefusal } from '$lib/server/auth/devices.js';
import { DeviceReportBodySchema } from '$lib/domain/sync/wire.js';

/**
 * A device tells the server what it still holds (extension, issue 5), so the city reviewer sees
 * the unsent work of a lost tablet.
 */
export const POST = endpoint(async (event) => {
	const user = requireSurveyor(event);
	const parsed = parseWith(DeviceReportBodySchema, await readJson(event.request, 8 * 1024));
	if (!parsed.ok) throw badRequest('设备报告应为 {deviceId, unsent}', parsed.issues);
	const { deviceId, ...report } = parsed.value;
	const server = app();
	const refusal = await deviceRefusal(server.users, user, deviceId);
	if (refusal) throw new HttpError(refusal.status, refusal.error);
	await server.users.reportDevice(deviceId, user.id, {
		...report,
		userAgent: (event.request.headers.get('user-agent') ?? '').slice(0, 300)
	});
	return new Response(null, { status: 204 });
});
