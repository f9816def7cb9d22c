/**
 * Uploads a device backup file to the server for import, in chunks far below the request body
 * limit (`/api/imports`, docs/BACKUP.md), for the review UI. A chunk that fails for the
 * connection or the server is sent again (up to 3 tries); one the server refuses is not.
 */
import type { ImportReport } from './format.js';

export type UploadProgress = {
	sentBytes: number;
	totalBytes: number;
	chunk: number;
	chunks: number;
};

export type UploadOptions = {
	/** Push the records as this account instead of the one the file names. */
	as?: string;
	onProgress?: (progress: UploadProgress) => void;
	/** Chunk size; the server takes at most 4 MB. */
	chunkBytes?: number;
	fetch?: typeof fetch;
	/** Base URL of the server ('' = this origin). */
	base?: string;
	signal?: AbortSignal;
};

/** The server refused, or could not be reached; `status` is null when there was no answer. */
export class UploadError extends Error {
	constructor(
		readonly status: number | null,
		message: string,
		options?: ErrorOptions
	) {
		super(message, options);
		this.name = 'UploadError';
	}
}

export const UPLOAD_CHUNK_MAX_BYTES = 4 * 1024 * 1024;

async function errorOf(response: Response): Promise<UploadError> {
	let message = `服务器答复 ${response.status}`;
	try {
		const body = (await response.json()) as { error?: string };
		if (body.error) message = body.error;
	} catch {
		// not JSON: keep the status
	}
	return new UploadError(response.status, message);
}

export async function uploadBackup(file: Blob, options: UploadOptions = {}): Promise<ImportReport> {
	const doFetch = options.fetch ?? globalThis.fetch.bind(globalThis);
	const base = options.base ?? '';
	const call = async (path: string, init: RequestInit): Promise<Response> => {
		try {
			return await doFetch(`${base}${path}`, {
				credentials: 'same-origin',
				...init,
				...(options.signal ? { signal: options.signal } : {})
			});
		} catch (error) {
			if ((error as Error)?.name === 'AbortError') throw error;
			throw new UploadError(null, '无法连接服务器：请检查网络后重试', { cause: error });
		}
	};
	const json = (body: unknown): RequestInit => ({
		method: 'POST',
		headers: { 'content-type': 'application/json' },
		body: JSON.stringify(body)
	});

	const started = await call('/api/imports', json(options.as ? { as: options.as } : {}));
	if (started.status !== 201) throw await errorOf(started);
	const { id, chunkBytes } = (await started.json()) as { id: string; chunkBytes?: number };
	const size = Math.max(
		1,
		Math.min(options.chunkBytes ?? UPLOAD_CHUNK_MAX_BYTES, chunkBytes ?? UPLOAD_CHUNK_MAX_BYTES)
	);
	const chunks = Math.max(1, Math.ceil(file.size / size));
	let sent = 0;
	options.onProgress?.({ sentBytes: 0, totalBytes: file.size, chunk: 0, chunks });
	for (let n = 0; n < chunks; n++) {
		const piece = file.slice(n * size, Math.min(file.size, (n + 1) * size));
		for (let attempt = 1; ; attempt++) {
			let response: Response | null = null;
			try {
				response = await call(`/api/imports/${id}/chunks/${n}`, {
					method: 'PUT',
					headers: { 'content-type': 'application/octet-stream' },
					body: piece
				});
			} catch (error) {
				if (!(error instanceof UploadError) || attempt >= 3) throw error;
			}
			if (response?.ok) break;
			if (response && (response.status < 500 || attempt >= 3)) throw await errorOf(response);
			await new Promise((r) => setTimeout(r, 500 * attempt));
		}
		sent += piece.size;
		options.onProgress?.({ sentBytes: sent, totalBytes: file.size, chunk: n + 1, chunks });
	}
	const finished = await call(
		`/api/imports/${id}/finish`,
		json(options.as ? { chunks, as: options.as } : { chunks })
	);
	if (!finished.ok) throw await errorOf(finished);
	return (await finished.json()) as ImportReport;
}
