import { json, type RequestEvent } from '@sveltejs/kit';
import type { Issue } from '../domain/schemas/common.js';
import type { Principal } from './auth/roles.js';

/** The contract's error shape: `{error, issues?}`. */
export function errorResponse(
	status: number,
	error: string,
	issues?: Issue[],
	headers?: HeadersInit
): Response {
	return json(issues && issues.length > 0 ? { error, issues } : { error }, { status, headers });
}

/** A failure a handler throws; `hooks.server.ts` answers it with `errorResponse`. */
export class HttpError extends Error {
	constructor(
		readonly status: number,
		message: string,
		readonly issues?: Issue[],
		readonly headers?: HeadersInit
	) {
		super(message);
	}
}

export function requireUser(event: RequestEvent): Principal {
	const user = event.locals.user;
	if (!user) throw new HttpError(401, '请先登录');
	return user;
}

/**
 * Reads a JSON body of at most `maxBytes` bytes, streaming so an oversized body is cut off
 * early: 413 over the limit, 400 when it is not JSON.
 */
export async function readJson(request: Request, maxBytes: number): Promise<unknown> {
	const declared = Number(request.headers.get('content-length') ?? NaN);
	const limit = `${maxBytes >= 1024 * 1024 ? `${maxBytes / 1024 / 1024} MB` : `${maxBytes / 1024} KB`}`;
	if (declared > maxBytes) throw new HttpError(413, `请求体超过 ${limit} 上限：请分批发送`);
	const type = request.headers.get('content-type') ?? '';
	if (!/^application\/json\b/i.test(type)) {
		throw new HttpError(400, '请求体必须是 JSON（Content-Type: application/json）');
	}
	const chunks: Uint8Array[] = [];
	let size = 0;
	let over = false;
	if (request.body) {
		const reader = request.body.getReader();
		try {
			for (;;) {
				const { done, value } = await reader.read();
				if (done) break;
				size += value.byteLength;
				// past the limit, keep reading and dropping: a cancelled body kills the socket
				// before the client has read the 413
				if (size > maxBytes) over = true;
				else chunks.push(value);
			}
		} catch {
			// adapter-node cut the body at BODY_SIZE_LIMIT
			over = true;
		}
	}
	if (over) throw new HttpError(413, `请求体超过 ${limit} 上限：请分批发送`);
	const text = Buffer.concat(chunks).toString('utf8');
	if (text.trim() === '') throw new HttpError(400, '请求体为空：需要一个 JSON 对象');
	try {
		return JSON.parse(text) as unknown;
	} catch (error) {
		throw new HttpError(400, `请求体不是合法的 JSON：${(error as Error).message}`);
	}
}

/** Turns zod-style issues into a 400. */
export function badRequest(error: string, issues: Issue[]): HttpError {
	return new HttpError(400, error, issues);
}

/** The only query parameters a route accepts; others answer 400 (so typos don't go unnoticed). */
export function allowQuery(url: URL, allowed: readonly string[]): void {
	for (const key of url.searchParams.keys()) {
		if (!allowed.includes(key)) {
			throw new HttpError(
				400,
				`未知的查询参数 “${key.slice(0, 50)}”：可用的有 ${allowed.join('、') || '（无）'}`
			);
		}
	}
}

/**
 * Reads and drops what a handler left unread of a request body (at most `maxBytes`, then gives
 * up): an unread body leaves the keep-alive connection stuck, and the client's next request on
 * it hangs until the server's keep-alive timeout resets it.
 */
export async function discardBody(request: Request, maxBytes = 25 * 1024 * 1024): Promise<void> {
	const body = request.body;
	if (!body || request.bodyUsed || body.locked) return;
	const reader = body.getReader();
	let size = 0;
	try {
		for (;;) {
			const { done, value } = await reader.read();
			if (done) return;
			size += value.byteLength;
			if (size > maxBytes) {
				await reader.cancel();
				return;
			}
		}
	} catch {
		// the body failed on its own (client gone, over BODY_SIZE_LIMIT): nothing left to keep
	}
}

/** Wraps an API handler: an HttpError becomes the contract's error response. */
export function endpoint<E extends RequestEvent>(
	handler: (event: E) => Promise<Response> | Response
) {
	return async (event: E): Promise<Response> => {
		try {
			return await handler(event);
		} catch (error) {
			if (error instanceof HttpError) {
				await discardBody(event.request);
				return errorResponse(error.status, error.message, error.issues, error.headers);
			}
			throw error;
		}
	};
}
