import {
	checkPolygonalStructure,
	distanceOutsideM,
	geodesicAreaM2,
	validatePolygonal
} from '../../geometry/measure.js';
import { defineRule } from '../context.js';
import { formatArea, formatDistance } from '../describe.js';

/** How far the centre point may lie outside the boundary (drawing tolerance). */
export const BOUNDARY_MARGIN_M = 50;
/** Allowed difference of areaM2 from the boundary's area, as a share of the latter. */
export const AREA_TOLERANCE = 0.2;

export const GEO_001 = defineRule(
	'GEO-001',
	'error',
	'本体边界不是有效的面',
	(record, _ctx, report) => {
		if (!record.boundary) return;
		const result = validatePolygonal(record.boundary);
		if (result.ok) return;
		for (const issue of result.issues) report(issue.message, 'boundary');
	}
);

export const GEO_002 = defineRule(
	'GEO-002',
	'error',
	'中心点在本体边界之外（超过 50 米）',
	(record, _ctx, report) => {
		// measured whenever the rings are closed, even if they cross (GEO-001 reports that)
		if (!record.boundary || !checkPolygonalStructure(record.boundary).ok) return;
		const result = distanceOutsideM(record.location, record.boundary);
		if (!result.ok || result.value <= BOUNDARY_MARGIN_M) return;
		report(
			`中心点在本体边界外约 ${formatDistance(result.value)}（超过 ${BOUNDARY_MARGIN_M} 米）：中心点应在边界之内，请移动中心点或修改边界`,
			'location'
		);
	}
);

export const GEO_003 = defineRule(
	'GEO-003',
	'warning',
	'面积与本体边界不符',
	(record, _ctx, report) => {
		const { areaM2, boundary } = record;
		if (typeof areaM2 !== 'number' || !boundary || !validatePolygonal(boundary).ok) return;
		const result = geodesicAreaM2(boundary);
		if (!result.ok || result.value <= 0) return;
		const computed = result.value;
		const difference = Math.abs(areaM2 - computed);
		if (difference <= AREA_TOLERANCE * computed) return;
		const percent = Math.round((difference / computed) * 100);
		report(
			`填写的面积 ${formatArea(areaM2)} 平方米与本体边界计算的 ${formatArea(computed)} 平方米相差约 ${percent}%（超过 ${AREA_TOLERANCE * 100}%）：请核对面积或边界；边界准确时可直接采用计算面积`,
			'areaM2'
		);
	}
);
