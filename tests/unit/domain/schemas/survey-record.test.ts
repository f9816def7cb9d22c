import { describe, expect, it } from 'vitest';
import { SurveyRecordSchema, parseWith } from '$lib/domain/schemas/index.js';
import { RegisteredSiteSchema } from '$lib/domain/schemas/site.js';

/** The example of contract §2, completed. */
function contractExample(): Record<string, unknown> {
	return {
		id: '2f1c9a4e-8b7d-4c3a-9e2f-1a2b3c4d5e6f',
		schemaVersion: 1,
		codeListVersion: '2025.1',
		kind: '新发现',
		countyCode: '150627',
		baseRevision: 0,
		name: '巴音敖包烽燧遗址',
		township: '札萨克镇',
		village: '巴音敖包村',
		address: '札萨克镇巴音敖包村西北约1.2公里台地',
		category: '古文化遗址',
		subcategory: '军事设施遗址',
		era: '明',
		eraGroup: '明代',
		protectionLevel: '尚未核定公布为文物保护单位的不可移动文物',
		ownership: '国家所有',
		usage: ['无人使用'],
		usageNote: '荒地',
		industry: '文化',
		specialLists: [],
		condition: '较差',
		openStatus: '未开放',
		threats: ['沙漠化（风沙侵蚀）', '农耕'],
		areaM2: 10000,
		location: {
			lat: 39.300242,
			lon: 109.74505,
			altitude: 1342.6,
			accuracyM: 3.8,
			samples: 12,
			source: 'gnss',
			fixedAt: '2025-06-02T10:31:07+08:00'
		},
		boundary: {
			type: 'Polygon',
			coordinates: [
				[
					[109.74447, 39.29979],
					[109.74563, 39.29979],
					[109.74563, 39.30069],
					[109.74447, 39.30069],
					[109.74447, 39.29979]
				]
			]
		},
		description: '烽燧一座，夯土筑成。',
		photos: [
			{
				sha256: '9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08',
				kind: '全景',
				direction: '由东向西',
				caption: '烽燧全景',
				photographer: '张三',
				takenAt: '2025-06-02T10:35:00+08:00',
				lat: 39.30031,
				lon: 109.74498
			}
		],
		qcNotes: [{ rule: 'LOC-003', note: '林地遮挡，现场无法获得更好定位' }],
		surveyors: ['张三', '李四'],
		surveyedOn: '2025-06-02',
		updatedAt: '2025-06-02T11:02:44+08:00'
	};
}

const parse = (input: unknown) => parseWith(SurveyRecordSchema, input);

