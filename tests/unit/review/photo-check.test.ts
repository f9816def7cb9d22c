import { describe, expect, it } from 'vitest';
import { checkPhoto, distanceText, durationText } from '$lib/review/photo-check.js';
import { destination, makePhoto, SITE_POINT } from '../../fixtures/builders.js';

describe('checkPhoto', () => {
	const photo = makePhoto(1, '全景', SITE_POINT, { takenAt: '2025-06-02T10:35:00+08:00' });

	it('measures the time and place between the record and the EXIF', () => {
		const there = destination(SITE_POINT, 250, 0);
		const check = checkPhoto(photo, {
			dateTimeOriginal: '2025-06-02T10:30:00+08:00',
			lat: there.lat,
			lon: there.lon,
			make: 'HUAWEI'
		});
		expect(check.hasExif).toBe(true);
		expect(check.timeDiffS).toBe(300);
		expect(check.distanceM).toBeCloseTo(250, 0);
	});

	it('says a file without EXIF has none, and compares nothing', () => {
		expect(checkPhoto(photo, {})).toEqual({ hasExif: false, timeDiffS: null, distanceM: null });
	});

	it('compares nothing a side lacks', () => {
		const bare = makePhoto(2, '近景', SITE_POINT, { takenAt: undefined, lat: undefined });
		const check = checkPhoto(bare, {
			dateTimeOriginal: '2025-06-02T10:30:00+08:00',
			lat: 39,
			lon: 109
		});
		expect(check).toEqual({ hasExif: true, timeDiffS: null, distanceM: null });
	});
});

describe('durationText', () => {
	it('reads seconds, minutes, hours and days', () => {
		expect(durationText(-42)).toBe('42 秒');
		expect(durationText(125)).toBe('2 分 5 秒');
		expect(durationText(3600 + 4 * 60)).toBe('1 小时 4 分');
		expect(durationText(2 * 86_400 + 3600)).toBe('2 天 1 小时');
	});
});

describe('distanceText', () => {
	it('reads metres up to a kilometre, then kilometres', () => {
		expect(distanceText(12.4)).toBe('12 米');
		expect(distanceText(96_714.8)).toBe('96.7 公里');
	});
});
