import { distanceM, type LonLat } from '../../geometry/measure.js';
import type { SurveyRecord } from '../../schemas/survey-record.js';
import { defineRule } from '../context.js';
import { describePhoto, describeRecord, describeSite, formatDistance } from '../describe.js';

/** Radius within which a 新发现 of the same category may be a registered site or a duplicate. */
export const NEAR_DUPLICATE_M = 100;

/**
 * How a DUP-001 message against a registered site begins (one against another record does not):
 * the review queue flags a new find near a registered site by it (`isNearSiteFinding`).
 */
export const NEAR_SITE_MESSAGE_START = '与已登记文物';

/** Whether `finding` is DUP-001 against a registered site (not against another record). */
export function isNearSiteFinding(finding: { rule: string; message: string }): boolean {
	return finding.rule === 'DUP-001' && finding.message.startsWith(NEAR_SITE_MESSAGE_START);
}

/** Cheap pre-check: could `b` be within `metres` of `a`? (1° of latitude ≥ 110.5 km) */
function mayBeWithin(a: LonLat, b: LonLat, metres: number): boolean {
	const degrees = metres / 110_000;
	if (Math.abs(a.lat - b.lat) > degrees) return false;
	const cos = Math.cos((a.lat * Math.PI) / 180);
	return cos < 0.01 || Math.abs(a.lon - b.lon) * cos <= degrees;
}

function others(record: SurveyRecord, all: readonly SurveyRecord[]): SurveyRecord[] {
	return all.filter((other) => other.id !== record.id);
}

export const DUP_001 = defineRule(
	'DUP-001',
	'warning',
	'新发现与已登记文物或其他记录相距 100 米以内且类别相同',
	(record, ctx, report) => {
		const { category } = record;
		if (record.kind !== '新发现' || !category) return;
		const near: { metres: number; message: string }[] = [];
		for (const site of ctx.registry) {
			if (
				site.category !== category ||
				!mayBeWithin(record.location, site.location, NEAR_DUPLICATE_M)
			) {
				continue;
			}
			const metres = distanceM(record.location, site.location);
			if (!(metres <= NEAR_DUPLICATE_M)) continue;
			near.push({
				metres,
				message: `${NEAR_SITE_MESSAGE_START}${describeSite(site)}相距约 ${formatDistance(metres)}，同为${category}：请确认是否为同一处文物；如是，请改为对该文物复查，而不是登记新发现`
			});
		}
		for (const other of others(record, ctx.otherRecords)) {
			if (
				other.category !== category ||
				!mayBeWithin(record.location, other.location, NEAR_DUPLICATE_M)
			) {
				continue;
			}
			const metres = distanceM(record.location, other.location);
			if (!(metres <= NEAR_DUPLICATE_M)) continue;
			near.push({
				metres,
				message: `与调查记录${describeRecord(other)}相距约 ${formatDistance(metres)}，同为${category}：请确认两条记录是否为同一处文物；如是，请与对方协调，只保留一条`
			});
		}
		near.sort((a, b) => a.metres - b.metres);
		for (const n of near) report(n.message, 'location');
	}
);

export const DUP_002 = defineRule(
	'DUP-002',
	'warning',
	'同一旗区内有同名文物或记录',
	(record, ctx, report) => {
		const name = record.name?.trim();
		if (!name) return;
		const ownSite = record.siteCode || undefined;
		const reported = new Set<string>();
		for (const site of ctx.registry) {
			if (site.countyCode !== record.countyCode || site.code === ownSite) continue;
			if (site.name.trim() !== name) continue;
			reported.add(site.code);
			report(
				`与已登记文物${describeSite(site)}同名：同一旗区内文物名称不应重复，请确认是否为同一处文物；如不是，请按定名规则改名（如加上更具体的地名）`,
				'name'
			);
		}
		for (const other of others(record, ctx.otherRecords)) {
			if (other.countyCode !== record.countyCode || other.name?.trim() !== name) continue;
			// a record of the same site is DUP-004's business; one of a site named above adds nothing
			if (other.siteCode && (other.siteCode === ownSite || reported.has(other.siteCode))) continue;
			report(
				`与调查记录${describeRecord(other)}同名：同一旗区内文物名称不应重复，请确认是否为同一处文物；如不是，请按定名规则改名（如加上更具体的地名）`,
				'name'
			);
		}
	}
);

export const DUP_003 = defineRule(
	'DUP-003',
	'error',
	'照片也属于另一条记录',
	(record, ctx, report) => {
		if (record.photos.length === 0) return;
		const wanted = new Set(record.photos.map((p) => p.sha256));
		const owner = new Map<string, SurveyRecord>();
		for (const other of others(record, ctx.otherRecords)) {
			for (const photo of other.photos) {
				if (wanted.has(photo.sha256) && !owner.has(photo.sha256)) owner.set(photo.sha256, other);
			}
		}
		if (owner.size === 0) return;
		record.photos.forEach((photo, i) => {
			const other = owner.get(photo.sha256);
			if (!other) return;
			report(
				`${describePhoto(photo, i)}与调查记录${describeRecord(other)}中的一张照片相同（SHA-256 ${photo.sha256.slice(0, 12)}…）：一张照片只能属于一条记录，请删除它，或换用本文物现场拍摄的照片`,
				`photos.${i}`
			);
		});
	}
);

export const DUP_004 = defineRule(
	'DUP-004',
	'warning',
	'另一条记录也在复查同一文物',
	(record, ctx, report) => {
		const code = record.siteCode;
		if (record.kind !== '复查' || !code) return;
		const same = others(record, ctx.otherRecords).filter(
			(other) => other.kind === '复查' && other.siteCode === code
		);
		if (same.length === 0) return;
		const site = ctx.registry.find((s) => s.code === code);
		const what = site ? describeSite(site) : code;
		for (const other of same) {
			report(
				`调查记录${describeRecord(other)}也在复查${what}：同一处文物应只由一个调查组复查，请与对方协调，只保留一条记录`,
				'siteCode'
			);
		}
	}
);
