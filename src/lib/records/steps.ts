import type { SurveyRecord } from '$lib/domain/schemas/survey-record.js';

/** The sections of the record form, in the order of the registration form. */
export const STEPS = [
	{ id: 'change', label: '变更情况' },
	{ id: 'basic', label: '基本信息' },
	{ id: 'location', label: '位置与边界' },
	{ id: 'condition', label: '保存现状' },
	{ id: 'photos', label: '照片' },
	{ id: 'people', label: '调查人与日期' },
	{ id: 'review', label: '检查与完成' }
] as const;
export type StepId = (typeof STEPS)[number]['id'];

/** The steps a record shows: 变更情况 only for a 复查. */
export function stepsFor(record: Pick<SurveyRecord, 'kind'>): (typeof STEPS)[number][] {
	return STEPS.filter((s) => s.id !== 'change' || record.kind === '复查');
}

const FIELD_STEP: Record<string, StepId> = {
	siteCode: 'change',
	changeType: 'change',
	lostReason: 'change',
	name: 'basic',
	township: 'basic',
	village: 'basic',
	address: 'basic',
	category: 'basic',
	subcategory: 'basic',
	era: 'basic',
	eraGroup: 'basic',
	protectionLevel: 'basic',
	ownership: 'basic',
	usage: 'basic',
	usageNote: 'basic',
	industry: 'basic',
	openStatus: 'basic',
	specialLists: 'basic',
	location: 'location',
	boundary: 'location',
	areaM2: 'location',
	condition: 'condition',
	threats: 'condition',
	description: 'condition',
	photos: 'photos',
	surveyors: 'people',
	surveyedOn: 'people',
	qcNotes: 'review'
};

/** The step holding the field of a QC finding's path (e.g. `photos.2.direction` → photos). */
export function stepOfPath(path: string | undefined): StepId {
	const head = (path ?? '').split('.')[0] ?? '';
	return FIELD_STEP[head] ?? 'review';
}

/** The id of the form element for a path: `photos.2.direction` → `field-photos-2`. */
export function fieldId(path: string | undefined): string {
	const parts = (path ?? '').split('.');
	return `field-${parts[0] === 'photos' && parts[1] ? `photos-${parts[1]}` : (parts[0] ?? '')}`;
}
