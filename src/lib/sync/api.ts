import type { z } from 'zod';
import {
	ErrorBodySchema,
	LoginResponseSchema,
	PullResponseSchema,
	PushResponseSchema,
	RecordResponseSchema,
	RegistryResponseSchema,
	RegistrySummarySchema,
	TeamRegistryResponseSchema,
	type LoginResponse,
	type RegistrySummary,
	type TeamRegistryResponse,
	type RecordResponse,
	type PullResponse,
	type PushResult
} from '$lib/domain/sync/wire.js';
import type { SurveyRecord } from '$lib/domain/schemas/survey-record.js';
import type { PhotoMime } from '$lib/domain/schemas/photo.js';

/**
 * Why a call to the server failed, as the device must act on it:
 * - `offline`: no answer at all (no network, server unreachable, timed out) — retry later;
 * - `server`: the server answered 5xx — retry later;
 * - `auth`: 401 — the login expired or the device was revoked; log in again, keep all data;
 * - `credentials`: login refused (401 on `POST /api/auth/login`);
 * - `throttled`: login refused for too many failures (429);
 * - `refused`: any other 4xx; `status` and `detail` say which and why.
 */
export type FailureKind = 'offline' | 'server' | 'auth' | 'credentials' | 'throttled' | 'refused';

export class SyncError extends Error {
	constructor(
		readonly kind: FailureKind,
		readonly status: number | null,
		/** The server's own message (`error` of the error body), when it sent one. */
		readonly detail: string,
		readonly issues: { path: string; message: string }[] = []
	) {
		super(detail || `${kind}${status ? ` ${status}` : ''}`);
		this.name = 'SyncError';
	}
}

export type Fetch = typeof fetch;

export type ApiOptions = {
	/** The `fetch` to use (a fake one in tests). */
	fetch?: Fetch | undefined;
	/** Prefix of every path; '' in the browser (same origin). */
	base?: string;
	token?: string | null;
	/** Milliseconds before a JSON call counts as unanswered. */
	timeoutMs?: number;
	/** Milliseconds before a photo upload counts as unanswered. */
	photoTimeoutMs?: number;
};

export type { PhotoMime };

/**
 * The device's client of the HTTP API (contract §3). Every method either resolves with the
 * parsed answer or throws a `SyncError`; nothing else escapes.
 */
export class SyncApi {
	readonly #fetch: Fetch;
	readonly #base: string;
	readonly #token: string | null;
	readonly #timeoutMs: number;
	readonly #photoTimeoutMs: number;

	constructor(options: ApiOptions = {}) {
		this.#fetch = options.fetch ?? ((input, init) => fetch(input, init));
		this.#base = options.base ?? '';
		this.#token = options.token ?? null;
		this.#timeoutMs = options.timeoutMs ?? 60_000;
		this.#photoTimeoutMs = options.photoTimeoutMs ?? 600_000;
	}

