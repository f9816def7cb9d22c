import { z } from 'zod';
import { parseWith } from '$lib/domain/schemas/common';
import { isoDateTime } from '$lib/domain/schemas/common';
import { app } from '$lib/server/instance';
import { badRequest, endpoint, HttpError, readJson, requireSurveyor } from '$lib/server/http';
import { deviceRefusal } from '$lib/server/auth/devices';

const ReportSchema = z.strictObject({
	deviceId: z.string().trim().min(1).max(200),
	/** Records on the device the server has not acknowledged (drafts included). */
	unsent: z.number().int().min(0).max(1_000_000),
	oldestUnsentAt: isoDateTime.optional(),
	appVersion: z.string().max(100).optional()
});

/**
 * A device tells the server what it still holds (extension, issue 5), so the city reviewer sees
 * the unsent work of a lost tablet.
 */
export const POST = endpoint(async (event) => {
	const user = requireSurveyor(event);
	const parsed = parseWith(ReportSchema, await readJson(event.request, 8 * 1024));
	if (!parsed.ok) throw badRequest('设备报告应为 {deviceId, unsent}', parsed.issues);
	const { deviceId, ...report } = parsed.value;
	const server = app();
	const refusal = deviceRefusal(server.users, user, deviceId);
	if (refusal) throw new HttpError(refusal.status, refusal.error);
	server.users.reportDevice(deviceId, user.id, {
		...report,
		userAgent: (event.request.headers.get('user-agent') ?? '').slice(0, 300)
	});
	return new Response(null, { status: 204 });
});
