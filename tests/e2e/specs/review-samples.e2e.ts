import { randomUUID } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import type { APIRequestContext, Locator, Page } from '@playwright/test';
import { demoRegistry, expect, test } from '../fixtures.js';
import { tokenOf } from '../record-helpers.js';
import { ReviewLoginPage } from '../pages/review/review-login-page.js';
import { ReviewSamplesPage, SamplePage } from '../pages/review/review-samples-page.js';
import { recheckRecord } from '../../fixtures/records.js';
import { chinaDate } from '../../../src/lib/domain/records/drafts.js';

/**
 * The county of this spec's records. Other specs send records of it too (and their approved ones
 * may be drawn with ours): checks name this spec's records, or the conclusions only it gives.
 */
const COUNTY = '150624';
const SHOTS = 'test-results/review-samples';

/**
 * Pushes `count` re-checks of the county's registered sites (from site `first`) and has the
 * county reviewer approve them: records the city can spot-check.
 */
async function approvedRechecks(
	request: APIRequestContext,
	first: number,
	count: number
): Promise<{ id: string; name: string }[]> {
	const token = await tokenOf(request, `surveyor-${COUNTY}`);
	const reviewer = await tokenOf(request, `reviewer-${COUNTY}`);
	const sites = demoRegistry()
		.filter((s) => s.countyCode === COUNTY)
		.slice(first, first + count);
	const now = new Date().toISOString();
	const records = sites.map((site) =>
		recheckRecord(site, {
			id: randomUUID(),
			now,
			surveyors: ['抽查测试'],
			surveyedOn: chinaDate(new Date())
		})
	);
	const response = await request.post('/api/sync/push', {
		data: { deviceId: randomUUID(), records },
		headers: { authorization: `Bearer ${token}` }
	});
	expect(response.status()).toBe(200);
	for (const record of records) {
		const decision = await request.post(`/api/records/${record.id}/decision`, {
			data: { decision: 'approve', revision: 1, comments: [{ message: '抽查测试：同意' }] },
			headers: { authorization: `Bearer ${reviewer}` }
		});
		expect(decision.status(), await decision.text()).toBe(200);
	}
	return records.map((r) => ({ id: r.id, name: r.name ?? '' }));
}

/** Screenshots at both desk sizes, from the top of the page or with `focus` in view. */
async function shoot(page: Page, name: string, focus?: Locator): Promise<void> {
	mkdirSync(SHOTS, { recursive: true });
	for (const [width, height] of [
		[1920, 1080],
		[1280, 800]
	] as const) {
		await page.setViewportSize({ width, height });
		await page.evaluate(() => window.scrollTo(0, 0));
		if (focus) await focus.evaluate((e) => e.scrollIntoView({ block: 'end' }));
		await page.screenshot({ path: `${SHOTS}/${name}-${width}x${height}.png` });
	}
	await page.setViewportSize({ width: 1280, height: 800 });
}

