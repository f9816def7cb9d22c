/** Wording shared by the rules' messages. */
import { countyName } from '../codelists/index.js';
import type { RegisteredSite } from '../schemas/site.js';
import type { RecordPhoto, SurveyRecord } from '../schemas/survey-record.js';

/** Chinese labels of the record's fields, as the form shows them. */
export const FIELD_LABELS = {
	siteCode: '登记编号',
	name: '名称',
	township: '乡镇（街道、苏木）',
	village: '村（社区、嘎查）',
	address: '地址及位置',
	changeType: '变更情况',
	lostReason: '消失原因',
	category: '类别',
	subcategory: '细分类别',
	era: '年代',
	eraGroup: '统计年代',
	protectionLevel: '文物级别',
	ownership: '所有权',
	usage: '使用用途',
	condition: '现状评估',
	openStatus: '开放状况',
	threats: '主要影响因素',
	areaM2: '面积',
	location: '中心点坐标',
	boundary: '本体边界',
	description: '简介',
	photos: '照片',
	surveyors: '调查人',
	surveyedOn: '调查日期'
} as const;

/** `「巴音敖包烽燧遗址」(150627-0042)` */
export function describeSite(site: Pick<RegisteredSite, 'name' | 'code'>): string {
	return `「${site.name}」(${site.code})`;
}

/** `「名称」（复查 150627-0042，调查人 张三、李四，2025-06-02，记录 2f1c9a0b）` */
export function describeRecord(record: SurveyRecord): string {
	const name = record.name?.trim() || '未命名';
	const parts: string[] = [record.siteCode ? `${record.kind} ${record.siteCode}` : record.kind];
	const surveyors = (record.surveyors ?? []).filter((s) => s.trim() !== '');
	if (surveyors.length > 0) parts.push(`调查人 ${surveyors.join('、')}`);
	if (record.surveyedOn) parts.push(record.surveyedOn);
	parts.push(`记录 ${record.id.slice(0, 8)}`);
	return `「${name}」（${parts.join('，')}）`;
}

/** `第 3 张照片（近景）` */
export function describePhoto(photo: RecordPhoto, index: number): string {
	return `第 ${index + 1} 张照片（${photo.kind}）`;
}

export function describeCounty(code: string): string {
	return countyName(code);
}

/** `35 米`, `1.2 公里` */
export function formatDistance(metres: number): string {
	if (metres < 1000) return `${Math.round(metres)} 米`;
	return `${(metres / 1000).toFixed(1)} 公里`;
}

/** Square metres, whole above 100 m², else one decimal. */
export function formatArea(m2: number): string {
	return m2 >= 100 ? String(Math.round(m2)) : m2.toFixed(1);
}

/** Whole days from date `a` to date `b` (both `YYYY-MM-DD`). */
export function daysBetween(a: string, b: string): number {
	return Math.round((Date.parse(`${b}T00:00:00Z`) - Date.parse(`${a}T00:00:00Z`)) / 86_400_000);
}
