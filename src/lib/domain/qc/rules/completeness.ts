import { subcategoriesOf } from '../../codelists/index.js';
import { isEmpty } from '../../schemas/common.js';
import type { SurveyRecord } from '../../schemas/survey-record.js';
import { defineRule } from '../context.js';
import { FIELD_LABELS } from '../describe.js';

/** Empty as the contract says (absent, null, blank text, []), and a list of blank texts. */
export function isBlank(value: unknown): boolean {
	if (isEmpty(value)) return true;
	return Array.isArray(value) && value.every((v) => typeof v === 'string' && v.trim() === '');
}

const REQUIRED = [
	['name', '请按定名规则填写文物名称'],
	['category', '请选择类别'],
	['subcategory', '请在所选类别下选择细分类别'],
	['era', '请按年代标准填写，如「明」「清康熙十四年（1675）」；确实无法判断的填「不详」'],
	['eraGroup', '请选择统计年代'],
	['protectionLevel', '请选择文物级别；未定级的选「尚未核定公布为文物保护单位的不可移动文物」'],
	['condition', '请选择现状评估（好、较好、一般、较差、差）'],
	['description', '请填写简介：位置与环境、形制与结构、保存现状、年代依据等'],
	['surveyors', '请填写调查人'],
	['surveyedOn', '请填写调查日期']
] as const satisfies readonly (readonly [keyof SurveyRecord, string])[];

const REQUIRED_RECHECK = [
	['siteCode', '请填写所复查文物的登记编号'],
	['changeType', '请选择变更情况（无变更、变更类型、合并、拆分、消失）']
] as const satisfies readonly (readonly [keyof SurveyRecord, string])[];

export const REQ_001 = defineRule('REQ-001', 'error', '必填项未填写', (record, _ctx, report) => {
	const fields = record.kind === '复查' ? [...REQUIRED_RECHECK, ...REQUIRED] : REQUIRED;
	for (const [field, hint] of fields) {
		if (isBlank(record[field])) report(`未填写「${FIELD_LABELS[field]}」：${hint}`, field);
	}
});

export const CAT_001 = defineRule(
	'CAT-001',
	'error',
	'细分类别不属于所选类别',
	(record, _ctx, report) => {
		const { category, subcategory } = record;
		if (!category || !subcategory) return;
		const allowed = subcategoriesOf(category);
		if (allowed.includes(subcategory)) return;
		report(
			`细分类别「${subcategory}」不属于类别「${category}」：请在「${category}」的细分类别中重新选择（如「${allowed[0] ?? ''}」），或改正类别`,
			'subcategory'
		);
	}
);

/** Minimum length of 简介, in Unicode code points. */
export const MIN_DESCRIPTION_CHARS = 50;

export const TXT_001 = defineRule('TXT-001', 'warning', '简介过短', (record, _ctx, report) => {
	const text = record.description?.trim() ?? '';
	if (text === '') return;
	const length = [...text].length;
	if (length >= MIN_DESCRIPTION_CHARS) return;
	report(
		`简介只有 ${length} 个字，少于 ${MIN_DESCRIPTION_CHARS} 字：请补充位置与环境、形制与结构、保存现状、年代依据等内容`,
		'description'
	);
});