test('the city draws a reproducible spot check, concludes on records and sees the results per county', async ({
	page,
	playwright,
	baseURL,
	browser
}) => {
	const api = await playwright.request.newContext({ baseURL: baseURL! });
	const mine = await approvedRechecks(api, 30, 3);
	const seed = `e2e-${randomUUID().slice(0, 8)}`;

	const login = new ReviewLoginPage(page);
	const samples = new ReviewSamplesPage(page);
	await samples.goto();
	await expect(page).toHaveURL(/\/review\/login\?next=%2Freview%2Fsamples$/);
	await login.logIn('city');
	await expect(page).toHaveURL(/^[^?]*\/review\/samples$/);
	await expect(samples.navLink).toBeVisible();
	await expect(samples.heading).toHaveText('抽查');
	const before = await samples.rows.count();

	// a bad share: refused beside the field, in Chinese, nothing drawn
	await samples.fill({ percent: '0', counties: [COUNTY] });
	await samples.askDraw();
	await expect(samples.percentError).toHaveText(
		'请输入 0.1 到 100 之间的抽查比例（百分数，例如 10）。'
	);
	await expect(samples.confirmation).toHaveCount(0);
	await samples.fill({ percent: '100', counties: [] });
	await samples.askDraw();
	await expect(samples.countiesError).toHaveText('请至少选择一个旗区。');
	await expect(samples.rows).toHaveCount(before);

	// every record of the county: the confirmation says how many, per county, before anything
	await samples.fill({ percent: '100', counties: [COUNTY], seed, note: '端到端抽查' });
	await samples.askDraw();
	await expect(samples.confirmation).toBeVisible();
	await expect(samples.confirmSummary).toContainText('比例 100%');
	await expect(samples.confirmation).toContainText(`种子：${seed}`);
	const population = Number(await samples.planRow(COUNTY).locator('td').first().textContent());
	expect(population).toBeGreaterThanOrEqual(mine.length);
	await expect(samples.rows).toHaveCount(before);
	await shoot(page, 'draw-confirm', samples.confirmation);
	await samples.confirm();

	const sample = new SamplePage(page);
	const firstId = sample.id();
	await expect(sample.title).toHaveText(`抽查 #${firstId}`);
	await expect(sample.seed).toHaveText(seed);
	const drawn = await sample.recordIds();
	expect(drawn).toEqual(expect.arrayContaining(mine.map((r) => r.id)));
	await expect(sample.countyCell(COUNTY, 'sampled')).toHaveText(String(population));
	await expect(sample.countyCell(COUNTY, 'concluded')).toHaveText('0');
	await expect(sample.countyCell(COUNTY, 'rate')).toHaveText('—');

	const [a, b] = mine;
	const rowA = sample.item(a!.id);
	const rowB = sample.item(b!.id);
	await expect(rowA.recordLink).toHaveText(a!.name);
	await expect(rowA.recordLink).toHaveAttribute('href', `/review/records/${a!.id}`);
	// 44 px targets
	for (const target of [rowA.passButton, rowA.failButton, rowA.note, rowA.recordLink]) {
		expect((await target.boundingBox())!.height).toBeGreaterThanOrEqual(44);
	}
	await rowA.conclude('不合格', '照片与现场不符');
	await expect(rowA.message).toHaveText('已记录结论：不合格。');
	await expect(rowA.conclusion).toContainText('照片与现场不符');
	// a later conclusion replaces it
	await rowA.conclude('合格', '');
	await expect(rowA.message).toHaveText('已记录结论：合格。');
	await expect(rowA.root).toHaveAttribute('data-conclusion', '合格');
	await expect(rowA.conclusion).not.toContainText('照片与现场不符');
	await expect(rowA.conclusion).toContainText('city');
	await rowB.conclude('不合格', '缺少近景照片');
	await expect(rowB.root).toHaveAttribute('data-conclusion', '不合格');
	await expect(sample.countyCell(COUNTY, 'concluded')).toHaveText('2');
	await expect(sample.countyCell(COUNTY, 'passed')).toHaveText('1');
	await expect(sample.countyCell(COUNTY, 'failed')).toHaveText('1');
	await expect(sample.countyCell(COUNTY, 'rate')).toHaveText('50.0%');
	await expect(sample.progress).toHaveText(`已结论 2 / ${population}`);

	// stored on the server: a reload shows the same
	await page.reload();
	await expect(sample.item(a!.id).root).toHaveAttribute('data-conclusion', '合格');
	await expect(sample.item(b!.id).conclusion).toContainText('缺少近景照片');
	await shoot(page, 'sample');

	// the list shows the draw; the same seed over the same records draws the same sample
	await samples.navLink.click();
	await expect(samples.row(firstId)).toContainText(seed);
	await expect(samples.row(firstId)).toContainText(`已结论 2 / ${population}`);
	await samples.fill({ percent: '100', counties: [COUNTY], seed });
	await samples.askDraw();
	await samples.confirm();
	expect(sample.id()).toBeGreaterThan(firstId);
	expect(await sample.recordIds()).toEqual(drawn);
	await expect(sample.countyCell(COUNTY, 'concluded')).toHaveText('0');
	await shoot(page, 'sample-redrawn');
	await samples.goto();
	await shoot(page, 'draw-page');

	// a county reviewer: no link, and a clear 403 page
	const desk = await browser.newContext({ baseURL: baseURL! });
	const other = await desk.newPage();
	const otherLogin = new ReviewLoginPage(other);
	const otherSamples = new ReviewSamplesPage(other);
	await otherLogin.goto();
	await otherLogin.logIn(`reviewer-${COUNTY}`);
	await expect(other).toHaveURL(/^[^?]*\/review$/);
	await expect(otherSamples.header.user).toBeVisible();
	await expect(otherSamples.navLink).toHaveCount(0);
	const response = await other.goto(`/review/samples/${firstId}`);
	expect(response?.status()).toBe(403);
	await expect(otherSamples.error).toContainText('没有权限');
	await expect(otherSamples.error).toContainText('抽查由市文物局的审核员进行');
	await otherSamples.goto();
	await expect(otherSamples.error).toHaveAttribute('data-status', '403');
	await desk.close();
	await api.dispose();
});

test('a conclusion works without JavaScript', async ({ browser, baseURL, playwright }) => {
	const api = await playwright.request.newContext({ baseURL: baseURL! });
	const [record] = await approvedRechecks(api, 33, 1);
	const city = await tokenOf(api, 'city');
	const drawn = await api.post('/api/review/samples', {
		data: { percent: 100, counties: [COUNTY], seed: 'no-js' },
		headers: { authorization: `Bearer ${city}` }
	});
	expect(drawn.status()).toBe(201);
	const id = ((await drawn.json()) as { sample: { id: number } }).sample.id;

	const context = await browser.newContext({ baseURL: baseURL!, javaScriptEnabled: false });
	const page = await context.newPage();
	await new ReviewLoginPage(page).goto(`%2Freview%2Fsamples%2F${id}`);
	await new ReviewLoginPage(page).logIn('city');
	await expect(page).toHaveURL(new RegExp(`/review/samples/${id}$`));
	const sample = new SamplePage(page);
	const row = sample.item(record!.id);
	await row.conclude('不合格', '无脚本也能填写');
	await expect(row.root).toHaveAttribute('data-conclusion', '不合格');
	await expect(row.conclusion).toContainText('无脚本也能填写');
	await context.close();
	await api.dispose();
});
