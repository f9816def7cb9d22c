import { describe, expect, it } from 'vitest';
import type { Category, EraGroup } from '$lib/domain/codelists/index.js';
import { subcategoriesOf } from '$lib/domain/codelists/index.js';
import { erasNamedIn, runQc } from '$lib/domain/qc/index.js';
import { findingsOf, makeContext, perfectNewFind } from '../../../fixtures/builders.js';

function record(category: Category, eraGroup: EraGroup, era = '不详') {
	return perfectNewFind({
		category,
		subcategory: subcategoriesOf(category)[0] as never,
		eraGroup,
		era
	});
}

describe('ERA-001 eraGroup possible for the category', () => {
	it.each([
		['近现代重要史迹及代表性建筑', '明代'],
		['近现代重要史迹及代表性建筑', '旧石器时代'],
		['古文化遗址', '中华民国'],
		['古墓葬', '中华人民共和国'],
		['古建筑', '中华民国'],
		['石窟寺及石刻', '中华人民共和国'],
		['古建筑', '旧石器时代'],
		['古建筑', '新石器时代']
	] as const)('fires for %s in %s', (category, eraGroup) => {
		const found = findingsOf(runQc(record(category, eraGroup), makeContext()), 'ERA-001');
		expect(found).toEqual([expect.objectContaining({ severity: 'error', path: 'eraGroup' })]);
		expect(found[0]?.message).toContain(eraGroup);
	});

	it.each([
		['近现代重要史迹及代表性建筑', '清代'],
		['近现代重要史迹及代表性建筑', '中华人民共和国'],
		['古文化遗址', '新石器时代'],
		['古文化遗址', '清代'],
		['古建筑', '夏商周（含春秋）'],
		['古墓葬', '不详'],
		['其他', '中华人民共和国'],
		['其他', '旧石器时代']
	] as const)('does not fire for %s in %s', (category, eraGroup) => {
		expect(findingsOf(runQc(record(category, eraGroup), makeContext()), 'ERA-001')).toEqual([]);
	});
});

describe('ERA-002 era text against eraGroup', () => {
	it.each([
		['明', '清代'],
		['新石器时代至商', '明代'],
		['西夏', '夏商周（含春秋）'],
		['东汉', '三国两晋南北朝'],
		['民国三十三年（1944）', '清代'],
		['清末', '中华民国'],
		['清康熙十四年（1675）', '明代'],
		['唐至辽', '明代']
	] as const)('warns for era %s with eraGroup %s', (era, eraGroup) => {
		const found = findingsOf(runQc(record('古文化遗址', eraGroup, era), makeContext()), 'ERA-002');
		expect(found).toEqual([expect.objectContaining({ severity: 'warning', path: 'eraGroup' })]);
		expect(found[0]?.message).toContain(eraGroup);
	});

	it.each([
		['明', '明代'],
		['新石器时代至商', '新石器时代'],
		['新石器时代至商', '夏商周（含春秋）'],
		['西夏', '宋辽西夏金元'],
		['西汉', '战国秦汉'],
		['汉', '战国秦汉'],
		['民国', '中华民国'],
		['清末', '清代'],
		['清末（1840—1911）', '清代'],
		['清光绪元年', '清代'],
		['公元前3世纪', '战国秦汉'],
		['朱开沟文化', '夏商周（含春秋）'],
		['年代待考', '明代']
	] as const)('does not warn for era %s with eraGroup %s', (era, eraGroup) => {
		expect(
			findingsOf(runQc(record('古文化遗址', eraGroup, era), makeContext()), 'ERA-002')
		).toEqual([]);
	});

	it('matches the longest name first and consumes it', () => {
		expect(erasNamedIn('西汉').map((e) => e.term)).toEqual(['西汉']);
		expect(erasNamedIn('西夏').map((e) => e.term)).toEqual(['西夏']);
		expect(erasNamedIn('新石器时代至商').map((e) => e.term)).toEqual(['新石器时代', '商']);
		expect(erasNamedIn('中华民国').map((e) => e.term)).toEqual(['中华民国']);
		expect(erasNamedIn('民国').map((e) => e.group)).toEqual(['中华民国']);
		expect(erasNamedIn('清末').map((e) => e.group)).toEqual(['清代']);
		expect(erasNamedIn('明洪武元年').map((e) => e.term)).toEqual(['明']);
		expect(erasNamedIn('朱开沟文化')).toEqual([]);
	});
});
