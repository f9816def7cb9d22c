import { describe, expect, it } from 'vitest';
import { dmsParts, parseDms, toDms } from '$lib/domain/geometry/dms.js';

/** A small deterministic generator (LCG), so the sweep is the same on every run. */
function* values(count: number, min: number, max: number): Generator<number> {
	let state = 20_250_602;
	for (let i = 0; i < count; i++) {
		state = (state * 1_103_515_245 + 12_345) % 2_147_483_648;
		yield min + (state / 2_147_483_648) * (max - min);
	}
}

const parsed = (text: string, axis?: 'lat' | 'lon'): number => {
	const result = parseDms(text, axis);
	if (!result.ok) throw new Error(result.message);
	return result.value;
};

/** Half a unit of the 4th decimal of a second, in degrees. */
const HALF_UNIT = 0.00005 / 3600;

describe('toDms', () => {
	it('writes 4 decimal seconds with the hemisphere', () => {
		expect(toDms(35 + 23 / 60 + 14.3925 / 3600, 'lat')).toBe('35°23′14.3925″N');
		expect(toDms(39.300242, 'lat')).toBe('39°18′00.8712″N');
		expect(toDms(109.74505, 'lon')).toBe('109°44′42.1800″E');
		expect(toDms(-33.5, 'lat')).toBe('33°30′00.0000″S');
		expect(toDms(-70.25, 'lon')).toBe('70°15′00.0000″W');
		expect(toDms(0, 'lat')).toBe('0°00′00.0000″N');
	});

	it('writes the Chinese and the signed forms', () => {
		expect(toDms(39.300242, 'lat', 'chinese')).toBe('北纬39°18′00.8712″');
		expect(toDms(109.74505, 'lon', 'chinese')).toBe('东经109°44′42.1800″');
		expect(toDms(-39.300242, 'lat', 'chinese')).toBe('南纬39°18′00.8712″');
		expect(toDms(-109.74505, 'lon', 'chinese')).toBe('西经109°44′42.1800″');
		expect(toDms(-39.300242, 'lat', 'signed')).toBe('-39°18′00.8712″');
		expect(toDms(39.300242, 'lat', 'signed')).toBe('39°18′00.8712″');
	});

	it('carries 59.99995″ and more into the next minute and degree', () => {
		expect(toDms(39 + 59 / 60 + 59.99996 / 3600, 'lat')).toBe('40°00′00.0000″N');
		expect(toDms(39 + 17 / 60 + 59.99997 / 3600, 'lat')).toBe('39°18′00.0000″N');
		expect(toDms(39 + 17 / 60 + 59.99994 / 3600, 'lat')).toBe('39°17′59.9999″N');
		expect(toDms(-(39 + 59 / 60 + 59.99999 / 3600), 'lat')).toBe('40°00′00.0000″S');
		expect(dmsParts(109.999_999_999)).toEqual({
			negative: false,
			degrees: 110,
			minutes: 0,
			seconds: 0
		});
	});

	it('never writes 60 seconds or 60 minutes', () => {
		for (let minute = 0; minute < 60; minute++) {
			for (const second of [59.99994, 59.99995, 59.99996, 59.999999]) {
				const text = toDms(39 + minute / 60 + second / 3600, 'lat');
				expect(text).not.toMatch(/′60|60\.0000″|°60/);
			}
		}
	});

	it('gives an empty string for a non-finite value and no minus for a rounded zero', () => {
		expect(toDms(Number.NaN, 'lat')).toBe('');
		expect(toDms(-1e-12, 'lat', 'signed')).toBe('0°00′00.0000″');
	});
});

