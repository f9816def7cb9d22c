import { describe, expect, it } from 'vitest';
import {
	comparePaths,
	QC_RULE_CODES,
	QcFindingSchema,
	RULES,
	runQc
} from '$lib/domain/qc/index.js';
import { distanceM } from '$lib/domain/geometry/measure.js';
import { SurveyRecordSchema } from '$lib/domain/schemas/index.js';
import {
	destination,
	makeContext,
	makePhoto,
	makeSite,
	perfectNewFind,
	perfectRecheck,
	pointOutsideCounty,
	SITE_POINT,
	uuid
} from '../../../fixtures/builders.js';

describe('runQc', () => {
	it('raises nothing for a 复查 that changes nothing, of a site in order', () => {
		const site = makeSite();
		const others = [
			makeSite({
				code: '150627-0043',
				name: '巴音敖包墓群',
				location: destination(SITE_POINT, 3000, 0)
			}),
			makeSite({
				code: '150602-0001',
				countyCode: '150602',
				name: '巴音敖包烽燧遗址',
				location: { lat: 39.82, lon: 109.98 }
			})
		];
		const record = perfectRecheck(site);
		expect(SurveyRecordSchema.safeParse(record).success).toBe(true);
		expect(runQc(record, makeContext({ registry: [site, ...others] }))).toEqual([]);
	});

	it('raises nothing for a 新发现 in order', () => {
		const record = perfectNewFind();
		expect(SurveyRecordSchema.safeParse(record).success).toBe(true);
		expect(runQc(record, makeContext())).toEqual([]);
	});

	it('lists every rule of the table once, in table order', () => {
		expect(RULES.map((r) => r.code)).toEqual([...QC_RULE_CODES]);
		for (const rule of RULES) {
			expect(['error', 'warning']).toContain(rule.severity);
			expect(rule.title).not.toBe('');
		}
	});

	it('orders findings by rule, then by path, and gives each the severity of its rule', () => {
		const at = pointOutsideCounty('150627', 2000);
		const record = perfectNewFind({
			name: '',
			era: '明',
			eraGroup: '中华民国',
			category: '古建筑',
			subcategory: '普通墓葬',
			description: '太短',
			surveyedOn: '2023-10-01',
			photos: Array.from({ length: 11 }, (_, i) =>
				makePhoto(i + 1, '近景', at, { direction: null, takenAt: '2025-06-02T10:00:00+08:00' })
			)
		});
		record.location = { ...record.location, lat: at.lat, lon: at.lon, source: 'map' };
		const findings = runQc(record, makeContext());
		const severity = new Map(RULES.map((r) => [r.code, r.severity]));
		const order = new Map(QC_RULE_CODES.map((code, i) => [code as string, i]));
		for (let i = 1; i < findings.length; i++) {
			const [a, b] = [findings[i - 1], findings[i]];
			const byRule = (order.get(a?.rule ?? '') ?? 0) - (order.get(b?.rule ?? '') ?? 0);
			expect(byRule < 0 || (byRule === 0 && comparePaths(a?.path, b?.path) <= 0)).toBe(true);
		}
		for (const finding of findings) {
			expect(QcFindingSchema.safeParse(finding).success).toBe(true);
			expect(finding.severity).toBe(severity.get(finding.rule as never));
			expect(finding.message).toMatch(/[\u4e00-\u9fff]/);
		}
		const rules = new Set(findings.map((f) => f.rule));
		for (const code of [
			'REQ-001',
			'CAT-001',
			'ERA-001',
			'ERA-002',
			'LOC-001',
			'LOC-003',
			'GEO-002',
			'PHO-001',
			'PHO-002',
			'PHO-004',
			'TXT-001',
			'DATE-001'
		]) {
			expect(rules).toContain(code);
		}
		const photoPaths = findings.filter((f) => f.rule === 'PHO-002').map((f) => f.path);
		expect(photoPaths.slice(0, 3)).toEqual(['photos.0', 'photos.1', 'photos.2']);
		expect(photoPaths.at(-1)).toBe('photos.10');
		expect(runQc(record, makeContext())).toEqual(findings);
	});

	it('does not change its inputs', () => {
		const record = perfectNewFind({ name: '巴音敖包烽燧遗址' });
		const ctx = makeContext({ otherRecords: [perfectRecheck(undefined, {}, uuid(5))] });
		const before = structuredClone({ record, registry: ctx.registry, others: ctx.otherRecords });
		runQc(record, ctx);
		expect({ record, registry: ctx.registry, others: ctx.otherRecords }).toEqual(before);
	});

	// (its time is a figure of `npm run bench -- --only domain`, not an assertion here)
	it('finds among 20,000 registered sites and 2,000 records exactly what the nearby ones give', () => {
		const registry = Array.from({ length: 20_000 }, (_, i) =>
			makeSite({
				code: `150627-${String(i).padStart(4, '0')}`,
				name: `遗址${i}`,
				location: destination(SITE_POINT, 200 + (i % 5000), (i * 7) % 360),
				boundary: undefined
			})
		);
		const otherRecords = Array.from({ length: 2000 }, (_, i) =>
			perfectNewFind({ name: `记录${i}` }, uuid(100 + i))
		);
		const record = perfectNewFind({
			category: '古文化遗址',
			subcategory: '聚落址',
			era: '明',
			eraGroup: '明代'
		});
		const all = runQc(record, makeContext({ registry, otherRecords }));
		const nearby = registry.filter((s) => distanceM(record.location, s.location) <= 1000);
		expect(nearby.length).toBeLessThan(registry.length / 4);
		expect(runQc(record, makeContext({ registry: nearby, otherRecords }))).toEqual(all);
		const near = all.filter((f) => f.rule === 'DUP-001');
		expect(near.length).toBeGreaterThan(0);
		const expected = registry.filter((s) => distanceM(record.location, s.location) <= 100);
		expect(near).toHaveLength(expected.length);
	});
});

describe('comparePaths', () => {
	it('puts no path first and compares numeric segments by value', () => {
		// wrapped: Array.prototype.sort puts undefined last without asking the comparator
		const paths = ['photos.10', undefined, 'photos.2', 'name', 'photos', 'photos.2.direction'];
		const sorted = paths.map((path) => ({ path })).sort((a, b) => comparePaths(a.path, b.path));
		expect(sorted.map((p) => p.path)).toEqual([
			undefined,
			'name',
			'photos',
			'photos.2',
			'photos.2.direction',
			'photos.10'
		]);
	});
});
