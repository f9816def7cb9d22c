import { describe, expect, it } from 'vitest';
import { parseDms, toDms } from '$lib/domain/geometry/dms.js';
import {
	accuracyLevel,
	averageFixes,
	needsOverride,
	parseCoordinate,
	toIsoWithOffset,
	toRecordLocation,
	type Fix
} from '$lib/domain/location/averaging.js';
import { RecordLocationSchema } from '$lib/domain/schemas/survey-record.js';

/** Turf's mean Earth radius (measure.ts). */
const R = 6_371_008.8;
const rad = (deg: number) => (deg * Math.PI) / 180;

const LAT = 39.3;
const LON = 109.745;
const fix = (lat: number, lon: number, extra: Partial<Fix> = {}): Fix => ({
	lat,
	lon,
	at: '2025-06-02T10:31:00+08:00',
	...extra
});

describe('averageFixes', () => {
	it('answers the mean and the RMS spread of known fixes', () => {
		const fixes = [
			fix(LAT + 1e-5, LON, { accuracyM: 4, altitude: 1340, at: '2025-06-02T10:31:01+08:00' }),
			fix(LAT - 1e-5, LON, { accuracyM: 6, altitude: 1342, at: '2025-06-02T10:31:02+08:00' }),
			fix(LAT, LON + 2e-5, { accuracyM: 5, at: '2025-06-02T10:31:04+08:00' }),
			fix(LAT, LON - 2e-5, { accuracyM: 5, at: '2025-06-02T10:31:03+08:00' })
		];
		const average = averageFixes(fixes);
		expect(average).not.toBeNull();
		if (!average) return;
		expect(average.lat).toBeCloseTo(LAT, 10);
		expect(average.lon).toBeCloseTo(LON, 10);
		// by hand: 1e-5° of latitude and 2e-5° of longitude at 39.3°N, as arcs
		const dLat = rad(1e-5) * R; // ≈ 1.112 m
		const dLon = rad(2e-5) * R * Math.cos(rad(LAT)); // ≈ 1.721 m
		const spread = Math.sqrt((2 * dLat ** 2 + 2 * dLon ** 2) / 4);
		expect(dLat).toBeCloseTo(1.112, 3);
		expect(dLon).toBeCloseTo(1.721, 3);
		expect(average.spreadM).toBeCloseTo(spread, 3);
		expect(average.samples).toBe(4);
		// mean reported accuracy 5 m beats the spread of ~1.45 m
		expect(average.accuracyM).toBeCloseTo(5, 9);
		// the altitude is the mean of those that have one
		expect(average.altitude).toBeCloseTo(1341, 9);
		// the latest fix, not the last in the list
		expect(average.fixedAt).toBe('2025-06-02T10:31:04+08:00');
	});

	it('lets the spread win when the fixes wander more than the device claims', () => {
		// 0.0005° of latitude either side: ≈ 55.6 m from the mean, each claiming 3 m
		const average = averageFixes([
			fix(LAT + 5e-4, LON, { accuracyM: 3 }),
			fix(LAT - 5e-4, LON, { accuracyM: 3 })
		]);
		expect(average?.spreadM).toBeCloseTo(rad(5e-4) * R, 3);
		expect(average?.accuracyM).toBeCloseTo(rad(5e-4) * R, 3);
	});

	it('counts every usable fix as a sample, and skips broken ones', () => {
		const fixes = Array.from({ length: 12 }, (_, i) =>
			fix(LAT + i * 1e-7, LON, { accuracyM: 3.8 })
		);
		expect(averageFixes(fixes)?.samples).toBe(12);
		expect(averageFixes([...fixes, fix(Number.NaN, LON), fix(LAT, 200)])?.samples).toBe(12);
	});

	it('takes a single fix as it is', () => {
		const average = averageFixes([fix(39.300242, 109.74505, { accuracyM: 3.8, altitude: 1342.6 })]);
		expect(average).toEqual({
			lat: 39.300242,
			lon: 109.74505,
			altitude: 1342.6,
			accuracyM: 3.8,
			spreadM: 0,
			samples: 1,
			fixedAt: '2025-06-02T10:31:00+08:00'
		});
	});

	it('answers null for no fix, and an unknown accuracy when no fix reports one', () => {
		expect(averageFixes([])).toBeNull();
		expect(averageFixes([fix(Number.NaN, Number.NaN)])).toBeNull();
		const average = averageFixes([fix(LAT, LON), fix(LAT + 1e-5, LON)]);
		expect(average?.accuracyM).toBeUndefined();
		expect(average?.altitude).toBeUndefined();
		expect(needsOverride(average?.accuracyM, 10)).toBe(true);
	});
});

