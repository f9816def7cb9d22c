import { describe, expect, it } from 'vitest';
import { buildSearchIndex, searchSites } from '$lib/domain/registry/search.js';
import type { RegisteredSite } from '$lib/domain/schemas/site.js';

const base = {
	countyCode: '150627',
	address: '',
	subcategory: '聚落址',
	era: '汉',
	eraGroup: '战国秦汉',
	ownership: '国家所有',
	usage: [],
	condition: '一般',
	openStatus: '未开放',
	threats: [],
	areaM2: 1,
	location: { lat: 39, lon: 109 },
	description: ''
} as const;
const sites = [
	{
		...base,
		code: '150627-0001',
		name: '成吉思汗陵',
		township: '伊金霍洛镇',
		category: '古墓葬',
		protectionLevel: '全国重点文物保护单位'
	},
	{
		...base,
		code: '150627-0002',
		name: '朱开沟遗址',
		township: '纳林陶亥镇',
		village: '朱开沟村',
		category: '古文化遗址',
		protectionLevel: '全国重点文物保护单位'
	},
	{
		...base,
		code: '150627-0003',
		name: '敖包梁墓群',
		township: '纳林陶亥镇',
		category: '古墓葬',
		protectionLevel: '县级文物保护单位'
	}
] as unknown as RegisteredSite[];
const index = buildSearchIndex(sites);
const codes = (q: Parameters<typeof searchSites>[2]) =>
	searchSites(sites, index, q).map((s) => s.code);

describe('searchSites', () => {
	it('finds by name, code, township and village', () => {
		expect(codes({ query: '成吉思汗' })).toEqual(['150627-0001']);
		expect(codes({ query: '0003' })).toEqual(['150627-0003']);
		expect(codes({ query: '纳林陶亥' })).toEqual(['150627-0002', '150627-0003']);
		expect(codes({ query: '朱开沟村' })).toEqual(['150627-0002']);
	});
	it('needs every term to match, and combines with filters', () => {
		expect(codes({ query: '纳林 墓群' })).toEqual(['150627-0003']);
		expect(codes({ query: '纳林', category: '古文化遗址' })).toEqual(['150627-0002']);
		expect(codes({ protectionLevel: '全国重点文物保护单位' })).toEqual([
			'150627-0001',
			'150627-0002'
		]);
		expect(codes({ query: '  ' })).toHaveLength(3);
		expect(codes({ query: '不存在' })).toEqual([]);
	});
});
