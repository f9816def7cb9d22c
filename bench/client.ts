/** The bench's HTTP client side: requests, logins and pushes as a device makes them. */
import { randomUUID } from 'node:crypto';
import { log } from './common.js';

/**
 * A logged-in device: its token, the device id it logged in with (the server binds the token to
 * it: every push names it), and headers it sends with every request (X-Forwarded-For).
 */
export type Session = { token: string; deviceId: string; headers?: Record<string, string> };

/** Idempotent requests retried after a dropped keep-alive connection (shown with BENCH_VERBOSE). */
export const stats = { retries: 0 };

export async function call(
	origin: string,
	path: string,
	init: {
		method: string;
		token?: string | undefined;
		json?: string;
		body?: Uint8Array;
		type?: string;
		headers?: Record<string, string>;
		signal?: AbortSignal;
		/** Retry once when the connection drops (a keep-alive socket the server closed as it was
		 * reused); only for idempotent requests: a PUT of content-addressed bytes. */
		retry?: boolean;
	}
): Promise<{ status: number; text: string; headers: Headers }> {
	const headers: Record<string, string> = { ...init.headers };
	if (init.token) headers.Authorization = `Bearer ${init.token}`;
	if (init.json !== undefined) headers['Content-Type'] = 'application/json';
	if (init.type) headers['Content-Type'] = init.type;
	try {
		const response = await fetch(origin + path, {
			method: init.method,
			headers,
			...(init.json !== undefined || init.body !== undefined
				? { body: init.json ?? (init.body as BodyInit) }
				: {}),
			...(init.signal ? { signal: init.signal } : {})
		});
		return { status: response.status, text: await response.text(), headers: response.headers };
	} catch (error) {
		if (!init.retry) throw error;
		stats.retries++;
		log(`retrying ${init.method} ${path.slice(0, 30)}…: ${(error as Error).message}`);
		return call(origin, path, { ...init, retry: false });
	}
}

/** Logins that waited for a busy server's Retry-After and tried again (all figures). */
export const loginRetries = { count: 0 };

export async function login(
	origin: string,
	username: string,
	password: string,
	options: { deviceId?: string; headers?: Record<string, string> } = {}
): Promise<Session> {
	const { deviceId = `bench-${username}-${randomUUID()}`, headers } = options;
	let res: Awaited<ReturnType<typeof call>>;
	for (let attempt = 0; ; attempt++) {
		res = await call(origin, '/api/auth/login', {
			method: 'POST',
			json: JSON.stringify({ username, password, deviceId }),
			...(headers ? { headers } : {})
		});
		// a busy server says when to come back (429 + Retry-After): a device waits and retries
		const wait = Number(res.headers.get('retry-after'));
		if (res.status !== 429 || !(wait > 0 && wait <= 30) || attempt >= 60) break;
		loginRetries.count++;
		await new Promise((r) => setTimeout(r, wait * 1000));
	}
	if (res.status !== 200) throw new Error(`login ${username}: ${res.status} ${res.text}`);
	const { token } = JSON.parse(res.text) as { token: string };
	return { token, deviceId, ...(headers ? { headers } : {}) };
}

/** QC findings of accepted records by rule (shown with BENCH_VERBOSE). */
export const findingCounts: Record<string, number> = {};

/** Pushes one pre-serialized batch; the number of records not accepted. */
export async function pushBatch(
	origin: string,
	session: Session,
	body: string,
	signal?: AbortSignal
): Promise<number> {
	const res = await call(origin, '/api/sync/push', {
		method: 'POST',
		token: session.token,
		json: body,
		...(session.headers ? { headers: session.headers } : {}),
		...(signal ? { signal } : {})
	});
	if (res.status !== 200) throw new Error(`push: ${res.status} ${res.text.slice(0, 500)}`);
	const { results } = JSON.parse(res.text) as {
		results: { status: string; issues?: unknown; findings?: { rule: string }[] }[];
	};
	for (const r of results)
		for (const f of r.findings ?? []) findingCounts[f.rule] = (findingCounts[f.rule] ?? 0) + 1;
	const bad = results.filter((r) => r.status !== 'accepted');
	if (bad.length > 0) log('not accepted:', JSON.stringify(bad[0]));
	return bad.length;
}

/** `PUT /api/photos/{sha256}` of one photo's bytes (retried once after a dropped connection). */
export async function putPhoto(
	origin: string,
	token: string | undefined,
	photo: { bytes: Uint8Array; sha256: string }
): Promise<void> {
	const res = await call(origin, `/api/photos/${photo.sha256}`, {
		method: 'PUT',
		token,
		body: photo.bytes,
		type: 'image/jpeg',
		retry: true
	});
	if (res.status !== 201) throw new Error(`PUT ${origin}: ${res.status} ${res.text}`);
}

/** Uploads `photos` to `origin`, `parallel` at a time (untimed set-up of the records' photos). */
export async function uploadPhotos(
	origin: string,
	token: string,
	photos: { bytes: Uint8Array; sha256: string }[],
	parallel = 8
): Promise<void> {
	for (let i = 0; i < photos.length; i += parallel) {
		await Promise.all(photos.slice(i, i + parallel).map((p) => putPhoto(origin, token, p)));
	}
}
