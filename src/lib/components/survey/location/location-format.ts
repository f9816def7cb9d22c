import { roundAccuracy, type AccuracyLevel } from '$lib/domain/location/averaging.js';
import { m } from '$lib/paraglide/messages.js';

/** The words of each accuracy level (never colour alone). */
export const LEVEL: Record<AccuracyLevel, () => string> = {
	good: m.loc_level_good,
	fair: m.loc_level_fair,
	poor: m.loc_level_poor,
	unknown: m.loc_level_unknown
};

/** An accuracy in metres, to the decimetre, or a dash. */
export function metres(x: unknown): string {
	return typeof x === 'number' && Number.isFinite(x) ? `${roundAccuracy(x).toFixed(1)} m` : '—';
}

/** A fix's time on the device's clock, with its date unless `withDate` is false. */
export function formatTime(iso: string | null | undefined, withDate = true): string {
	if (!iso) return '—';
	const date = new Date(iso);
	if (Number.isNaN(date.getTime())) return iso;
	const p = (n: number) => String(n).padStart(2, '0');
	const time = `${p(date.getHours())}:${p(date.getMinutes())}:${p(date.getSeconds())}`;
	return withDate
		? `${date.getFullYear()}-${p(date.getMonth() + 1)}-${p(date.getDate())} ${time}`
		: time;
}
