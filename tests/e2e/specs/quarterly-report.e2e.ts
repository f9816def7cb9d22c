import { randomUUID } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import type { APIRequestContext } from '@playwright/test';
import ExcelJS from 'exceljs';
import { demoRegistry, expect, test } from '../fixtures.js';
import { decide, tokenOf } from '../record-helpers.js';
import { ReviewLoginPage } from '../pages/review/review-login-page.js';
import { recheckRecord } from '../../fixtures/records.js';
import { makePhoto, sha256Hex, uniqueJpeg } from '../../fixtures/photos.js';
import { chinaDate } from '../../../src/lib/domain/records/drafts.js';

/** A county few other specs send records of. */
const COUNTY = '150621';
const COUNTY_NAME = '达拉特旗';
/** The report's figures (src/lib/domain/quarterly.ts; it imports the code lists, not for Playwright). */
const FIGURES = [
	'sites',
	'teams',
	'members',
	'rechecked',
	'newFinds',
	'lost',
	'received',
	'countyApproved',
	'cityApproved',
	'returned',
	'recheckedToDate',
	'newFindsToDate',
	'lostToDate',
	'cityApprovedToDate'
] as const;
type Report = {
	quarter: string;
	counties: string[];
	rows: Record<string, number | string>[];
	total: Record<string, number>;
};

const PHOTO = new Uint8Array(readFileSync('tests/fixtures/photos/site-dongsheng-1600x1200.jpg'));

async function upload(request: APIRequestContext, token: string): Promise<string> {
	const bytes = uniqueJpeg(PHOTO);
	const sha256 = sha256Hex(bytes);
	const response = await request.put(`/api/photos/${sha256}`, {
		data: Buffer.from(bytes),
		headers: { authorization: `Bearer ${token}`, 'content-type': 'image/jpeg' }
	});
	expect(response.status()).toBe(201);
	return sha256;
}

const CN = ['', '一', '二', '三', '四'];
const china = new Date(Date.now() + 8 * 3_600_000);
const year = china.getUTCFullYear();
const q = Math.floor(china.getUTCMonth() / 3) + 1;
const current = `${year}Q${q}`;
const previous = q === 1 ? `${year - 1}Q4` : `${year}Q${q - 1}`;
const currentName = `${year}年第${CN[q]}季度`;

