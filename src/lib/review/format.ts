/**
 * Times on the review pages, rendered on the server: always in China Standard Time (the survey's
 * own time), whatever the server's zone, as "2025-06-02 10:31".
 */
const PARTS = new Intl.DateTimeFormat('en-CA', {
	timeZone: 'Asia/Shanghai',
	year: 'numeric',
	month: '2-digit',
	day: '2-digit',
	hour: '2-digit',
	minute: '2-digit',
	hourCycle: 'h23'
});

export function chinaDateTime(iso: string): string {
	const date = new Date(iso);
	if (Number.isNaN(date.getTime())) return iso;
	const part = Object.fromEntries(PARTS.formatToParts(date).map((p) => [p.type, p.value]));
	return `${part.year}-${part.month}-${part.day} ${part.hour}:${part.minute}`;
}

/** A device id as the list shows it: its first eight characters (a UUID's first group). */
export function shortDevice(id: string): string {
	return id.length > 8 ? id.slice(0, 8) : id;
}
