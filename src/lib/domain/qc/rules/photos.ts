import { distanceM } from '../../geometry/measure.js';
import { chinaDate } from '../../records/drafts.js';
import { isEmpty } from '../../schemas/common.js';
import { CENSUS_START_DATE, defineRule } from '../context.js';
import { daysBetween, describePhoto, formatDistance } from '../describe.js';

/** Photos farther than this from the centre point are probably of something else. */
export const PHOTO_DISTANCE_M = 500;
/** Photos taken more than this many days before surveyedOn are probably old ones. */
export const PHOTO_MAX_AGE_DAYS = 30;

export const PHO_001 = defineRule('PHO-001', 'error', '缺少必需的照片', (record, _ctx, report) => {
	const kinds = new Set(record.photos.map((p) => p.kind));
	if (record.changeType === '消失') {
		if (!kinds.has('环境')) {
			report(
				'文物已消失，但缺少原址的环境照片：请在原址拍摄至少一张环境照片，作为消失的证据',
				'photos'
			);
		}
		return;
	}
	if (!kinds.has('全景')) {
		report('缺少全景照片：请拍摄至少一张能看清文物整体及周边环境的全景照片', 'photos');
	}
	if (!kinds.has('近景') && !kinds.has('细部')) {
		report('缺少近景或细部照片：请至少拍摄一张近景或细部照片（两者有其一即可）', 'photos');
	}
});

export const PHO_002 = defineRule(
	'PHO-002',
	'warning',
	'照片缺少拍摄方位、时间或摄影者',
	(record, _ctx, report) => {
		record.photos.forEach((photo, i) => {
			const missing: string[] = [];
			if (isEmpty(photo.direction)) missing.push('拍摄方位');
			if (isEmpty(photo.takenAt)) missing.push('拍摄时间');
			if (isEmpty(photo.photographer)) missing.push('摄影者');
			if (missing.length === 0) return;
			report(
				`${describePhoto(photo, i)}缺少${missing.join('、')}：请在照片登记中补填`,
				`photos.${i}`
			);
		});
	}
);

export const PHO_003 = defineRule(
	'PHO-003',
	'warning',
	'照片拍摄点距中心点超过 500 米',
	(record, _ctx, report) => {
		record.photos.forEach((photo, i) => {
			if (typeof photo.lat !== 'number' || typeof photo.lon !== 'number') return;
			const metres = distanceM({ lat: photo.lat, lon: photo.lon }, record.location);
			if (!(metres > PHOTO_DISTANCE_M)) return;
			report(
				`${describePhoto(photo, i)}的拍摄位置距中心点约 ${formatDistance(metres)}（超过 ${PHOTO_DISTANCE_M} 米）：请确认照片属于本文物，或核对中心点坐标`,
				`photos.${i}`
			);
		});
	}
);

export const PHO_004 = defineRule(
	'PHO-004',
	'warning',
	'照片拍摄日期与调查日期不符',
	(record, _ctx, report) => {
		const surveyedOn = record.surveyedOn || undefined;
		record.photos.forEach((photo, i) => {
			if (!photo.takenAt || Number.isNaN(Date.parse(photo.takenAt))) return;
			const taken = chinaDate(photo.takenAt);
			const reasons: string[] = [];
			if (taken < CENSUS_START_DATE) reasons.push(`早于普查开始日期 ${CENSUS_START_DATE}`);
			if (surveyedOn && taken > surveyedOn) reasons.push(`晚于调查日期 ${surveyedOn}`);
			if (surveyedOn && taken < surveyedOn) {
				const days = daysBetween(taken, surveyedOn);
				if (days > PHOTO_MAX_AGE_DAYS) {
					reasons.push(`比调查日期 ${surveyedOn} 早 ${days} 天（超过 ${PHOTO_MAX_AGE_DAYS} 天）`);
				}
			}
			if (reasons.length === 0) return;
			report(
				`${describePhoto(photo, i)}拍摄于 ${taken}（北京时间），${reasons.join('，')}：请确认照片是本次调查所拍，或核对相机时间与调查日期`,
				`photos.${i}`
			);
		});
	}
);