test('a city reviewer opens the quarterly report from the statistics, picks a quarter, downloads the XLSX and prints it on A4 landscape', async ({
	page,
	playwright,
	baseURL
}, info) => {
	// three re-checks of the county this quarter: one accepted by the city, one returned
	const api = await playwright.request.newContext({ baseURL: baseURL! });
	const token = await tokenOf(api, `surveyor-${COUNTY}`);
	const sites = demoRegistry().filter((s) => s.countyCode === COUNTY);
	const now = new Date().toISOString();
	const records = [];
	for (const site of sites.slice(20, 23)) {
		const photos = [];
		for (const kind of ['全景', '近景'] as const)
			photos.push(
				makePhoto(await upload(api, token), kind, site.location, {
					takenAt: now,
					photographer: '季报测试'
				})
			);
		records.push(
			recheckRecord(
				site,
				{ id: randomUUID(), now, surveyors: ['季报测试'], surveyedOn: chinaDate(new Date()) },
				{ photos }
			)
		);
	}
	const pushed = await api.post('/api/sync/push', {
		data: { deviceId: randomUUID(), records },
		headers: { authorization: `Bearer ${token}` }
	});
	expect(pushed.status()).toBe(200);
	const results = ((await pushed.json()) as { results: { status: string }[] }).results;
	expect(results.map((r) => r.status)).toEqual(['accepted', 'accepted', 'accepted']);
	const reviewer = await tokenOf(api, `reviewer-${COUNTY}`);
	await decide(api, reviewer, records[0]!.id, { decision: 'approve', revision: 1 });
	await decide(api, await tokenOf(api, 'city'), records[0]!.id, {
		decision: 'approve',
		revision: 2
	});
	await decide(api, reviewer, records[1]!.id, {
		decision: 'return',
		revision: 1,
		comments: [{ message: '请补拍全景照片' }]
	});

	// from the statistics page, as the city
	const login = new ReviewLoginPage(page);
	await login.goto('/review/stats');
	await login.logIn('city');
	await expect(page).toHaveURL('/review/stats');
	await expect(page.getByTestId('quarterly-link')).toBeVisible();
	await page.screenshot({ path: info.outputPath('stats-1280x800.png') });
	await page.getByTestId('quarterly-link').click();
	await expect(page).toHaveURL('/review/stats/quarterly');
	const report = page.getByTestId('quarter-report');
	await expect(report.getByRole('heading', { level: 1 })).toHaveText(
		`鄂尔多斯市第四次全国文物普查工作进展情况表（${currentName}）`
	);

	// another quarter, then back to this one: the choice is in the address
	await page.getByTestId('quarter-select').selectOption(previous);
	await expect(page).toHaveURL(`/review/stats/quarterly?quarter=${previous}`);
	await expect(report).toHaveAttribute('data-quarter', previous);
	await page.getByTestId('quarter-select').selectOption(current);
	await expect(page).toHaveURL(`/review/stats/quarterly?quarter=${current}`);
	await expect(report).toHaveAttribute('data-quarter', current);

	// every figure of the table is the API's
	const answer = await page.request.get(`/api/review/reports/quarterly?quarter=${current}`);
	expect(answer.status()).toBe(200);
	const json = (await answer.json()) as Report;
	expect(json.counties).toHaveLength(9);
	for (const row of [...json.rows, { ...json.total, county: 'total' }])
		for (const f of FIGURES)
			await expect(page.locator(`[data-stat="${f}:${row.county}"]`)).toHaveText(String(row[f]));
	const ours = json.rows.find((r) => r.county === COUNTY)!;
	expect(ours.rechecked).toBeGreaterThanOrEqual(3);
	expect(ours.returned).toBeGreaterThanOrEqual(1);
	expect(ours.cityApproved).toBeGreaterThanOrEqual(1);

	for (const [width, height] of [
		[1280, 800],
		[800, 1280]
	] as const) {
		await page.setViewportSize({ width, height });
		await page.screenshot({ path: info.outputPath(`quarterly-${width}x${height}.png`) });
	}
	await page.setViewportSize({ width: 1280, height: 800 });

	// the download: a real workbook, with the sheets, the title and the figures
	const [download] = await Promise.all([
		page.waitForEvent('download'),
		page.getByTestId('quarter-xlsx').click()
	]);
	expect(download.suggestedFilename()).toBe(`鄂尔多斯市四普工作进展情况表-${currentName}.xlsx`);
	const file = info.outputPath('quarterly.xlsx');
	await download.saveAs(file);
	const workbook = new ExcelJS.Workbook();
	await workbook.xlsx.readFile(file);
	expect(workbook.worksheets.map((s) => s.name)).toEqual(['进度汇总', '分类统计', '说明']);
	const sheet = workbook.getWorksheet('进度汇总')!;
	expect(sheet.getCell('A1').value).toBe(
		`鄂尔多斯市第四次全国文物普查工作进展情况表（${currentName}）`
	);
	const countyRow = [...Array(9).keys()]
		.map((i) => sheet.getRow(5 + i))
		.find((r) => r.getCell(1).value === COUNTY_NAME)!;
	expect(countyRow.getCell(2).value).toBe(ours.sites);
	expect(countyRow.getCell(5).value).toBe(ours.rechecked);
	const total = sheet.getRow(14);
	expect(total.getCell(1).value).toBe('合计');
	expect(total.getCell(8).formula).toBe('SUM(H5:H13)');
	expect(total.getCell(8).result).toBe(json.total.received);

	// printed: no tools, no navigation; Chromium makes an A4 landscape PDF
	await page.emulateMedia({ media: 'print' });
	await expect(page.getByTestId('quarter-print')).toBeHidden();
	await expect(page.locator('.review > header')).toBeHidden();
	const pdf = await page.pdf({ preferCSSPageSize: true, printBackground: true });
	writeFileSync(info.outputPath('quarterly.pdf'), pdf);
	const text = pdf.toString('latin1');
	expect(text.startsWith('%PDF-')).toBe(true);
	// A4 landscape: 842 × 595 points
	expect(text).toMatch(/\/MediaBox \[0 0 84[12]\.?\d* 59[45]\.?\d*\]/);
	await page.emulateMedia({ media: 'screen' });
});
