import { randomUUID } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import type { APIRequestContext } from '@playwright/test';
import { demoRegistry, expect, test } from '../fixtures.js';
import { tokenOf } from '../record-helpers.js';
import { ReviewLoginPage } from '../pages/review/review-login-page.js';
import { makePhoto, sha256Hex, uniqueJpeg } from '../../fixtures/photos.js';
import { recheckRecord } from '../../fixtures/records.js';
import { destination } from '../../fixtures/geo.js';
import { chinaDate } from '../../../src/lib/domain/records/drafts.js';

// the code lists' photo kinds and directions (codelists.json; a JSON import is not for Playwright's loader)
const PHOTO_KINDS = ['全景', '近景', '细部', '环境', '标志'] as const;
const PHOTO_DIRECTIONS = [
	'由东向西',
	'由西向东',
	'由南向北',
	'由北向南',
	'由东北向西南',
	'俯拍'
] as const;

/** A county few other specs send records of. */
const COUNTY = '150625';
const PHOTOS = [
	'tests/fixtures/photos/site-dongsheng-1600x1200.jpg',
	'tests/fixtures/photos/site-hangjin-1600x1200.jpg'
].map((f) => new Uint8Array(readFileSync(f)));

async function upload(request: APIRequestContext, token: string, jpeg: Uint8Array) {
	const bytes = uniqueJpeg(jpeg);
	const sha256 = sha256Hex(bytes);
	const response = await request.put(`/api/photos/${sha256}`, {
		data: Buffer.from(bytes),
		headers: { authorization: `Bearer ${token}`, 'content-type': 'image/jpeg' }
	});
	expect(response.status()).toBe(201);
	return sha256;
}

async function approve(request: APIRequestContext, token: string, id: string, revision: number) {
	const response = await request.post(`/api/records/${id}/decision`, {
		data: { decision: 'approve', revision },
		headers: { authorization: `Bearer ${token}` }
	});
	expect(response.status(), await response.text()).toBe(200);
}

test('the 登记表 of a re-check with 12 photos and a 40-point boundary prints as a clean A4 PDF', async ({
	page,
	playwright,
	baseURL
}, info) => {
	const api = await playwright.request.newContext({ baseURL: baseURL! });
	const token = await tokenOf(api, `surveyor-${COUNTY}`);
	const site = demoRegistry().filter((s) => s.countyCode === COUNTY)[9]!;
	const now = new Date().toISOString();
	const photos = [];
	for (let i = 0; i < 12; i++) {
		const sha256 = await upload(api, token, PHOTOS[i % 2]!);
		photos.push(
			makePhoto(
				sha256,
				PHOTO_KINDS[i % PHOTO_KINDS.length]!,
				destination(site.location, 15, i * 30),
				{
					takenAt: now,
					direction: PHOTO_DIRECTIONS[i % PHOTO_DIRECTIONS.length]!,
					photographer: '王登记',
					caption: `第${i + 1}张：${site.name}${i === 0 ? '全景，由东向西拍摄，可见夯土台基与周边台地' : '细部'}`
				}
			)
		);
	}
	const ring = Array.from({ length: 40 }, (_, i) => {
		const p = destination(site.location, 60, (360 * i) / 40);
		return [p.lon, p.lat] as [number, number];
	});
	const record = recheckRecord(
		site,
		{ id: randomUUID(), now, surveyors: ['王登记', '李核查'], surveyedOn: chinaDate(new Date()) },
		{ photos, boundary: { type: 'Polygon', coordinates: [[...ring, ring[0]!]] } }
	);
	const pushed = await api.post('/api/sync/push', {
		data: { deviceId: randomUUID(), records: [record] },
		headers: { authorization: `Bearer ${token}` }
	});
	expect(pushed.status()).toBe(200);
	expect(((await pushed.json()) as { results: { status: string }[] }).results[0]!.status).toBe(
		'accepted'
	);
	await approve(api, await tokenOf(api, `reviewer-${COUNTY}`), record.id, 1);
	await approve(api, await tokenOf(api, 'city'), record.id, 2);

	// from the record page, as the county's reviewer
	const login = new ReviewLoginPage(page);
	await login.goto(`/review/records/${record.id}`);
	await login.logIn(`reviewer-${COUNTY}`);
	await page.getByTestId('record-form').click();
	await expect(page).toHaveURL(`/review/records/${record.id}/form`);
	const form = page.getByTestId('registration-form');
	await expect(form.getByTestId('form-name')).toHaveText(site.name);
	await expect(form.getByTestId('form-code')).toHaveText(site.code);
	await expect(form.getByTestId('form-approver')).toHaveText('city');
	// the centre and the 40 vertices, in 度分秒
	await expect(form.getByTestId('form-point')).toHaveCount(41);
	await expect(form.getByTestId('form-point').nth(1)).toContainText('北纬');
	// the photo register, Z001 to Z012, with photographer and direction
	const figures = form.getByTestId('form-photo');
	await expect(figures).toHaveCount(12);
	await expect(figures.first()).toContainText('Z001');
	await expect(figures.last()).toContainText('Z012');
	await expect(figures.nth(1)).toContainText(PHOTO_DIRECTIONS[1]);
	await expect(figures.first()).toContainText('王登记');
	// sent, approved by the county, accepted by the city
	await expect(form.getByTestId('form-step')).toHaveCount(3);
	await expect(form.getByTestId('form-step').last()).toContainText('city');
	await page.waitForFunction(() =>
		[...document.images].every((img) => img.complete && img.naturalWidth > 0)
	);
	for (const [width, height] of [
		[1280, 800],
		[800, 1280]
	] as const) {
		await page.setViewportSize({ width, height });
		await page.screenshot({ path: info.outputPath(`form-${width}x${height}.png`) });
	}

	// printed: the toolbar and the review bar are gone, no photo is taller than the A4 page
	// (277 mm less the margins at 96 px per inch), and Chromium makes the PDF
	await page.emulateMedia({ media: 'print' });
	await expect(page.getByTestId('form-print')).toBeHidden();
	await expect(page.locator('.review > header')).toBeHidden();
	const heights = await figures.evaluateAll((all) =>
		all.map((f) => f.getBoundingClientRect().height)
	);
	expect(Math.max(...heights)).toBeLessThan(((297 - 30) / 25.4) * 96);
	const pdf = await page.pdf({ preferCSSPageSize: true, printBackground: true });
	writeFileSync(info.outputPath('registration-form.pdf'), pdf);
	const text = pdf.toString('latin1');
	expect(text.startsWith('%PDF-')).toBe(true);
	const pages = text.match(/\/Type\s*\/Page(?!s)/g)?.length ?? 0;
	// cover, basic information, points, history: a page each at least; 12 photos at most two a page
	expect(pages).toBeGreaterThanOrEqual(4 + 6);
	// A4: 595 × 842 points
	expect(text).toMatch(/\/MediaBox \[0 0 59[45]\.?\d* 84[12]\.?\d*\]/);
});
