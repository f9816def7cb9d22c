import { describe, expect, it } from 'vitest';
import {
	directionBearing,
	metresBetween,
	nearSites,
	neighboursWithin,
	readDistance
} from '$lib/review/record-geo.js';
import { destination, SITE_POINT } from '../../fixtures/builders.js';

describe('directionBearing', () => {
	it('points where a photo 由X向Y looks: towards Y', () => {
		expect(directionBearing('由南向北')).toBe(0);
		expect(directionBearing('由西向东')).toBe(90);
		expect(directionBearing('由东向西')).toBe(270);
		expect(directionBearing('由东南向西北')).toBe(315);
	});

	it('has none for 俯拍, 其他 and no direction', () => {
		expect(directionBearing('俯拍')).toBeNull();
		expect(directionBearing('其他')).toBeNull();
		expect(directionBearing('')).toBeNull();
		expect(directionBearing(undefined)).toBeNull();
	});
});

describe('neighboursWithin', () => {
	const at = SITE_POINT;
	const candidate = (id: string, metres: number, kind: 'site' | 'record' = 'site') => ({
		kind,
		id,
		name: id,
		...destination(at, metres, 30)
	});

	it('keeps those within the distance, nearest first, with their distance', () => {
		const found = neighboursWithin(
			at,
			[candidate('far', 800), candidate('b', 300, 'record'), candidate('a', 50)],
			500
		);
		expect(found.map((n) => n.id)).toEqual(['a', 'b']);
		expect(found[0]!.distanceM).toBeCloseTo(50, 0);
	});

	it('never looks beyond 5 km, whatever it is asked', () => {
		expect(neighboursWithin(at, [candidate('x', 6000)], 100_000)).toEqual([]);
	});

	it('flags a 新发现 within 100 m of a registered site, never a 复查 nor a record', () => {
		const found = neighboursWithin(
			at,
			[candidate('site', 80), candidate('rec', 20, 'record'), candidate('site2', 150)],
			500
		);
		expect(nearSites('新发现', found).map((n) => n.id)).toEqual(['site']);
		expect(nearSites('复查', found)).toEqual([]);
	});
});

describe('metresBetween', () => {
	it('measures the great-circle distance', () => {
		expect(metresBetween(SITE_POINT, destination(SITE_POINT, 1234, 200))).toBeCloseTo(1234, 0);
	});
});

describe('readDistance', () => {
	it('takes whole metres from 1 to 5000 and nothing else', () => {
		expect(readDistance('500')).toBe(500);
		expect(readDistance(' 5000 ')).toBe(5000);
		expect(readDistance('0')).toBeNull();
		expect(readDistance('5001')).toBeNull();
		expect(readDistance('1e3')).toBeNull();
		expect(readDistance('12.5')).toBeNull();
		expect(readDistance('')).toBeNull();
	});
});
