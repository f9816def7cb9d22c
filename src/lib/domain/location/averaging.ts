/**
 * The centre point (中心点) from GNSS fixes, map picks and typed coordinates (contract §2 `location`).
 *
 * Pure: no DOM, no Svelte. The browser side is `src/lib/gnss/tracker.svelte.ts`.
 *
 * Contract:
 * - `averageFixes` answers the plain mean of the usable fixes (degrees may be averaged at the scale
 *   of one site), their spread, and an honest accuracy (see `averageFixes`).
 * - Accuracy is compared and stored to 0.1 m: what the surveyor sees is what is checked (LOC-003).
 * - `toRecordLocation` answers a value that passes `RecordLocationSchema`, or throws on a position
 *   that cannot be one (a programming error: callers pass parsed numbers).
 * - `parseCoordinate` MUST NOT throw; it answers a result union with a Chinese message.
 */
import type { LocationSource } from '../codelists/index.js';
import { parseDms, type DmsAxis, type DmsParseResult } from '../geometry/dms.js';
import { distanceM } from '../geometry/measure.js';
import { RecordLocationSchema, type RecordLocation } from '../schemas/survey-record.js';

/** One position report, as the tracker keeps it. */
export type Fix = {
	lat: number;
	lon: number;
	/** Horizontal accuracy the device reports, metres. */
	accuracyM?: number;
	/** Metres as the device reports it (GNSS: height above the ellipsoid). */
	altitude?: number;
	/** ISO 8601 with an offset. */
	at: string;
};

export type FixAverage = {
	lat: number;
	lon: number;
	/** Mean of the fixes that report an altitude; absent when none does. */
	altitude?: number;
	/**
	 * `max(spreadM, mean reported accuracy)`; absent when no fix reports an accuracy (spread alone
	 * says how steady the fixes were, not how right).
	 */
	accuracyM?: number;
	/** RMS horizontal distance of the fixes from their mean, metres. */
	spreadM: number;
	/** Fixes averaged. */
	samples: number;
	/** Time of the latest fix averaged. */
	fixedAt: string;
};

/** The default accuracy threshold, metres (LOC-003). */
export const DEFAULT_THRESHOLD_M = 10;
/** The default number of fixes to average. */
export const DEFAULT_AVERAGE_COUNT = 10;

const isUsable = (f: Fix): boolean =>
	Number.isFinite(f.lat) &&
	Number.isFinite(f.lon) &&
	Math.abs(f.lat) <= 90 &&
	Math.abs(f.lon) <= 180;

const mean = (values: readonly number[]): number =>
	values.reduce((sum, v) => sum + v, 0) / values.length;

/** Rounds to `decimals` places, without `-0`. */
function roundTo(value: number, decimals: number): number {
	const factor = 10 ** decimals;
	const rounded = Math.round(value * factor) / factor;
	return rounded === 0 ? 0 : rounded;
}

/**
 * The mean of `fixes` (those with finite, in-range coordinates), or `null` when there is none.
 *
 * Accuracy: `accuracyM = max(spreadM, mean of the reported accuracies)`.
 * - No `1/√n` gain. Fixes a second apart share most of their error (multipath, atmosphere,
 *   satellite geometry, and the browser's own smoothing), so averaging a minute of them removes
 *   scatter, not that shared error. Dividing by `√n` would turn ten 12 m fixes into a "3.8 m"
 *   point that is no better than any one of them, and hide LOC-003. The mean reported accuracy
 *   is what the device can honestly claim for a typical fix, and so for their mean.
 * - `spreadM` wins when the fixes wandered more than the device claimed: then the device's
 *   figure is too optimistic, and the observed scatter is the better estimate.
 * - Fixes without a reported accuracy still count in the position and the spread; when none
 *   reports one, `accuracyM` is absent (unknown), which asks for an override.
 */
