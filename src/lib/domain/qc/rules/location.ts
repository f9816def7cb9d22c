import { LOCATION_SOURCE_LABEL } from '../../codelists/index.js';
import { countyFeature } from '../../geometry/counties.js';
import { containsPoint, distanceOutsideM } from '../../geometry/measure.js';
import type { SurveyRecord } from '../../schemas/survey-record.js';
import { DEFAULT_ACCURACY_THRESHOLD_M, defineRule, type QcContext } from '../context.js';
import { describeCounty, formatDistance } from '../describe.js';

/** Margin for county boundaries, which are good to a few hundred metres. */
export const COUNTY_MARGIN_M = 500;

/** Metres the location lies outside its own county (0 inside), or undefined when unknown. */
function outsideCountyM(record: SurveyRecord, ctx: QcContext): number | undefined {
	const county = countyFeature(ctx.counties, record.countyCode);
	if (!county) return undefined;
	const result = distanceOutsideM(record.location, county.geometry);
	return result.ok ? result.value : undefined;
}

function whereInstead(record: SurveyRecord, ctx: QcContext): string {
	const other = ctx.counties.features.find(
		(f) => f.properties.code !== record.countyCode && containsPoint(f.geometry, record.location)
	);
	return other ? `，落在${other.properties.name}境内` : '';
}

export const LOC_001 = defineRule(
	'LOC-001',
	'error',
	'中心点在所属旗区之外（超过 500 米）',
	(record, ctx, report) => {
		const outside = outsideCountyM(record, ctx);
		if (outside === undefined || outside <= COUNTY_MARGIN_M) return;
		report(
			`中心点在${describeCounty(record.countyCode)}边界外约 ${formatDistance(outside)}${whereInstead(record, ctx)}：请核对坐标（经纬度是否填反、是否误用了 GCJ-02 地图坐标），或确认记录所属旗区`,
			'location'
		);
	}
);

export const LOC_002 = defineRule(
	'LOC-002',
	'warning',
	'中心点在所属旗区边界外 500 米以内',
	(record, ctx, report) => {
		const outside = outsideCountyM(record, ctx);
		if (outside === undefined || outside <= 0 || outside > COUNTY_MARGIN_M) return;
		report(
			`中心点在${describeCounty(record.countyCode)}边界外约 ${formatDistance(outside)}（旗区边界本身有几百米误差）：请核对坐标；如文物确属本旗区，请说明`,
			'location'
		);
	}
);

export const LOC_003 = defineRule(
	'LOC-003',
	'warning',
	'中心点不是现场实测或精度不足',
	(record, ctx, report) => {
		const { source, accuracyM } = record.location;
		const threshold = ctx.accuracyThresholdM ?? DEFAULT_ACCURACY_THRESHOLD_M;
		const reasons: string[] = [];
		if (source === 'map' || source === 'manual') {
			reasons.push(`坐标来自${LOCATION_SOURCE_LABEL[source]}，不是现场实测`);
		} else if (typeof accuracyM !== 'number') {
			reasons.push(`${LOCATION_SOURCE_LABEL[source]}没有给出定位精度`);
		}
		if (typeof accuracyM === 'number' && accuracyM > threshold) {
			reasons.push(`定位精度约 ${accuracyM} 米，差于要求的 ${threshold} 米`);
		}
		if (reasons.length === 0) return;
		report(
			`${reasons.join('；')}：请在现场用平板或 RTK 重新定位（多次取平均）；确实无法获得更好定位时，请说明原因`,
			'location'
		);
	}
);
