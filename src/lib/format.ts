/** Human-readable byte sizes (binary units), e.g. "1.4 GB". */
export function formatBytes(bytes: number): string {
	const units = ['B', 'KB', 'MB', 'GB', 'TB'];
	let value = bytes;
	let unit = 0;
	while (value >= 1024 && unit < units.length - 1) {
		value /= 1024;
		unit++;
	}
	return `${value >= 100 || unit === 0 ? Math.round(value) : value.toFixed(1)} ${units[unit]}`;
}

/** Local date and time, e.g. "2025-06-02 10:31". */
export function formatDateTime(iso: string): string {
	const d = new Date(iso);
	const pad = (n: number) => String(n).padStart(2, '0');
	return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())} ${pad(d.getHours())}:${pad(d.getMinutes())}`;
}

/** The current instant as an ISO 8601 string (UTC, `Z`). */
export function nowIso(): string {
	return new Date().toISOString();
}

/** An instant given in milliseconds since the epoch as an ISO 8601 string (UTC, `Z`). */
export function isoAt(ms: number): string {
	return new Date(ms).toISOString();
}