	async #call(
		method: string,
		path: string,
		init: {
			body?: BodyInit | undefined;
			contentType?: string;
			timeoutMs?: number;
			login?: boolean;
		} = {}
	): Promise<Response> {
		const headers: Record<string, string> = { accept: 'application/json' };
		if (this.#token) headers.authorization = `Bearer ${this.#token}`;
		if (init.contentType) headers['content-type'] = init.contentType;
		const timeout = init.timeoutMs ?? this.#timeoutMs;
		let response: Response;
		try {
			response = await this.#fetch(`${this.#base}${path}`, {
				method,
				headers,
				...(init.body === undefined ? {} : { body: init.body }),
				cache: 'no-store',
				credentials: 'omit',
				...(typeof AbortSignal.timeout === 'function'
					? { signal: AbortSignal.timeout(timeout) }
					: {})
			});
		} catch (error) {
			throw new SyncError('offline', null, (error as Error)?.message ?? '');
		}
		if (response.ok || (method === 'HEAD' && response.status === 404)) return response;
		const body = await errorBody(response);
		if (response.status === 401) {
			throw new SyncError(init.login ? 'credentials' : 'auth', 401, body.error, body.issues);
		}
		if (response.status === 429) throw new SyncError('throttled', 429, body.error, body.issues);
		if (response.status >= 500) throw new SyncError('server', response.status, body.error);
		throw new SyncError('refused', response.status, body.error, body.issues);
	}

	async #json<T extends z.ZodType>(response: Response, schema: T): Promise<z.infer<T>> {
		let json: unknown;
		try {
			json = await response.json();
		} catch (error) {
			// The body broke off mid-way: as good as no answer.
			throw new SyncError('offline', response.status, (error as Error)?.message ?? '');
		}
		const result = schema.safeParse(json);
		if (!result.success) {
			throw new SyncError(
				'server',
				response.status,
				`服务器的答复不合约定：${result.error.issues
					.slice(0, 3)
					.map((i) => `${i.path.join('.')} ${i.message}`)
					.join('；')}`
			);
		}
		return result.data;
	}

	async login(username: string, password: string, deviceId: string): Promise<LoginResponse> {
		const response = await this.#call('POST', '/api/auth/login', {
			body: JSON.stringify({ username, password, deviceId }),
			contentType: 'application/json',
			login: true
		});
		return this.#json(response, LoginResponseSchema);
	}

	async logout(): Promise<void> {
		await this.#call('POST', '/api/auth/logout');
	}

	async registry(since?: string): Promise<{ sites: unknown[]; cursor: string }> {
		const query = since === undefined ? '' : `?since=${encodeURIComponent(since)}`;
		return this.#json(await this.#call('GET', `/api/registry${query}`), RegistryResponseSchema);
	}

	/**
	 * `GET /api/registry?scope=team` (issue 13): the sites assigned to the account's team, with
	 * the assignment. `onBytes` hears the bytes received so far, for a progress bar.
	 */
	async teamRegistry(
		since?: string,
		onBytes?: (received: number) => void
	): Promise<TeamRegistryResponse> {
		const query = since === undefined ? '' : `&since=${encodeURIComponent(since)}`;
		const response = await this.#call('GET', `/api/registry?scope=team${query}`);
		return this.#json(await counted(response, onBytes), TeamRegistryResponseSchema);
	}

	/** `GET /api/registry` of the account's counties, with the bytes received so far. */
	async countyRegistry(
		since?: string,
		onBytes?: (received: number) => void
	): Promise<{ sites: unknown[]; cursor: string }> {
		const query = since === undefined ? '' : `?since=${encodeURIComponent(since)}`;
		const response = await this.#call('GET', `/api/registry${query}`);
		return this.#json(await counted(response, onBytes), RegistryResponseSchema);
	}

	/** `GET /api/registry/summary` (issue 13): what each registry download would bring. */
	async registrySummary(): Promise<RegistrySummary> {
		return this.#json(await this.#call('GET', '/api/registry/summary'), RegistrySummarySchema);
	}

	/** `HEAD /api/photos/{sha256}`: true when the server holds the photo. */
	async photoStored(sha256: string): Promise<boolean> {
		const response = await this.#call('HEAD', `/api/photos/${sha256}`);
		return response.status !== 404;
	}

	/** `GET /api/photos/{sha256}`: the photo's bytes, typed as the server stored them. */
	async photo(sha256: string): Promise<Blob> {
		const response = await this.#call('GET', `/api/photos/${sha256}`, {
			timeoutMs: this.#photoTimeoutMs
		});
		try {
			return await response.blob();
		} catch (error) {
			// The body broke off mid-way: as good as no answer.
			throw new SyncError('offline', response.status, (error as Error)?.message ?? '');
		}
	}

	/** `PUT /api/photos/{sha256}` with the raw bytes. */
	async putPhoto(sha256: string, bytes: Blob, type: PhotoMime): Promise<'stored' | 'already'> {
		const response = await this.#call('PUT', `/api/photos/${sha256}`, {
			body: bytes,
			contentType: type,
			timeoutMs: this.#photoTimeoutMs
		});
		return response.status === 201 ? 'stored' : 'already';
	}

	async push(deviceId: string, records: SurveyRecord[]): Promise<PushResult[]> {
		const response = await this.#call('POST', '/api/sync/push', {
			body: JSON.stringify({ deviceId, records }),
			contentType: 'application/json'
		});
		const { results } = await this.#json(response, PushResponseSchema);
		return results;
	}

	/** `POST /api/devices/report`: what this device still holds that the server has not. */
	async report(body: {
		deviceId: string;
		unsent: number;
		oldestUnsentAt?: string;
		appVersion?: string;
	}): Promise<void> {
		await this.#call('POST', '/api/devices/report', {
			body: JSON.stringify(body),
			contentType: 'application/json'
		});
	}

	/** `GET /api/records/{id}`: the server's record with its status, revision and history. */
	async record(id: string): Promise<RecordResponse> {
		const response = await this.#call('GET', `/api/records/${encodeURIComponent(id)}`);
		return this.#json(response, RecordResponseSchema);
	}

	/**
	 * `GET /api/sync/pull`; with `team` (the roster token the device holds, '' for none) the
	 * answer also brings the teammates' records and the roster (issue 13).
	 */
	async pull(since?: string, team?: string): Promise<PullResponse> {
		const params = new URLSearchParams();
		if (since !== undefined) params.set('since', since);
		if (team !== undefined) params.set('team', team);
		const query = params.size ? `?${params}` : '';
		return this.#json(await this.#call('GET', `/api/sync/pull${query}`), PullResponseSchema);
	}
}

async function errorBody(
	response: Response
): Promise<{ error: string; issues: { path: string; message: string }[] }> {
	try {
		const parsed = ErrorBodySchema.safeParse(await response.json());
		if (parsed.success) {
			return {
				error: parsed.data.error,
				issues: (parsed.data.issues ?? []).map((i) => ({ path: i.path ?? '', message: i.message }))
			};
		}
	} catch {
		// No JSON body (HEAD, a proxy's HTML page): the status says enough.
	}
	return { error: '', issues: [] };
}

/**
 * The response with its body read here, chunk by chunk, telling `onBytes` how much has come (a
 * body that breaks off is read as no answer by `#json`).
 */
async function counted(
	response: Response,
	onBytes: ((received: number) => void) | undefined
): Promise<Response> {
	if (!onBytes || !response.body) return response;
	const reader = response.body.getReader();
	const chunks: Uint8Array[] = [];
	let received = 0;
	try {
		for (;;) {
			const { done, value } = await reader.read();
			if (done) break;
			chunks.push(value);
			received += value.byteLength;
			onBytes(received);
		}
	} catch (error) {
		throw new SyncError('offline', response.status, (error as Error)?.message ?? '');
	}
	return new Response(new Blob(chunks as BlobPart[]), {
		status: response.status,
		headers: response.headers
	});
}
