import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import * as lists from '$lib/domain/codelists/index.js';

const json = JSON.parse(readFileSync('src/lib/domain/codelists/codelists.json', 'utf8'));
const names = (items: { name: string }[]) => items.map((i) => i.name);

describe('code lists match codelists.json byte for byte', () => {
	it('has the 6 categories and 63 subcategories, in order', () => {
		expect(lists.CATEGORIES).toEqual(names(json.categories));
		for (const c of json.categories) {
			expect([...lists.CATEGORY_TREE[c.name as lists.Category]]).toEqual(c.subcategories);
			expect(lists.CATEGORY_CODE[c.name as lists.Category]).toBe(c.code);
		}
		expect(lists.SUBCATEGORIES).toHaveLength(63);
		expect(new Set(lists.SUBCATEGORIES).size).toBe(63);
	});

	it('has the eras and their 统计年代', () => {
		expect(lists.ERA_GROUPS).toEqual(json.eraGroups.values);
		expect(lists.ERAS.map((e) => [e.name, e.group])).toEqual(
			json.eras.map((e: { name: string; group: string }) => [e.name, e.group])
		);
		for (const era of lists.ERAS) expect(lists.ERA_GROUPS).toContain(era.group);
	});

	it('has levels, ownership, usage, industry, open status, condition', () => {
		expect(lists.PROTECTION_LEVELS).toEqual(names(json.protectionLevels));
		for (const l of json.protectionLevels) {
			expect(lists.PROTECTION_LEVEL_SHORT[l.name as lists.ProtectionLevel]).toBe(l.short);
			if (l.localName) {
				expect(lists.PROTECTION_LEVEL_LOCAL[l.name as lists.ProtectionLevel]).toBe(l.localName);
			}
		}
		expect(lists.OWNERSHIP).toEqual(names(json.ownership));
		expect(lists.USAGE).toEqual(json.usage.options);
		expect(lists.INDUSTRY).toEqual(json.industry.options);
		expect(lists.OPEN_STATUS).toEqual(json.openStatus.options);
		expect(lists.CONDITIONS).toEqual(names(json.condition));
	});

	it('has threats, change types, photo kinds and directions, sources, special lists', () => {
		expect(lists.THREAT_GROUPS.map((g) => [g.group, [...g.items]])).toEqual(
			json.damageCauses.groups.map((g: { group: string; items: string[] }) => [g.group, g.items])
		);
		expect(lists.SURVEY_KINDS).toEqual(json.surveyTypes.options);
		expect(lists.CHANGE_TYPES).toEqual(json.surveyTypes.changeTypes);
		expect(lists.PHOTO_KINDS).toEqual(json.photoKinds.options);
		expect(lists.PHOTO_DIRECTIONS).toEqual(json.photoDirections.options);
		expect(lists.POINT_TYPES).toEqual(json.pointTypes.options);
		expect(lists.SPECIAL_LISTS).toEqual(json.specialLists.options);
		expect(
			lists.LOCATION_SOURCES.map((code) => ({ code, label: lists.LOCATION_SOURCE_LABEL[code] }))
		).toEqual(json.locationSources.options);
	});

	it('has the 9 counties of the city', () => {
		expect(lists.COUNTIES).toEqual(json.counties);
		expect(lists.CITY).toEqual({ code: json.city.code, name: json.city.name });
		expect(lists.countyName('150627')).toBe('伊金霍洛旗');
	});

	it('finds the category of a subcategory and the era groups a category allows', () => {
		expect(lists.categoryOfSubcategory('城址')).toBe('古文化遗址');
		expect(lists.categoryOfSubcategory('寺观塔阁（及其他宗教建筑）')).toBe('古建筑');
		expect(lists.categoryOfSubcategory('不存在')).toBeUndefined();
		expect(lists.subcategoriesOf('古墓葬')).toEqual([
			'帝王陵寝',
			'名人或贵族墓',
			'普通墓葬',
			'其他墓葬'
		]);
		expect(lists.eraGroupsForCategory('近现代重要史迹及代表性建筑')).not.toContain('明代');
		expect(lists.eraGroupsForCategory('古建筑')).not.toContain('新石器时代');
		expect(lists.eraGroupsForCategory('古墓葬')).not.toContain('中华民国');
		expect(lists.eraGroupsForCategory('其他')).toEqual(lists.ERA_GROUPS);
	});
});
