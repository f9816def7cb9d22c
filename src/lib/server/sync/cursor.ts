import { HttpError } from '../http.js';

/** Cursors are decimal sequence numbers, sent as strings so clients treat them as opaque. */
export function parseCursor(value: string | null): number {
	if (value === null || value === '') return 0;
	if (!/^\d{1,15}$/.test(value))
		throw new HttpError(400, `游标 “${value.slice(0, 40)}” 无效：请使用上次响应中的 cursor`);
	return Number(value);
}
