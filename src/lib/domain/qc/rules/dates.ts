import { chinaDate } from '../../records/drafts.js';
import { CENSUS_START_DATE, defineRule } from '../context.js';

export const DATE_001 = defineRule(
	'DATE-001',
	'error',
	'调查日期在未来或早于普查开始',
	(record, ctx, report) => {
		const { surveyedOn } = record;
		if (!surveyedOn) return;
		const today = chinaDate(ctx.now);
		if (surveyedOn > today) {
			report(
				`调查日期 ${surveyedOn} 晚于今天（${today}，北京时间）：请改为实际调查的日期`,
				'surveyedOn'
			);
		} else if (surveyedOn < CENSUS_START_DATE) {
			report(
				`调查日期 ${surveyedOn} 早于普查开始日期 ${CENSUS_START_DATE}：请改为本次普查中实际调查的日期`,
				'surveyedOn'
			);
		}
	}
);
