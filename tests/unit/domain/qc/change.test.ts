import { describe, expect, it } from 'vitest';
import { diffAgainstSite, runQc } from '$lib/domain/qc/index.js';
import type { SurveyRecord } from '$lib/domain/schemas/index.js';
import {
	codesOf,
	destination,
	findingsOf,
	makeContext,
	makeSite,
	perfectRecheck,
	SITE_POINT
} from '../../../fixtures/builders.js';

const site = makeSite();
const recheck = (overrides: Partial<SurveyRecord> = {}) => perfectRecheck(site, overrides);

describe('CHG-001 lost reason of a vanished site', () => {
	it('is an error at lostReason when it is empty', () => {
		for (const lostReason of [undefined, null, '', '  ']) {
			const found = findingsOf(
				runQc(recheck({ changeType: '消失', lostReason }), makeContext()),
				'CHG-001'
			);
			expect(found).toEqual([expect.objectContaining({ severity: 'error', path: 'lostReason' })]);
		}
	});

	it('does not fire with a reason, or for another change type', () => {
		const found = runQc(
			recheck({ changeType: '消失', lostReason: '2015年修路时被推平' }),
			makeContext()
		);
		expect(findingsOf(found, 'CHG-001')).toEqual([]);
		expect(findingsOf(runQc(recheck({ changeType: '拆分' }), makeContext()), 'CHG-001')).toEqual(
			[]
		);
	});
});

describe('CHG-002 无变更 that changes something', () => {
	it.each([
		['name', '巴音敖包烽火台'],
		['category', '古建筑'],
		['subcategory', '聚落址'],
		['eraGroup', '清代'],
		['protectionLevel', '县级文物保护单位']
	] as const)('warns at %s when it differs from the registry', (field, value) => {
		const found = findingsOf(runQc(recheck({ [field]: value }), makeContext()), 'CHG-002');
		expect(found).toEqual([expect.objectContaining({ severity: 'warning', path: field })]);
		expect(found[0]?.message).toContain(value);
	});

	it('does not warn for other fields, nor for another change type', () => {
		expect(
			findingsOf(runQc(recheck({ condition: '差', village: '' }), makeContext()), 'CHG-002')
		).toEqual([]);
		const changed = recheck({ changeType: '变更类型', name: '巴音敖包烽火台' });
		expect(findingsOf(runQc(changed, makeContext()), 'CHG-002')).toEqual([]);
	});

	it('accepts a move of 99 m and warns at 101 m', () => {
		const moved = (metres: number) => {
			const at = destination(SITE_POINT, metres, 30);
			const record = recheck({ boundary: null });
			return runQc({ ...record, location: { ...record.location, ...at } }, makeContext());
		};
		expect(findingsOf(moved(99), 'CHG-002')).toEqual([]);
		expect(findingsOf(moved(101), 'CHG-002')).toEqual([
			expect.objectContaining({ severity: 'warning', path: 'location' })
		]);
	});

	it('does nothing when the registry entry is not known here', () => {
		const found = runQc(recheck({ name: '改名了' }), makeContext({ registry: [] }));
		expect(codesOf(found)).not.toContain('CHG-002');
		expect(codesOf(found)).not.toContain('LVL-001');
	});
});

describe('LVL-001 protection level changed by a 复查', () => {
	it('warns at protectionLevel, whatever the change type', () => {
		for (const changeType of ['无变更', '变更类型'] as const) {
			const record = recheck({ changeType, protectionLevel: '县级文物保护单位' });
			const found = findingsOf(runQc(record, makeContext()), 'LVL-001');
			expect(found).toEqual([
				expect.objectContaining({ severity: 'warning', path: 'protectionLevel' })
			]);
			expect(found[0]?.message).toContain(site.protectionLevel);
		}
	});

	it('does not fire when the level is kept', () => {
		expect(
			findingsOf(runQc(recheck({ changeType: '变更类型' }), makeContext()), 'LVL-001')
		).toEqual([]);
	});
});

describe('diffAgainstSite', () => {
	it('lists nothing for an unchanged re-check at the registry point', () => {
		expect(diffAgainstSite(recheck(), site)).toEqual([]);
	});

	it('lists changed fields, treating empties alike and lists as sets', () => {
		const record = recheck({
			village: null,
			usage: [...site.usage],
			threats: [...site.threats].reverse(),
			condition: '差',
			areaM2: 12_000,
			description: `  ${site.description}  `
		});
		expect(diffAgainstSite(record, { ...site, village: '' })).toEqual([
			{ field: 'condition', label: '现状评估', from: site.condition, to: '差' },
			{ field: 'areaM2', label: '面积', from: site.areaM2, to: 12_000 }
		]);
	});

	it('reports how far the location moved', () => {
		const record = recheck();
		const at = destination(SITE_POINT, 42, 200);
		const changes = diffAgainstSite({ ...record, location: { ...record.location, ...at } }, site);
		expect(changes).toHaveLength(1);
		const [moved] = changes;
		expect(moved?.field).toBe('location');
		if (moved?.field === 'location') expect(moved.movedM).toBeCloseTo(42, 3);
	});
});
