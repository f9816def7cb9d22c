import type { RegisteredSite } from '../../schemas/site.js';
import type { SurveyRecord } from '../../schemas/survey-record.js';
import { defineRule, type QcContext } from '../context.js';
import { formatDistance } from '../describe.js';
import { diffAgainstSite, type SiteValue } from '../diff.js';
import { isBlank } from './completeness.js';

/** How far a 无变更 re-check's centre point may lie from the registry's. */
export const UNCHANGED_MAX_MOVE_M = 100;

const UNCHANGED_FIELDS = ['name', 'category', 'subcategory', 'eraGroup', 'protectionLevel'];

function registeredSite(record: SurveyRecord, ctx: QcContext): RegisteredSite | undefined {
	if (record.kind !== '复查' || !record.siteCode) return undefined;
	return ctx.registry.find((site) => site.code === record.siteCode);
}

function show(value: SiteValue): string {
	if (value === null) return '（空）';
	return Array.isArray(value) ? value.join('、') : String(value);
}

export const CHG_001 = defineRule(
	'CHG-001',
	'error',
	'消失但未填写消失原因',
	(record, _ctx, report) => {
		if (record.changeType !== '消失' || !isBlank(record.lostReason)) return;
		report(
			'变更情况为「消失」，但未填写消失原因：请说明文物消失的原因和大致时间（如工程建设、自然损毁）',
			'lostReason'
		);
	}
);

export const CHG_002 = defineRule(
	'CHG-002',
	'warning',
	'「无变更」的复查与登记信息不一致',
	(record, ctx, report) => {
		if (record.changeType !== '无变更') return;
		const site = registeredSite(record, ctx);
		if (!site) return;
		for (const change of diffAgainstSite(record, site)) {
			if (change.field === 'location') {
				if (change.movedM > UNCHANGED_MAX_MOVE_M) {
					report(
						`变更情况为「无变更」，但中心点距登记位置约 ${formatDistance(change.movedM)}（超过 ${UNCHANGED_MAX_MOVE_M} 米）：请核对定位；如登记位置有误或文物确有变化，请改选变更情况并说明`,
						'location'
					);
				}
			} else if (UNCHANGED_FIELDS.includes(change.field) && change.to !== null) {
				report(
					`变更情况为「无变更」，但${change.label}由登记的「${show(change.from)}」改为「${show(change.to)}」：如确有变更，请改选相应的变更情况；否则请恢复为登记值`,
					change.field
				);
			}
		}
	}
);

export const LVL_001 = defineRule(
	'LVL-001',
	'warning',
	'复查改变了文物级别',
	(record, ctx, report) => {
		const site = registeredSite(record, ctx);
		const level = record.protectionLevel;
		if (!site || !level || level === site.protectionLevel) return;
		report(
			`文物级别由登记的「${site.protectionLevel}」改为「${level}」：级别只能依据政府公布文件变更，请恢复为登记级别；如已有新的公布文件，请在说明中注明文件名称和文号`,
			'protectionLevel'
		);
	}
);
