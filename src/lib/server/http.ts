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
	return json(issues && issues.length > 0 ? { error, issues } : { error }, {
		status,
		...(headers ? { headers } : {})
	});
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

/** The sync API is for surveyors' devices (contract §1, issue 10 point 1): anyone else gets 403. */
export function requireSurveyor(event: RequestEvent): Principal {
	const user = requireUser(event);
	if (user.role !== 'surveyor') {
		throw new HttpError(
			403,
			'同步接口只供调查员的设备使用：审核人员不能推送记录或上传照片，只能在审核页面中以署名的审核修订修改记录'
		);
	}
	return user;
}

/**
 * The client's address (adapter-node: the socket's, or the header named by ADDRESS_HEADER behind
 * a reverse proxy); `unknown` when the configured header is missing.
 */
export function clientAddress(event: Pick<RequestEvent, 'getClientAddress'>): string {
	try {
		return event.getClientAddress();
	} catch {
		return 'unknown';
	}
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

const STATUS_TEXT: Record<number, string> = {
	400: '请求不合格',
	403: '无权进行此操作',
	404: '没有这个地址',
	413: '请求体超过上限',
	415: '不支持这种请求体类型',
	429: '请求太频繁，请稍后再试',
	500: '服务器内部错误：请稍后再试，或联系管理员',
	503: '服务器暂时不可用：请稍后再试'
};

/**
 * An /api error response in the contract's error model (`{error, issues?}`), whoever made it:
 * a handler's own stays as it is; SvelteKit's (a wrong method, a `{message}` error, plain text)
 * is rewritten with a message a person can act on. Status and headers (`Allow`,
 * `Retry-After`) are kept.
 */
export async function jsonErrorOf(response: Response, request: Request): Promise<Response> {
	const type = response.headers.get('content-type') ?? '';
	let body: unknown;
	if (/^application\/json\b/i.test(type)) {
		body = await response
			.clone()
			.json()
			.catch(() => undefined);
		if (
			body &&
			typeof body === 'object' &&
			typeof (body as { error?: unknown }).error === 'string'
		) {
			return response;
		}
	}
	let error: string;
	if (response.status === 405) {
		const allow = response.headers.get('allow');
		error = `此地址不支持 ${request.method.slice(0, 10)} 方法${allow ? `：可用的方法是 ${allow}` : ''}`;
	} else if (
		body &&
		typeof body === 'object' &&
		typeof (body as { message?: unknown }).message === 'string'
	) {
		error = (body as { message: string }).message;
	} else {
		error = STATUS_TEXT[response.status] ?? `请求未能完成（${response.status}）`;
	}
	const headers = new Headers(response.headers);
	headers.set('content-type', 'application/json');
	headers.delete('content-length');
	await response.body?.cancel().catch(() => undefined);
	return new Response(request.method === 'HEAD' ? null : JSON.stringify({ error }), {
		status: response.status,
		headers
	});
}