describe('needsOverride', () => {
	it('refuses worse than the threshold, or unknown', () => {
		expect(needsOverride(10, 10)).toBe(false);
		expect(needsOverride(3.8, 10)).toBe(false);
		expect(needsOverride(10.1, 10)).toBe(true);
		expect(needsOverride(undefined, 10)).toBe(true);
		expect(needsOverride(null, 10)).toBe(true);
		expect(needsOverride(Number.NaN, 10)).toBe(true);
		expect(needsOverride(4, 3)).toBe(true);
	});

	it('compares the value as stored, to 0.1 m', () => {
		expect(needsOverride(10.04, 10)).toBe(false);
		expect(
			toRecordLocation({
				lat: LAT,
				lon: LON,
				accuracyM: 10.04,
				source: 'gnss',
				fixedAt: '2025-06-02T10:31:00+08:00'
			}).accuracyM
		).toBe(10);
		expect(needsOverride(10.06, 10)).toBe(true);
	});
});

describe('accuracyLevel', () => {
	it('bands ≤ 5 m, ≤ 10 m and worse', () => {
		expect(accuracyLevel(5)).toBe('good');
		expect(accuracyLevel(5.1)).toBe('fair');
		expect(accuracyLevel(10)).toBe('fair');
		expect(accuracyLevel(10.1)).toBe('poor');
		expect(accuracyLevel(undefined)).toBe('unknown');
	});
});

describe('toRecordLocation', () => {
	const fixedAt = '2025-06-02T10:31:07+08:00';

	it('rounds and validates', () => {
		const location = toRecordLocation({
			lat: 39.30024212345,
			lon: 109.74505049999,
			altitude: 1342.649,
			accuracyM: 3.849,
			samples: 12,
			source: 'gnss',
			fixedAt
		});
		expect(location).toEqual({
			lat: 39.3002421,
			lon: 109.7450505,
			altitude: 1342.6,
			accuracyM: 3.8,
			samples: 12,
			source: 'gnss',
			fixedAt
		});
		expect(RecordLocationSchema.safeParse(location).success).toBe(true);
	});

	it('keeps a written override reason, and drops what the schema cannot hold', () => {
		const location = toRecordLocation({
			lat: LAT,
			lon: LON,
			altitude: -9999,
			accuracyM: 14.26,
			samples: 0,
			source: 'rtk',
			fixedAt,
			overrideReason: '  林地遮挡，现场无法获得更好定位 '
		});
		expect(location).toEqual({
			lat: LAT,
			lon: LON,
			accuracyM: 14.3,
			source: 'rtk',
			fixedAt,
			overrideReason: '林地遮挡，现场无法获得更好定位'
		});
		expect(
			toRecordLocation({ lat: LAT, lon: LON, source: 'map', fixedAt, overrideReason: ' ' })
		).toEqual({
			lat: LAT,
			lon: LON,
			source: 'map',
			fixedAt
		});
	});

	it('throws on coordinates out of range', () => {
		expect(() => toRecordLocation({ lat: 91, lon: LON, source: 'manual', fixedAt })).toThrow(
			RangeError
		);
		expect(() =>
			toRecordLocation({ lat: LAT, lon: Number.NaN, source: 'manual', fixedAt })
		).toThrow(RangeError);
	});

	it('takes manual DMS input through parseDms to a location', () => {
		const lat = parseDms('39°18′00.8712″N', 'lat');
		const lon = parseDms('109°44′42.1800″E', 'lon');
		if (!lat.ok || !lon.ok) throw new Error('DMS not read');
		expect(Math.abs(lat.value - 39.300242)).toBeLessThan(1e-6);
		expect(Math.abs(lon.value - 109.74505)).toBeLessThan(1e-6);
		const location = toRecordLocation({
			lat: lat.value,
			lon: lon.value,
			source: 'manual',
			fixedAt
		});
		expect(location.source).toBe('manual');
		expect(Math.abs(location.lat - 39.300242)).toBeLessThan(1e-6);
		expect(Math.abs(location.lon - 109.74505)).toBeLessThan(1e-6);
		expect(toDms(location.lat, 'lat')).toBe('39°18′00.8712″N');
		expect(toDms(location.lon, 'lon')).toBe('109°44′42.1800″E');
		expect(RecordLocationSchema.safeParse(location).success).toBe(true);
	});
});