export function averageFixes(fixes: readonly Fix[]): FixAverage | null {
	const usable = fixes.filter(isUsable);
	if (usable.length === 0) return null;
	const lat = mean(usable.map((f) => f.lat));
	const lon = mean(usable.map((f) => f.lon));
	const centre = { lat, lon };
	const squares = usable
		.map((f) => distanceM(f, centre) ** 2)
		.map((d) => (Number.isFinite(d) ? d : 0));
	const spreadM = Math.sqrt(mean(squares));

	const reported = usable
		.map((f) => f.accuracyM)
		.filter((a): a is number => typeof a === 'number' && Number.isFinite(a) && a >= 0);
	const altitudes = usable
		.map((f) => f.altitude)
		.filter((a): a is number => typeof a === 'number' && Number.isFinite(a));

	let fixedAt = (usable[usable.length - 1] as Fix).at;
	let latest = Date.parse(fixedAt);
	for (const f of usable) {
		const t = Date.parse(f.at);
		if (Number.isFinite(t) && !(t <= latest)) {
			latest = t;
			fixedAt = f.at;
		}
	}

	const average: FixAverage = { lat, lon, spreadM, samples: usable.length, fixedAt };
	if (reported.length > 0) average.accuracyM = Math.max(spreadM, mean(reported));
	if (altitudes.length > 0) average.altitude = mean(altitudes);
	return average;
}

/** Accuracy as stored and shown: 0.1 m. */
export function roundAccuracy(accuracyM: number): number {
	return roundTo(accuracyM, 1);
}

/**
 * True when a fix of this accuracy may be taken only with a written reason: the accuracy is
 * unknown, or worse than `thresholdM` once rounded to 0.1 m as stored (exactly the threshold is
 * fine).
 */
export function needsOverride(accuracyM: number | undefined | null, thresholdM: number): boolean {
	if (typeof accuracyM !== 'number' || !Number.isFinite(accuracyM)) return true;
	return roundAccuracy(accuracyM) > thresholdM;
}

export type AccuracyLevel = 'good' | 'fair' | 'poor' | 'unknown';

/** Colour band of the GNSS panel (design §5): ≤ 5 m good, ≤ 10 m fair, worse poor. */
export function accuracyLevel(accuracyM: number | undefined | null): AccuracyLevel {
	if (typeof accuracyM !== 'number' || !Number.isFinite(accuracyM) || accuracyM < 0) {
		return 'unknown';
	}
	const rounded = roundAccuracy(accuracyM);
	return rounded <= 5 ? 'good' : rounded <= 10 ? 'fair' : 'poor';
}

export type LocationInput = {
	lat: number;
	lon: number;
	altitude?: number | null | undefined;
	accuracyM?: number | null | undefined;
	samples?: number | null | undefined;
	source: LocationSource;
	fixedAt: string;
	overrideReason?: string | null | undefined;
};

/**
 * A `location` for the record: lat/lon to 7 decimals (about 1 cm), altitude and accuracy to
 * 0.1 m. An altitude the schema cannot hold (non-finite, outside −500…9000 m, a device glitch)
 * is left out rather than refusing the point; so are a non-finite or negative accuracy, a sample
 * count below 1 and a blank reason. Throws a `RangeError` on coordinates out of range.
 */
export function toRecordLocation(input: LocationInput): RecordLocation {
	const { lat, lon } = input;
	if (!Number.isFinite(lat) || Math.abs(lat) > 90 || !Number.isFinite(lon) || Math.abs(lon) > 180) {
		throw new RangeError(`坐标无效（纬度 ${lat}，经度 ${lon}）：请重新定位或输入`);
	}
	const location: RecordLocation = {
		lat: roundTo(lat, 7),
		lon: roundTo(lon, 7),
		source: input.source,
		fixedAt: input.fixedAt
	};
	const altitude = input.altitude;
	if (typeof altitude === 'number' && Number.isFinite(altitude)) {
		const rounded = roundTo(altitude, 1);
		if (rounded >= -500 && rounded <= 9000) location.altitude = rounded;
	}
	const accuracy = input.accuracyM;
	if (typeof accuracy === 'number' && Number.isFinite(accuracy) && accuracy >= 0) {
		location.accuracyM = Math.min(roundAccuracy(accuracy), 1_000_000);
	}
	const samples = input.samples;
	if (typeof samples === 'number' && Number.isFinite(samples) && samples >= 1) {
		location.samples = Math.min(Math.round(samples), 100_000);
	}
	const reason = input.overrideReason?.trim();
	if (reason) location.overrideReason = reason;

	const checked = RecordLocationSchema.safeParse(location);
	if (!checked.success) {
		const issue = checked.error.issues[0];
		throw new RangeError(`位置无效（${issue?.path.join('.') ?? ''}）：${issue?.message ?? ''}`);
	}
	return checked.data;
}