describe('parseDms', () => {
	it.each([
		['39°18′00.8712″N', 39.300242],
		['39°18′00.8712″', 39.300242],
		['N39°18′00.8712″', 39.300242],
		['39 18 0.8712', 39.300242],
		['39 18 00.8712 N', 39.300242],
		['39°18\'0.8712"', 39.300242],
		["39°18'0.8712''", 39.300242],
		['39°18’0.8712”', 39.300242],
		['北纬39度18分0.8712秒', 39.300242],
		['39度18分0.8712秒', 39.300242],
		['３９°１８′００．８７１２″', 39.300242],
		['39:18:0.8712', 39.300242],
		['39°18.01452′', 39.300242],
		['109.74505', 109.74505],
		['东经109°44′42.18″', 109.74505],
		['109°44′42.18″E', 109.74505],
		['109°44′42.18″e', 109.74505],
		['-39 18 0.8712', -39.300242],
		['39°18′00.8712″S', -39.300242],
		['南纬39度18分0.8712秒', -39.300242],
		['西经109°44′42.18″', -109.74505],
		['109 44 42.18 W', -109.74505],
		['  39°  18′  0.8712″  ', 39.300242],
		['39°', 39],
		['39°0′12″', 39 + 12 / 3600]
	])('reads %s', (text, expected) => {
		expect(parsed(text)).toBeCloseTo(expected, 9);
	});

	it('round-trips every style for many values', () => {
		for (const [axis, limit] of [
			['lat', 90],
			['lon', 180]
		] as const) {
			for (const value of values(500, -limit, limit)) {
				for (const style of ['letter', 'chinese', 'signed'] as const) {
					const text = toDms(value, axis, style);
					expect(Math.abs(parsed(text, axis) - value)).toBeLessThanOrEqual(HALF_UNIT + 1e-12);
					// and writing the parsed value again gives the same text
					expect(toDms(parsed(text, axis), axis, style)).toBe(text);
				}
			}
		}
	});

	it('round-trips the edges of the ranges', () => {
		for (const [value, axis] of [
			[90, 'lat'],
			[-90, 'lat'],
			[180, 'lon'],
			[-180, 'lon'],
			[0, 'lon']
		] as const) {
			expect(parsed(toDms(value, axis), axis)).toBe(value);
		}
	});

	it('refuses minutes or seconds of 60 or more, saying which', () => {
		const minutes = parseDms('39°60′00″');
		expect(minutes.ok).toBe(false);
		if (!minutes.ok) expect(minutes.message).toMatch(/分.*60/);
		const seconds = parseDms('39°18′60″');
		expect(seconds.ok).toBe(false);
		if (!seconds.ok) expect(seconds.message).toMatch(/秒.*60/);
		expect(parseDms('39°18′59.9999″').ok).toBe(true);
	});

	it('refuses values out of range for the axis', () => {
		const lat = parseDms('91°00′00″', 'lat');
		expect(lat.ok).toBe(false);
		if (!lat.ok) expect(lat.message).toContain('纬度');
		expect(parseDms('90°00′00.0001″N').ok).toBe(false);
		expect(parseDms('109.74505', 'lat').ok).toBe(false);
		expect(parseDms('180.0001', 'lon').ok).toBe(false);
		expect(parseDms('181').ok).toBe(false);
		expect(parseDms('109.74505', 'lon').ok).toBe(true);
	});

	it('refuses a hemisphere of the other axis, or a sign with a hemisphere', () => {
		const swapped = parseDms('39°18′00″N', 'lon');
		expect(swapped.ok).toBe(false);
		if (!swapped.ok) expect(swapped.message).toContain('经纬度填反');
		expect(parseDms('-39°18′00″S').ok).toBe(false);
		expect(parseDms('N39°18′00″N').ok).toBe(false);
	});

	it.each([
		'',
		'   ',
		'abc',
		'39°18′00″X',
		'39.5 18',
		'39 18.5 12',
		'18′00″',
		'39°12″extra',
		'1e5',
		'39°°',
		'39 18 0 5',
		'--39'
	])('refuses %j with a message saying how to write it', (text) => {
		const result = parseDms(text);
		expect(result.ok).toBe(false);
		if (!result.ok) expect(result.message).toMatch(/请/);
	});
});