describe('parseCoordinate', () => {
	const value = (text: string, axis: 'lat' | 'lon', mode: 'decimal' | 'dms') => {
		const result = parseCoordinate(text, axis, mode);
		if (!result.ok) throw new Error(result.message);
		return result.value;
	};
	const message = (text: string, axis: 'lat' | 'lon', mode: 'decimal' | 'dms') => {
		const result = parseCoordinate(text, axis, mode);
		if (result.ok) throw new Error(`read ${text} as ${result.value}`);
		return result.message;
	};

	it('reads decimal degrees, with full-width digits, a sign or a hemisphere', () => {
		expect(value('39.300242', 'lat', 'decimal')).toBe(39.300242);
		expect(value('１０９．７４５０５', 'lon', 'decimal')).toBeCloseTo(109.74505, 9);
		expect(value('-33.5', 'lat', 'decimal')).toBe(-33.5);
		expect(value('109.74505E', 'lon', 'decimal')).toBeCloseTo(109.74505, 9);
		expect(value('北纬39.3', 'lat', 'decimal')).toBeCloseTo(39.3, 9);
	});

	it('reads DMS in the DMS mode', () => {
		expect(value('39°18′00.8712″N', 'lat', 'dms')).toBeCloseTo(39.300242, 6);
		expect(value('109 44 42.18', 'lon', 'dms')).toBeCloseTo(109.74505, 6);
	});

	it('explains what is wrong, in Chinese', () => {
		expect(message('', 'lat', 'decimal')).toContain('请输入纬度');
		expect(message('', 'lon', 'dms')).toContain('请输入经度');
		expect(message('39 18 00.87', 'lat', 'decimal')).toContain('度分秒');
		expect(message('39,300242', 'lat', 'decimal')).toContain('小数点');
		expect(message('abc', 'lat', 'decimal')).toContain('无法识别');
		expect(message('109.74505', 'lat', 'decimal')).toContain('纬度须在');
		expect(message('E109.74505', 'lat', 'decimal')).toContain('填反');
		expect(message('39°75′00″', 'lat', 'dms')).toContain('必须小于 60');
	});
});

describe('toIsoWithOffset', () => {
	it('writes the same instant with an offset', () => {
		const date = new Date('2025-06-02T02:31:07Z');
		const iso = toIsoWithOffset(date);
		expect(iso).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}[+-]\d{2}:\d{2}$/);
		expect(Date.parse(iso)).toBe(date.getTime());
		expect(
			RecordLocationSchema.safeParse({ lat: LAT, lon: LON, source: 'gnss', fixedAt: iso }).success
		).toBe(true);
	});
});