describe('SurveyRecordSchema (wire format v1)', () => {
	it('accepts the contract example', () => {
		const result = parse(contractExample());
		expect(result.ok).toBe(true);
	});

	it('accepts a minimal record: only the always-required fields', () => {
		const r = {
			id: '2f1c9a4e-8b7d-4c3a-9e2f-1a2b3c4d5e6f',
			schemaVersion: 1,
			kind: '新发现',
			countyCode: '150602',
			baseRevision: 0,
			location: { lat: 39.8, lon: 109.9, source: 'manual' },
			photos: [],
			updatedAt: '2025-06-02T03:02:44Z'
		};
		expect(parse(r).ok).toBe(true);
	});

	it.each([
		'id',
		'schemaVersion',
		'kind',
		'countyCode',
		'baseRevision',
		'location',
		'photos',
		'updatedAt'
	])('rejects a record without %s', (key) => {
		const r = contractExample();
		delete r[key];
		const result = parse(r);
		expect(result.ok).toBe(false);
		if (!result.ok) expect(result.issues.map((i) => i.path)).toContain(key);
	});

	it('treats absent, null, "" and [] as not filled in', () => {
		const r = {
			...contractExample(),
			name: '',
			category: null,
			era: undefined,
			threats: [],
			usage: null
		};
		expect(parse(r).ok).toBe(true);
	});

	it.each([
		['category', '古遗址类'],
		['subcategory', '城堡'],
		['eraGroup', '明'],
		['condition', '很好'],
		['protectionLevel', '国保'],
		['countyCode', '150600'],
		['kind', '普查']
	])('rejects %s outside the code lists (%s)', (key, value) => {
		const result = parse({ ...contractExample(), [key]: value });
		expect(result.ok).toBe(false);
		if (!result.ok) expect(result.issues[0]!.path).toBe(key);
	});

	it('rejects wrong types, unknown keys and overlong strings, with Chinese messages', () => {
		const wrongType = parse({ ...contractExample(), areaM2: '10000' });
		expect(wrongType.ok).toBe(false);
		const unknown = parse({ ...contractExample(), extra: 1 });
		expect(unknown.ok).toBe(false);
		if (!unknown.ok) expect(unknown.issues[0]!.message).toMatch(/[\u4e00-\u9fff]/);
		expect(parse({ ...contractExample(), name: '遗'.repeat(200) }).ok).toBe(true);
		expect(parse({ ...contractExample(), name: '遗'.repeat(201) }).ok).toBe(false);
		expect(parse({ ...contractExample(), description: '字'.repeat(20_000) }).ok).toBe(true);
		expect(parse({ ...contractExample(), description: '字'.repeat(20_001) }).ok).toBe(false);
	});

	it('rejects bad coordinates, times, hashes and geometry types', () => {
		const ex = contractExample();
		const loc = ex.location as Record<string, unknown>;
		expect(parse({ ...ex, location: { ...loc, lat: 91 } }).ok).toBe(false);
		expect(parse({ ...ex, location: { ...loc, source: 'gps' } }).ok).toBe(false);
		expect(parse({ ...ex, updatedAt: '2025-06-02 11:02:44' }).ok).toBe(false);
		expect(parse({ ...ex, updatedAt: '2025-06-02T11:02:44' }).ok).toBe(false);
		expect(parse({ ...ex, surveyedOn: '2025/06/02' }).ok).toBe(false);
		expect(parse({ ...ex, photos: [{ sha256: '../../etc/passwd', kind: '全景' }] }).ok).toBe(false);
		expect(parse({ ...ex, photos: [{ sha256: 'A'.repeat(64), kind: '全景' }] }).ok).toBe(false);
		expect(parse({ ...ex, photos: [{ sha256: 'a'.repeat(64) }] }).ok).toBe(false);
		expect(parse({ ...ex, boundary: { type: 'Point', coordinates: [109, 39] } }).ok).toBe(false);
		expect(parse({ ...ex, id: 'not-a-uuid' }).ok).toBe(false);
		expect(parse({ ...ex, baseRevision: -1 }).ok).toBe(false);
	});

	it('requires siteCode for 复查 and refuses 复查 fields on a 新发现', () => {
		const recheck = { ...contractExample(), kind: '复查', changeType: '无变更' };
		const missing = parse(recheck);
		expect(missing.ok).toBe(false);
		if (!missing.ok) expect(missing.issues[0]!.path).toBe('siteCode');
		expect(parse({ ...recheck, siteCode: '150627-0042' }).ok).toBe(true);
		for (const [key, value] of [
			['siteCode', '150627-0042'],
			['changeType', '无变更'],
			['lostReason', '被毁']
		]) {
			const r = parse({ ...contractExample(), [key!]: value });
			expect(r.ok).toBe(false);
			if (!r.ok) expect(r.issues[0]!.path).toBe(key);
		}
		expect(parse({ ...contractExample(), siteCode: '', changeType: null }).ok).toBe(true);
	});

	it('accepts a MultiPolygon boundary (a group site in several parts)', () => {
		const ring = [
			[109.7, 39.3],
			[109.701, 39.3],
			[109.701, 39.301],
			[109.7, 39.3]
		];
		const r = {
			...contractExample(),
			boundary: { type: 'MultiPolygon', coordinates: [[ring], [ring]] }
		};
		expect(parse(r).ok).toBe(true);
	});
});

describe('RegisteredSiteSchema', () => {
	it('requires the descriptive fields of a registered site', () => {
		const site = {
			code: '150627-0001',
			countyCode: '150627',
			name: '成吉思汗陵',
			township: '伊金霍洛镇',
			address: '伊金霍洛旗巴音昌呼格草原',
			category: '古墓葬',
			subcategory: '名人或贵族墓',
			era: '元',
			eraGroup: '宋辽西夏金元',
			protectionLevel: '全国重点文物保护单位',
			ownership: '国家所有',
			usage: ['开放参观'],
			condition: '好',
			openStatus: '开放',
			threats: [],
			areaM2: 50000,
			location: { lat: 39.37, lon: 109.78 },
			description: '…',
			demo: true
		};
		expect(parseWith(RegisteredSiteSchema, site).ok).toBe(true);
		expect(parseWith(RegisteredSiteSchema, { ...site, code: '150627-01' }).ok).toBe(false);
		expect(parseWith(RegisteredSiteSchema, { ...site, name: '' }).ok).toBe(false);
		expect(parseWith(RegisteredSiteSchema, { ...site, demo: false }).ok).toBe(false);
	});
});
