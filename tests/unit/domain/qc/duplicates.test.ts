import { describe, expect, it } from 'vitest';
import { runQc } from '$lib/domain/qc/index.js';
import type { SurveyRecord } from '$lib/domain/schemas/index.js';
import {
	destination,
	findingsOf,
	makeContext,
	makePhoto,
	makeSite,
	perfectNewFind,
	perfectRecheck,
	SITE_POINT,
	uuid,
	type Point
} from '../../../fixtures/builders.js';

const site = makeSite();

/** A perfect 新发现 of the site's category at `at` (boundary and photos moved along). */
function newFindAt(at: Point, overrides: Partial<SurveyRecord> = {}, id = uuid(2)): SurveyRecord {
	const record = perfectNewFind(
		{
			category: '古文化遗址',
			subcategory: '聚落址',
			era: '明',
			eraGroup: '明代',
			boundary: null,
			...overrides
		},
		id
	);
	return {
		...record,
		location: { ...record.location, lat: at.lat, lon: at.lon },
		photos: record.photos.map((p) => ({ ...p, lat: at.lat, lon: at.lon }))
	};
}

describe('DUP-001 new find near a registered site or another record', () => {
	it('warns within 100 m of a registered site of the same category, naming it', () => {
		const found = findingsOf(
			runQc(newFindAt(destination(SITE_POINT, 99, 45)), makeContext()),
			'DUP-001'
		);
		expect(found).toEqual([expect.objectContaining({ severity: 'warning', path: 'location' })]);
		expect(found[0]?.message).toContain(site.name);
		expect(found[0]?.message).toContain(site.code);
	});

	it('does not warn at 101 m, nor for another category', () => {
		expect(
			findingsOf(runQc(newFindAt(destination(SITE_POINT, 101, 45)), makeContext()), 'DUP-001')
		).toEqual([]);
		const tomb = newFindAt(destination(SITE_POINT, 20, 45), {
			category: '古墓葬',
			subcategory: '普通墓葬'
		});
		expect(findingsOf(runQc(tomb, makeContext()), 'DUP-001')).toEqual([]);
	});

	it('warns within 100 m of another record of the same category, naming it', () => {
		const other = newFindAt(destination(SITE_POINT, 2000, 0), { name: '北台地遗址' }, uuid(7));
		const mine = newFindAt(destination(SITE_POINT, 2099, 0));
		const found = findingsOf(runQc(mine, makeContext({ otherRecords: [other] })), 'DUP-001');
		expect(found).toHaveLength(1);
		expect(found[0]?.message).toContain('北台地遗址');
		const far = newFindAt(destination(SITE_POINT, 2101, 0));
		expect(findingsOf(runQc(far, makeContext({ otherRecords: [other] })), 'DUP-001')).toEqual([]);
	});

	it('ignores a record with the same id (an earlier revision of this one)', () => {
		const mine = newFindAt(destination(SITE_POINT, 2000, 0));
		expect(
			findingsOf(runQc(mine, makeContext({ registry: [], otherRecords: [mine] })), 'DUP-001')
		).toEqual([]);
	});

	it('applies to a 新发现 only', () => {
		expect(findingsOf(runQc(perfectRecheck(site), makeContext()), 'DUP-001')).toEqual([]);
	});
});

describe('DUP-002 same name in the same county', () => {
	it('warns for a registered site of the same name, naming it', () => {
		const record = perfectNewFind({ name: ` ${site.name} ` });
		const found = findingsOf(runQc(record, makeContext()), 'DUP-002');
		expect(found).toEqual([expect.objectContaining({ severity: 'warning', path: 'name' })]);
		expect(found[0]?.message).toContain(`「${site.name}」(${site.code})`);
	});

	it('ignores the site this record re-checks and sites of other counties', () => {
		expect(findingsOf(runQc(perfectRecheck(site), makeContext()), 'DUP-002')).toEqual([]);
		const elsewhere = makeSite({
			code: '150602-0001',
			countyCode: '150602',
			name: '巴音敖包东墓葬'
		});
		const found = runQc(perfectNewFind(), makeContext({ registry: [site, elsewhere] }));
		expect(findingsOf(found, 'DUP-002')).toEqual([]);
	});

	it('warns for another record of the same name, but not for this record itself', () => {
		const other = perfectNewFind(
			{ location: { lat: 39.5, lon: 109.8, source: 'gnss', accuracyM: 3 } },
			uuid(9)
		);
		const found = findingsOf(
			runQc(perfectNewFind(), makeContext({ otherRecords: [other] })),
			'DUP-002'
		);
		expect(found).toHaveLength(1);
		expect(found[0]?.message).toContain('巴音敖包东墓葬');
		expect(found[0]?.message).toContain('李四');
		const self = perfectNewFind();
		expect(findingsOf(runQc(self, makeContext({ otherRecords: [self] })), 'DUP-002')).toEqual([]);
	});

	it('leaves another re-check of the same site to DUP-004', () => {
		const other = perfectRecheck(site, {}, uuid(11));
		const found = runQc(perfectRecheck(site), makeContext({ otherRecords: [other] }));
		expect(findingsOf(found, 'DUP-002')).toEqual([]);
		expect(findingsOf(found, 'DUP-004')).toHaveLength(1);
	});
});

describe('DUP-003 photo also in another record', () => {
	it('is an error at the photo, naming the other record', () => {
		const other = perfectNewFind({ name: '另一处遗址', photos: [makePhoto(77, '全景')] }, uuid(12));
		const mine = perfectRecheck(site);
		mine.photos = [...mine.photos, makePhoto(77, '细部')];
		const found = findingsOf(runQc(mine, makeContext({ otherRecords: [other] })), 'DUP-003');
		expect(found).toEqual([expect.objectContaining({ severity: 'error', path: 'photos.2' })]);
		expect(found[0]?.message).toContain('另一处遗址');
	});

	it('does not fire for distinct photos or for the same record', () => {
		const other = perfectNewFind({}, uuid(12));
		const mine = perfectRecheck(site);
		expect(findingsOf(runQc(mine, makeContext({ otherRecords: [other] })), 'DUP-003')).toEqual([]);
		expect(findingsOf(runQc(mine, makeContext({ otherRecords: [mine] })), 'DUP-003')).toEqual([]);
	});
});

describe('DUP-004 two re-checks of one site', () => {
	it('warns naming the other record and the site', () => {
		const other = perfectRecheck(site, { surveyors: ['王五'] }, uuid(13));
		const found = findingsOf(
			runQc(perfectRecheck(site), makeContext({ otherRecords: [other] })),
			'DUP-004'
		);
		expect(found).toEqual([expect.objectContaining({ severity: 'warning', path: 'siteCode' })]);
		expect(found[0]?.message).toContain('王五');
		expect(found[0]?.message).toContain(site.name);
	});

	it('does not fire for a re-check of another site, or for this record itself', () => {
		const otherSite = makeSite({
			code: '150627-0043',
			name: '另一烽燧',
			location: destination(SITE_POINT, 5000, 0)
		});
		const other = perfectRecheck(otherSite, {}, uuid(14));
		const mine = perfectRecheck(site);
		const ctx = makeContext({ registry: [site, otherSite], otherRecords: [other, mine] });
		expect(findingsOf(runQc(mine, ctx), 'DUP-004')).toEqual([]);
	});
});
