import { describe, expect, it } from 'vitest';
import { CorrectionBodySchema } from '$lib/domain/sync/wire.js';
import { correctionChanges, correctionInput } from '$lib/review/correction-form.js';

const form = (entries: [string, string][]) => {
	const data = new FormData();
	for (const [k, v] of entries) data.append(k, v);
	return data;
};

describe('correctionInput', () => {
	it('gives each field the input of its kind', () => {
		expect(correctionInput('name').kind).toBe('text');
		expect(correctionInput('description').kind).toBe('long');
		expect(correctionInput('areaM2').kind).toBe('number');
		expect(correctionInput('category')).toMatchObject({ kind: 'enum' });
		expect(correctionInput('threats')).toMatchObject({ kind: 'list' });
	});
});

describe('correctionChanges', () => {
	it('shapes text, numbers, lists and clearing as the correction body wants them', () => {
		const { changes, entered } = correctionChanges(
			form([
				['field', 'name'],
				['v:name', '  新名称 '],
				['field', 'areaM2'],
				['v:areaM2', '420.5'],
				['field', 'threats'],
				['v:threats', '自然损毁'],
				['v:threats', '盗掘盗窃'],
				['field', 'usageNote'],
				['v:usageNote', ''],
				['reason', '核对档案']
			])
		);
		expect(changes).toEqual({
			name: '新名称',
			areaM2: 420.5,
			threats: ['自然损毁', '盗掘盗窃'],
			usageNote: null
		});
		expect(entered.reason).toBe('核对档案');
		expect(
			CorrectionBodySchema.safeParse({ revision: 1, changes, reason: entered.reason }).success
		).toBe(true);
	});

	it('passes a field that may not be corrected on, for the schema to refuse', () => {
		const { changes } = correctionChanges(
			form([
				['field', 'location'],
				['v:location', 'x'],
				['reason', 'r']
			])
		);
		const parsed = CorrectionBodySchema.safeParse({ revision: 1, changes, reason: 'r' });
		expect(parsed.success).toBe(false);
	});

	it('keeps a number field that is not a number as text, and an empty list as cleared', () => {
		const { changes } = correctionChanges(
			form([
				['field', 'areaM2'],
				['v:areaM2', 'abc'],
				['field', 'usage']
			])
		);
		expect(changes).toEqual({ areaM2: 'abc', usage: null });
	});
});
