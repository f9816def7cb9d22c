import { json } from '@sveltejs/kit';
import type { PushResponse } from '$lib/domain/sync/wire.js';
import { parseWith } from '$lib/domain/schemas/common.js';
import { app } from '$lib/server/instance.js';
import { badRequest, endpoint, HttpError, readJson, requireSurveyor } from '$lib/server/http.js';
import { deviceRefusal } from '$lib/server/auth/devices.js';
import { push, PushBodySchema, PUSH_MAX_BYTES, PUSH_MAX_RECORDS } from '$lib/server/sync/push.js';

export const POST = endpoint(async (event) => {
	const user = requireSurveyor(event);
	const body = await readJson(event.request, PUSH_MAX_BYTES);
	if (
		body &&
		typeof body === 'object' &&
		Array.isArray((body as { records?: unknown }).records) &&
		(body as { records: unknown[] }).records.length > PUSH_MAX_RECORDS
	) {
		throw new HttpError(413, `一次最多推送 ${PUSH_MAX_RECORDS} 条记录：请分批推送`);
	}
	const parsed = parseWith(PushBodySchema, body);
	if (!parsed.ok) throw badRequest('推送请求应为 {deviceId, records:[…]}', parsed.issues);
	const server = app();
	const refusal = await deviceRefusal(server.users, user, parsed.value.deviceId);
	if (refusal) throw new HttpError(refusal.status, refusal.error);
	const results = await push(server, user, parsed.value.deviceId, parsed.value.records);
	await server.users.touchDevice(
		parsed.value.deviceId,
		user.id,
		results.filter((r) => r.status === 'accepted').length
	);
	return json({ results } satisfies PushResponse);
});
