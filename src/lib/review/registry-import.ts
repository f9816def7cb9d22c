/**
 * The registry import page's calls (contract §3 *Registry import*): an upload with progress
 * (XMLHttpRequest: fetch reports no upload progress) and JSON calls, each answering the body or
 * throwing the server's message.
 */

/** The server refused or could not be reached; the message is the server's, in Chinese. */
export class ImportCallError extends Error {
	constructor(
		readonly status: number | null,
		message: string
	) {
		super(message);
		this.name = 'ImportCallError';
	}
}

function messageOf(status: number, text: string): string {
	try {
		const body = JSON.parse(text) as { error?: string; issues?: { message: string }[] };
		if (body.error) {
			const issues = body.issues?.map((i) => i.message).join('；');
			return issues ? `${body.error}：${issues}` : body.error;
		}
	} catch {
		// not JSON: the status says it
	}
	return `服务器答复 ${status}`;
}

/** POSTs the file's bytes to `url`, reporting bytes sent; resolves to the JSON answer. */
export function uploadFile<T>(
	url: string,
	file: Blob,
	onProgress: (sent: number, total: number) => void
): Promise<T> {
	return new Promise((resolve, reject) => {
		const xhr = new XMLHttpRequest();
		xhr.open('POST', url);
		xhr.setRequestHeader('Content-Type', 'application/octet-stream');
		xhr.upload.onprogress = (e) => onProgress(e.loaded, e.lengthComputable ? e.total : file.size);
		xhr.onload = () => {
			if (xhr.status >= 200 && xhr.status < 300) {
				try {
					resolve(JSON.parse(xhr.responseText) as T);
				} catch {
					reject(new ImportCallError(xhr.status, '服务器的答复无法读取'));
				}
			} else reject(new ImportCallError(xhr.status, messageOf(xhr.status, xhr.responseText)));
		};
		xhr.onerror = () => reject(new ImportCallError(null, '无法连接服务器：请检查网络后重试'));
		xhr.send(file);
	});
}

export async function postJson<T>(url: string, body: unknown): Promise<T> {
	let response: Response;
	try {
		response = await fetch(url, {
			method: 'POST',
			credentials: 'same-origin',
			headers: { 'content-type': 'application/json' },
			body: JSON.stringify(body)
		});
	} catch {
		throw new ImportCallError(null, '无法连接服务器：请检查网络后重试');
	}
	const text = await response.text();
	if (!response.ok) throw new ImportCallError(response.status, messageOf(response.status, text));
	return JSON.parse(text) as T;
}

/** A field's value in the report's change list, as short text. */
export function changeText(value: unknown): string {
	if (value === null || value === undefined || value === '') return '（空）';
	if (Array.isArray(value)) return value.length ? value.join('、') : '（空）';
	if (typeof value === 'object') {
		const v = value as { lat?: number; lon?: number; type?: string };
		if (v.lat !== undefined && v.lon !== undefined) return `${v.lon}, ${v.lat}`;
		if (v.type) return v.type;
		return JSON.stringify(value).slice(0, 80);
	}
	return String(value);
}
