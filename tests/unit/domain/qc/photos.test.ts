import { describe, expect, it } from 'vitest';
import { runQc } from '$lib/domain/qc/index.js';
import type { RecordPhoto } from '$lib/domain/schemas/index.js';
import {
	destination,
	findingsOf,
	makeContext,
	makePhoto,
	perfectRecheck,
	SITE_POINT
} from '../../../fixtures/builders.js';

const withPhotos = (photos: RecordPhoto[], overrides = {}) =>
	perfectRecheck(undefined, { photos, ...overrides });
const run = (photos: RecordPhoto[], rule: string, overrides = {}) =>
	findingsOf(runQc(withPhotos(photos, overrides), makeContext()), rule);

describe('PHO-001 required photos', () => {
	it('needs a 全景', () => {
		const found = run([makePhoto(1, '近景'), makePhoto(2, '细部')], 'PHO-001');
		expect(found).toEqual([expect.objectContaining({ severity: 'error', path: 'photos' })]);
		expect(found[0]?.message).toContain('全景');
	});

	it('needs a 近景 or a 细部, either one being enough', () => {
		expect(run([makePhoto(1, '全景'), makePhoto(2, '环境')], 'PHO-001')).toHaveLength(1);
		expect(run([makePhoto(1, '全景'), makePhoto(2, '近景')], 'PHO-001')).toEqual([]);
		expect(run([makePhoto(1, '全景'), makePhoto(2, '细部')], 'PHO-001')).toEqual([]);
	});

	it('reports both when there are no photos', () => {
		expect(run([], 'PHO-001')).toHaveLength(2);
	});

	it('needs an 环境 photo instead for a vanished site', () => {
		const vanished = { changeType: '消失', lostReason: '修路推平' };
		expect(run([makePhoto(1, '全景'), makePhoto(2, '近景')], 'PHO-001', vanished)).toHaveLength(1);
		expect(run([makePhoto(1, '环境')], 'PHO-001', vanished)).toEqual([]);
	});
});

describe('PHO-002 photo register entries', () => {
	it.each(['direction', 'takenAt', 'photographer'] as const)(
		'warns at the photo lacking %s',
		(field) => {
			for (const empty of [undefined, null, '']) {
				const photos = [makePhoto(1, '全景'), makePhoto(2, '近景', SITE_POINT, { [field]: empty })];
				expect(run(photos, 'PHO-002')).toEqual([
					expect.objectContaining({ severity: 'warning', path: 'photos.1' })
				]);
			}
		}
	);

	it('gives one finding per photo, in photo order', () => {
		const photos = Array.from({ length: 12 }, (_, i) =>
			makePhoto(i + 1, i === 0 ? '全景' : '近景', SITE_POINT, { direction: null, photographer: '' })
		);
		const found = run(photos, 'PHO-002');
		expect(found.map((f) => f.path)).toEqual(photos.map((_, i) => `photos.${i}`));
		expect(found[0]?.message).toMatch(/拍摄方位.*摄影者/);
	});

	it('does not warn for complete entries', () => {
		expect(run([makePhoto(1, '全景'), makePhoto(2, '近景')], 'PHO-002')).toEqual([]);
	});
});

describe('PHO-003 photo far from the location', () => {
	it('accepts 499 m and warns at 501 m', () => {
		const near = [makePhoto(1, '全景', destination(SITE_POINT, 499, 120)), makePhoto(2, '近景')];
		expect(run(near, 'PHO-003')).toEqual([]);
		const far = [makePhoto(1, '全景'), makePhoto(2, '近景', destination(SITE_POINT, 501, 120))];
		expect(run(far, 'PHO-003')).toEqual([
			expect.objectContaining({ severity: 'warning', path: 'photos.1' })
		]);
	});

	it('ignores a photo without a position', () => {
		expect(
			run(
				[makePhoto(1, '全景', SITE_POINT, { lat: null, lon: null }), makePhoto(2, '近景')],
				'PHO-003'
			)
		).toEqual([]);
	});
});

describe('PHO-004 photo dates (China Standard Time)', () => {
	const taken = (takenAt: string, surveyedOn = '2025-06-02') =>
		run(
			[
				makePhoto(1, '全景', SITE_POINT, { takenAt: `${surveyedOn}T10:00:00+08:00` }),
				makePhoto(2, '近景', SITE_POINT, { takenAt })
			],
			'PHO-004',
			{ surveyedOn }
		);

	it('accepts 30 days before surveyedOn and warns at 31', () => {
		expect(taken('2025-05-03T10:00:00+08:00')).toEqual([]);
		expect(taken('2025-05-02T10:00:00+08:00')).toEqual([
			expect.objectContaining({ severity: 'warning', path: 'photos.1' })
		]);
	});

	it('warns for a photo taken on a later China day than surveyedOn', () => {
		expect(taken('2025-06-02T15:59:59Z')).toEqual([]); // 23:59:59 in Beijing
		expect(taken('2025-06-02T16:00:00Z')).toHaveLength(1); // 00:00 the next day in Beijing
		expect(taken('2025-06-03T01:00:00+08:00')).toHaveLength(1);
	});

	it('warns for a photo taken before 2023-11-01 in Beijing', () => {
		expect(taken('2023-10-31T16:00:00Z', '2023-11-10')).toEqual([]); // 2023-11-01 00:00 CST
		expect(taken('2023-10-31T15:59:59Z', '2023-11-10')).toHaveLength(1);
	});

	it('ignores a photo without takenAt', () => {
		expect(
			run([makePhoto(1, '全景', SITE_POINT, { takenAt: null }), makePhoto(2, '近景')], 'PHO-004')
		).toEqual([]);
	});
});
