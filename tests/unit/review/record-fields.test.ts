import { describe, expect, it } from 'vitest';
import {
	compareFields,
	FIELD_ORDER,
	fieldSections,
	fieldText,
	SITE_FIELDS,
	siteAsRecord
} from '$lib/review/record-fields.js';
import { destination, makeSite, perfectNewFind, perfectRecheck } from '../../fixtures/builders.js';

describe('fieldSections', () => {
	it('follows the registration form, 变更情况 only for a 复查', () => {
		expect(fieldSections('复查').map((s) => s.id)).toEqual([
			'change',
			'basic',
			'location',
			'condition',
			'photos',
			'people',
			'review'
		]);
		expect(fieldSections('新发现').map((s) => s.id)).not.toContain('change');
		const basic = fieldSections('复查').find((s) => s.id === 'basic')!.fields;
		expect(basic.slice(0, 4)).toEqual(['name', 'township', 'village', 'address']);
	});

	it('places every field of the order in exactly one section', () => {
		const all = fieldSections('复查').flatMap((s) => s.fields);
		expect(all).toEqual([...FIELD_ORDER]);
	});
});

describe('compareFields against the registry entry', () => {
	const site = makeSite();

	it('finds nothing changed in a 复查 that changes nothing', () => {
		expect(compareFields(perfectRecheck(site), siteAsRecord(site), SITE_FIELDS)).toEqual([]);
	});

	it('names each changed field with its old and new value, in form order', () => {
		const record = perfectRecheck(site, {
			description: '新的简介',
			name: `${site.name}（新）`,
			threats: []
		});
		const changes = compareFields(record, siteAsRecord(site), SITE_FIELDS);
		expect(changes.map((c) => c.field)).toEqual(
			['name', 'description', ...(site.threats.length > 0 ? ['threats'] : [])].sort(
				(a, b) => FIELD_ORDER.indexOf(a as never) - FIELD_ORDER.indexOf(b as never)
			)
		);
		expect(changes[0]).toMatchObject({ before: site.name, after: `${site.name}（新）` });
	});

	it('compares the location by its point and says how far it moved', () => {
		const moved = destination(site.location, 40, 90);
		const record = perfectRecheck(site);
		const changes = compareFields(
			{ ...record, location: { ...record.location, lat: moved.lat, lon: moved.lon } },
			siteAsRecord(site),
			SITE_FIELDS
		);
		expect(changes).toHaveLength(1);
		expect(changes[0]!.field).toBe('location');
		expect(changes[0]!.movedM).toBeCloseTo(40, 0);
	});

	it('takes empty values written differently as equal', () => {
		const record = perfectRecheck(site);
		const base = { ...siteAsRecord(site), village: '' };
		expect(
			compareFields({ ...record, village: undefined }, base, SITE_FIELDS).map((c) => c.field)
		).not.toContain('village');
	});
});

describe('compareFields against the previous revision', () => {
	it('compares every field, the location with all its values', () => {
		const before = perfectNewFind();
		const after = {
			...before,
			location: { ...before.location, accuracyM: 12 },
			surveyors: ['王五']
		};
		expect(compareFields(after, before).map((c) => c.field)).toEqual(['location', 'surveyors']);
	});
});

describe('fieldText', () => {
	it('writes lists, areas, boundaries and empty values as a reviewer reads them', () => {
		expect(fieldText('threats', ['自然损毁', '盗掘盗窃'])).toBe('自然损毁、盗掘盗窃');
		expect(fieldText('areaM2', 400)).toBe('400 m²');
		expect(fieldText('name', '')).toBe('');
		expect(fieldText('usage', [])).toBe('');
		expect(fieldText('boundary', perfectNewFind().boundary)).toMatch(/1.*4/);
	});
});
