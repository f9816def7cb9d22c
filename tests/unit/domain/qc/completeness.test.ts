import { describe, expect, it } from 'vitest';
import { runQc } from '$lib/domain/qc/index.js';
import type { SurveyRecord } from '$lib/domain/schemas/index.js';
import {
	DESCRIPTION,
	findingsOf,
	makeContext,
	perfectNewFind,
	perfectRecheck
} from '../../../fixtures/builders.js';

const REQUIRED = [
	'name',
	'category',
	'subcategory',
	'era',
	'eraGroup',
	'protectionLevel',
	'condition',
	'description',
	'surveyors',
	'surveyedOn'
] as const;

describe('REQ-001 required fields', () => {
	it.each(REQUIRED)('fires once, as an error at the field, when %s is empty', (field) => {
		const empties = field === 'surveyors' ? [undefined, null, []] : [undefined, null, '', '   '];
		for (const empty of empties) {
			const record = { ...perfectNewFind(), [field]: empty } as SurveyRecord;
			const found = findingsOf(runQc(record, makeContext()), 'REQ-001');
			expect(found).toHaveLength(1);
			expect(found[0]).toMatchObject({ severity: 'error', path: field });
			expect(found[0]?.message).toMatch(/未填写.*请/);
		}
	});

	it('counts a list of blank names as empty surveyors', () => {
		const found = findingsOf(runQc(perfectNewFind({ surveyors: [' '] }), makeContext()), 'REQ-001');
		expect(found.map((f) => f.path)).toEqual(['surveyors']);
	});

	it('needs siteCode and changeType on a 复查 only', () => {
		const recheck = perfectRecheck(undefined, { changeType: null });
		expect(findingsOf(runQc(recheck, makeContext()), 'REQ-001').map((f) => f.path)).toEqual([
			'changeType'
		]);
		const noCode = perfectRecheck(undefined, { siteCode: '' });
		expect(findingsOf(runQc(noCode, makeContext()), 'REQ-001').map((f) => f.path)).toEqual([
			'siteCode'
		]);
		expect(findingsOf(runQc(perfectNewFind(), makeContext()), 'REQ-001')).toEqual([]);
	});

	it('still needs the descriptive fields of a 消失 re-check', () => {
		const vanished = perfectRecheck(undefined, {
			changeType: '消失',
			lostReason: '2015年修路时被推平',
			condition: null
		});
		expect(findingsOf(runQc(vanished, makeContext()), 'REQ-001').map((f) => f.path)).toEqual([
			'condition'
		]);
	});

	it('lists one finding per empty field, in path order', () => {
		const empty = perfectNewFind({ name: '', era: null, description: '' });
		const found = findingsOf(runQc(empty, makeContext()), 'REQ-001');
		expect(found.map((f) => f.path)).toEqual(['description', 'era', 'name']);
	});
});

describe('CAT-001 subcategory of category', () => {
	it('fires when the subcategory belongs to another category', () => {
		const record = perfectNewFind({
			category: '古建筑',
			subcategory: '普通墓葬',
			era: '明',
			eraGroup: '明代'
		});
		const found = findingsOf(runQc(record, makeContext()), 'CAT-001');
		expect(found).toEqual([expect.objectContaining({ severity: 'error', path: 'subcategory' })]);
		expect(found[0]?.message).toContain('古建筑');
	});

	it('does not fire on a matching pair, nor when one of them is empty', () => {
		expect(findingsOf(runQc(perfectNewFind(), makeContext()), 'CAT-001')).toEqual([]);
		const noCategory = perfectNewFind({ category: null });
		expect(findingsOf(runQc(noCategory, makeContext()), 'CAT-001')).toEqual([]);
	});
});

describe('TXT-001 description length', () => {
	const text = (n: number) => '遗址位于台地上夯土台基'.repeat(10).slice(0, n);

	it('fires at 49 characters, not at 50', () => {
		const short = findingsOf(
			runQc(perfectNewFind({ description: text(49) }), makeContext()),
			'TXT-001'
		);
		expect(short).toEqual([expect.objectContaining({ severity: 'warning', path: 'description' })]);
		expect(short[0]?.message).toContain('49');
		expect(
			findingsOf(runQc(perfectNewFind({ description: text(50) }), makeContext()), 'TXT-001')
		).toEqual([]);
	});

	it('counts code points, not UTF-16 units, after trimming', () => {
		// 𠀀 (U+20000) is one character but two UTF-16 units
		const astral = '𠀀'.repeat(49);
		expect(astral.length).toBe(98);
		expect(
			findingsOf(runQc(perfectNewFind({ description: astral }), makeContext()), 'TXT-001')
		).toHaveLength(1);
		const padded = `   ${text(49)}\n\n  `;
		expect(
			findingsOf(runQc(perfectNewFind({ description: padded }), makeContext()), 'TXT-001')
		).toHaveLength(1);
		expect(
			findingsOf(runQc(perfectNewFind({ description: '𠀀'.repeat(50) }), makeContext()), 'TXT-001')
		).toEqual([]);
	});

	it('leaves an empty description to REQ-001', () => {
		const found = runQc(perfectNewFind({ description: '  ' }), makeContext());
		expect(findingsOf(found, 'TXT-001')).toEqual([]);
		expect(findingsOf(found, 'REQ-001').map((f) => f.path)).toEqual(['description']);
		expect([...DESCRIPTION].length).toBeGreaterThanOrEqual(50);
	});
});
