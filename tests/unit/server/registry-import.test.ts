import { describe, expect, it } from 'vitest';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
	guessMapping,
	planSiteImport,
	sitesSheet,
	type ImportSheet
} from '$lib/domain/registry/site-import.js';
import { checkCountyBoundaries } from '$lib/domain/registry/county-import.js';
import { readSheet, SheetError } from '$lib/server/registry-import/read-sheet.js';
import { counties } from '../../fixtures/geo.js';
import { makeSite } from '../../fixtures/sites.js';
import { generatedDemoRegistry } from '../../fixtures/demo-registry.js';
import {
	CENSUS_HEADERS,
	COUNTY_CODES_ORDER,
	countyPoint,
	csvOf,
	defectiveRows,
	gbkCsvOf,
	validRows,
	xlsxOf
} from '../../fixtures/registry-sheets.js';

const dir = mkdtempSync(join(tmpdir(), 'regimport-unit-'));
let n = 0;
async function sheetFrom(bytes: Uint8Array | string, name: string) {
	const path = join(dir, `f${n++}`);
	writeFileSync(path, bytes);
	return readSheet(path, name);
}
const noSites = new Map();
const lines = (sheet: ImportSheet) =>
	planSiteImport(sheet, guessMapping(sheet.headers), { existing: noSites, counties }).problems.map(
		(p) => `${p.row}|${p.column}`
	);