/** `2025-06-02T10:31:07+08:00`: ISO 8601 in the device's own offset (contract: times carry one). */
export function toIsoWithOffset(time: Date | number): string {
	const date = new Date(time);
	const pad = (n: number, width = 2) => String(Math.abs(n)).padStart(width, '0');
	const offset = -date.getTimezoneOffset();
	const sign = offset >= 0 ? '+' : '-';
	return (
		`${pad(date.getFullYear(), 4)}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}` +
		`T${pad(date.getHours())}:${pad(date.getMinutes())}:${pad(date.getSeconds())}` +
		`${sign}${pad(Math.trunc(offset / 60))}:${pad(offset % 60)}`
	);
}

export type CoordinateMode = 'decimal' | 'dms';

const AXIS_NAME: Record<DmsAxis, string> = { lat: '纬度', lon: '经度' };
const DECIMAL_EXAMPLE: Record<DmsAxis, string> = { lat: '39.300242', lon: '109.74505' };

/** Full-width digits and points, and 度, as plain characters (decimal mode only). */
function plainDecimal(text: string): string {
	return text
		.replace(/[\uff10-\uff19]/g, (c) => String.fromCharCode(c.charCodeAt(0) - 0xfee0))
		.replace(/[．。]/g, '.')
		.replace(/[－—–−]/g, '-')
		.replace(/＋/g, '+')
		.replace(/度|º|˚/g, '°')
		.trim();
}

const HEMI = '(?:北纬|南纬|东经|西经|[NSEWnsew])';
const SINGLE_DECIMAL = new RegExp(
	`^${HEMI}?\\s*[+-]?\\s*(?:\\d+(?:\\.\\d+)?|\\.\\d+)\\s*°?\\s*${HEMI}?$`
);

/**
 * A coordinate typed by the surveyor. `decimal`: one number of degrees (`39.300242`, with an
 * optional sign, ° or hemisphere); `dms`: anything `parseDms` reads (`39°18′00.8712″N`,
 * `39 18 0.8712`, `北纬39度18分0.87秒`, or decimal degrees). The range is checked against `axis`.
 */
export function parseCoordinate(text: string, axis: DmsAxis, mode: CoordinateMode): DmsParseResult {
	const name = AXIS_NAME[axis];
	const original = text.trim();
	if (mode === 'dms') {
		if (original === '') {
			return {
				ok: false,
				message: `请输入${name}，如 ${axis === 'lat' ? '39°18′00.8712″N' : '109°44′42.1800″E'}，也可用空格分隔：${axis === 'lat' ? '39 18 00.8712' : '109 44 42.18'}`
			};
		}
		return parseDms(original, axis);
	}
	if (original === '') {
		return { ok: false, message: `请输入${name}（十进制度），如 ${DECIMAL_EXAMPLE[axis]}` };
	}
	const plain = plainDecimal(original);
	if (SINGLE_DECIMAL.test(plain)) return parseDms(plain, axis);
	if (/^[+-]?\d+,\d+$/.test(plain)) {
		return {
			ok: false,
			message: `小数点请用“.”，不要用逗号：如 ${DECIMAL_EXAMPLE[axis]}`
		};
	}
	if ((plain.match(/\d+(?:\.\d+)?/g) ?? []).length > 1) {
		return {
			ok: false,
			message: `“${original}”像是度分秒：请先点「度分秒」再输入，或改写为十进制度，如 ${DECIMAL_EXAMPLE[axis]}`
		};
	}
	return {
		ok: false,
		message: `无法识别“${original}”：${name}请输入十进制度，如 ${DECIMAL_EXAMPLE[axis]}`
	};
}