describe('registry import: reading and checking a file', { timeout: 60_000 }, () => {
	it('places every fixture county point inside its county', () => {
		for (const code of COUNTY_CODES_ORDER) expect(countyPoint(code)).toBeTruthy();
	});

	it('guesses the census headers', () => {
		const mapping = guessMapping(CENSUS_HEADERS);
		expect(mapping).toMatchObject({
			code: '编号',
			name: '名称',
			countyCode: '所在旗区',
			township: '乡镇',
			category: '类别',
			era: '年代',
			eraGroup: '统计年代',
			protectionLevel: '级别',
			lon: '经度',
			lat: '纬度',
			areaM2: '面积（平方米）'
		});
		expect(mapping.boundary).toBeUndefined();
	});

	it('a remembered mapping wins where its header is in the file', () => {
		const mapping = guessMapping(['编号', '名称', '文物点名', 'X坐标'], {
			name: '文物点名',
			lon: 'X坐标',
			lat: '不在文件里'
		});
		expect(mapping).toMatchObject({ code: '编号', name: '文物点名', lon: 'X坐标' });
		expect(mapping.lat).toBeUndefined();
	});

	it('a 1,000-row XLSX with 20 seeded defects reports exactly those 20', async () => {
		const { rows, expected } = defectiveRows(1000);
		const sheet = await sheetFrom(await xlsxOf(rows), 'registry.xlsx');
		expect(sheet.format).toBe('xlsx');
		expect(sheet.rows).toHaveLength(1000);
		const plan = planSiteImport(sheet, guessMapping(sheet.headers), {
			existing: noSites,
			counties
		});
		expect(plan.problems.map((p) => `${p.row}|${p.column}`).sort()).toEqual(expected.sort());
		for (const problem of plan.problems) expect(problem.message).toMatch(/[\u4e00-\u9fff]/);
		expect(plan.counts).toEqual({ rows: 1000, new: 980, changed: 0, unchanged: 0, refused: 20 });
	});

	it('reads a GBK CSV with its Chinese intact, and UTF-8 with and without BOM', async () => {
		const rows = validRows(30);
		const gbk = await sheetFrom(gbkCsvOf(rows), 'registry.csv');
		expect(gbk.encoding).toBe('GB18030');
		const utf8 = await sheetFrom(csvOf(rows), 'registry.csv');
		const bom = await sheetFrom('\ufeff' + csvOf(rows), 'registry.csv');
		expect(utf8.encoding).toBe('UTF-8');
		for (const sheet of [gbk, utf8, bom]) {
			expect(sheet.headers).toEqual([...CENSUS_HEADERS]);
			expect(sheet.rows[0]!.cells[1]).toBe('测试遗址1号');
			expect(lines(sheet)).toEqual([]);
		}
		const plan = planSiteImport(gbk, guessMapping(gbk.headers), { existing: noSites, counties });
		expect(plan.sites[0]!.site).toMatchObject({
			name: '测试遗址1号',
			township: '测试镇',
			threats: ['沙漠化（风沙侵蚀）', '农耕']
		});
	});

	it('refuses a header twice, an .xls file and a binary', async () => {
		await expect(sheetFrom('编号,名称,编号\r\n1,2,3\r\n', 'a.csv')).rejects.toThrow(/出现了两次/);
		const xls = new Uint8Array([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1, 0, 0]);
		await expect(sheetFrom(xls, 'old.xls')).rejects.toBeInstanceOf(SheetError);
		await expect(sheetFrom(new Uint8Array([1, 2, 0, 4]), 'x.bin')).rejects.toThrow(
			/不是 XLSX 或 CSV/
		);
		await expect(sheetFrom('not a zip', 'x.xlsx')).rejects.toThrow(/不是 XLSX/);
	});

	it('the demo registry passes its own checks, and compares unchanged with itself', () => {
		const sites = generatedDemoRegistry();
		const sheet = sitesSheet(sites);
		const first = planSiteImport(sheet, guessMapping(sheet.headers), {
			existing: noSites,
			counties,
			demo: true
		});
		expect(first.problems).toEqual([]);
		expect(first.sites.map((s) => s.site)).toEqual(sites);
		const again = planSiteImport(sheet, guessMapping(sheet.headers), {
			existing: new Map(sites.map((s) => [s.code, s])),
			counties,
			demo: true
		});
		expect(again.counts).toMatchObject({ new: 0, changed: 0, unchanged: sites.length });
	});

	it('a re-import updates by code: mapped fields change, unmapped ones are kept', () => {
		const old = makeSite();
		const sheet: ImportSheet = {
			headers: ['编号', '现状评估'],
			rows: [{ row: 2, cells: [old.code, '差'] }]
		};
		const plan = planSiteImport(sheet, guessMapping(sheet.headers), {
			existing: new Map([[old.code, old]]),
			counties
		});
		expect(plan.problems).toEqual([]);
		expect(plan.sites[0]!.status).toBe('changed');
		expect(plan.sites[0]!.changes).toEqual([{ field: 'condition', old: '较差', new: '差' }]);
		expect(plan.sites[0]!.site).toEqual({ ...old, condition: '差' });
	});

	it('reads a boundary as WKT or GeoJSON', () => {
		const base = validRows(2);
		const site = makeSite();
		const ring = site.boundary!.coordinates[0] as number[][];
		const wkt = `POLYGON((${ring.map(([x, y]) => `${x} ${y}`).join(', ')}))`;
		const sheet: ImportSheet = {
			headers: [...CENSUS_HEADERS, '本体边界'],
			rows: base.map((row, i) => ({
				row: i + 2,
				cells: [
					...CENSUS_HEADERS.map((h) => String(row[h])),
					i === 0 ? wkt : JSON.stringify(site.boundary)
				]
			}))
		};
		const plan = planSiteImport(sheet, guessMapping(sheet.headers), {
			existing: noSites,
			counties
		});
		expect(plan.problems).toEqual([]);
		expect(plan.sites[0]!.site.boundary).toEqual(site.boundary);
		expect(plan.sites[1]!.site.boundary).toEqual(site.boundary);
	});

	it('the bundled county boundaries pass the check a bureau file gets', () => {
		const check = checkCountyBoundaries(counties);
		expect(check.problems).toEqual([]);
		expect(check.collection?.features.map((f) => f.properties.code)).toEqual(
			counties.features.map((f) => f.properties.code).sort()
		);
		expect(check.areas.get('150627')).toBeGreaterThan(4000);
	});
});
