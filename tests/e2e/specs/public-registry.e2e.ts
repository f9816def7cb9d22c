import { randomUUID } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createHash } from 'node:crypto';
import type { Page } from '@playwright/test';
import { expect, test } from '../fixtures.js';
import { ServerProcess } from '../server-process.js';
import { PublicRegistryPage, PublicSitePage } from '../pages/public/public-registry-page.js';
import { newFindRecord } from '../../fixtures/records.js';
import { makePhoto } from '../../fixtures/photos.js';
import { chinaDate } from '../../../src/lib/domain/records/drafts.js';
import { generalizeCoordinate } from '../../../src/lib/domain/registry/public-site.js';

/**
 * A visitor of the public registry (issue 13 point 4): searches a site by a two-character name,
 * opens it on the map, reads it in English, downloads CSV and Shapefile. The registry must be
 * published first, and a publish takes every accepted record of a server: a server of its own.
 */
const PORT = Number(process.env.E2E_PUBLIC_PORT ?? 4701);
const COUNTY = '150602';
const SHOTS = 'test-results/public-registry';
const AT = { lat: 39.808761, lon: 109.912347 };

test.use({ baseURL: `http://localhost:${PORT}` });

async function shoot(page: Page, name: string): Promise<void> {
	mkdirSync(SHOTS, { recursive: true });
	for (const [width, height] of [
		[1920, 1080],
		[1280, 800],
		[800, 1280]
	] as const) {
		await page.setViewportSize({ width, height });
		await page.evaluate(() => window.scrollTo(0, 0));
		await page.screenshot({ path: `${SHOTS}/${name}-${width}x${height}.png` });
	}
	await page.setViewportSize({ width: 1280, height: 800 });
}

/** A new find named 石城 with a photo, accepted by the county and the city, then published. */
async function publishStoneCity(server: ServerProcess): Promise<string> {
	const call = async (
		method: string,
		path: string,
		token: string,
		body: unknown,
		type?: string
	) => {
		const response = await fetch(`${server.origin}${path}`, {
			method,
			headers: {
				'content-type': type ?? 'application/json',
				authorization: `Bearer ${token}`
			},
			body: type ? (body as Uint8Array<ArrayBuffer>) : JSON.stringify(body)
		});
		expect(response.status, await response.clone().text()).toBeLessThan(300);
		return response.json().catch(() => null) as Promise<unknown>;
	};
	const surveyor = await server.login(`surveyor-${COUNTY}`);
	const photo = new Uint8Array(readFileSync('tests/fixtures/photos/site-dongsheng-1600x1200.jpg'));
	const sha256 = createHash('sha256').update(photo).digest('hex');
	await call('PUT', `/api/photos/${sha256}`, surveyor, photo, 'image/jpeg');
	const record = newFindRecord(
		COUNTY,
		AT,
		{
			id: randomUUID(),
			now: new Date().toISOString(),
			surveyors: ['公开名录测试'],
			surveyedOn: chinaDate(new Date())
		},
		{
			name: '石城',
			openStatus: '未开放',
			photos: [
				makePhoto(sha256, '全景', AT, {
					photographer: '公开名录测试',
					takenAt: `${chinaDate(new Date())}T00:00:00+08:00`
				})
			]
		}
	);
	const pushed = (await call('POST', '/api/sync/push', surveyor, {
		deviceId: randomUUID(),
		records: [record]
	})) as { results: { status: string }[] };
	expect(pushed.results.map((r) => r.status)).toEqual(['accepted']);
	for (const [who, revision] of [
		[`reviewer-${COUNTY}`, 1],
		['city', 2]
	] as const) {
		await call('POST', `/api/records/${record.id}/decision`, await server.login(who), {
			decision: 'approve',
			revision,
			comments: [{ message: '公开名录测试：同意' }]
		});
	}
	const city = await server.login('city');
	await call('POST', '/api/registry/publish', city, { note: '公开名录测试' });
	const version = (await call('GET', '/api/registry/versions/1?limit=5000', city, undefined)) as {
		sites: { code: string; name?: string }[];
	};
	return version.sites.find((s) => s.name === '石城')!.code;
}

let server: ServerProcess;
let code: string;

test.beforeAll(async () => {
	test.setTimeout(180_000);
	server = new ServerProcess(PORT);
	await server.start();
	code = await publishStoneCity(server);
});
test.afterAll(async () => {
	await server?.stop();
});

test('a visitor finds 石城 by its two characters, opens it on the map, and reads it in English', async ({
	page
}) => {
	const registry = new PublicRegistryPage(page);
	await registry.goto();
	await expect(registry.heading).toHaveText('不可移动文物名录');
	await expect(registry.map).toHaveAttribute('data-ready', 'true');
	await shoot(page, 'registry');

	await registry.search('石城');
	await expect(registry.result(code)).toContainText('石城');
	await expect(registry.map).toHaveAttribute('data-ready', 'true');
	await expect(registry.map).toHaveAttribute('data-points', '1');
	await shoot(page, 'search-stone-city');

	await registry.open(code);
	const site = new PublicSitePage(page);
	await expect(site.title).toHaveText(`石城（${code}）`);
	// the protected site is at its generalized point, and the map goes no closer than zoom 14
	await expect(site.location).toHaveAttribute('data-generalized', 'true');
	await expect(site.location).toContainText(String(generalizeCoordinate(AT.lat)));
	await expect(site.location).not.toContainText('39.8087');
	await expect(site.map).toHaveAttribute('data-ready', 'true');
	await expect(site.map).toHaveAttribute('data-max-zoom', '14');
	await expect(site.photos).toHaveCount(1);
	await expect(site.photos.first()).toHaveJSProperty('complete', true);
	// its 简介 says where it lies: a visitor reads a note instead
	await expect(page.getByTestId('public-description-withheld')).toBeVisible();
	await shoot(page, 'site-stone-city');

	await registry.switchLanguage();
	await expect(site.title).toHaveText(`石城 (${code})`);
	await expect(page.getByRole('heading', { name: 'Details' })).toBeVisible();
	await expect(registry.language).toHaveText('中文');
	await shoot(page, 'site-stone-city-en');
	await page.getByTestId('public-back').click();
	await expect(registry.heading).toHaveText('Registry of immovable cultural relics');
	await shoot(page, 'registry-en');
});

test('a visitor downloads the registry as CSV and as a Shapefile', async ({ page }) => {
	const registry = new PublicRegistryPage(page);
	await registry.goto();
	for (const [key, name] of [
		['csv', /\.csv$/],
		['shp', /\.zip$/]
	] as const) {
		const started = page.waitForEvent('download');
		await registry.download(key).click();
		const download = await started;
		expect(download.suggestedFilename()).toMatch(name);
		expect(await download.failure()).toBeNull();
	}
});

test('a visitor prints the public registration form of 石城: generalized, no boundary, no names', async ({
	page
}, info) => {
	await page.goto(`/registry/${code}`);
	await page.getByTestId('public-form').click();
	await expect(page).toHaveURL(new RegExp(`/registry/${code}/form$`));
	const form = page.getByTestId('registration-form');
	await expect(form.getByTestId('form-code')).toHaveText(code);
	await expect(form.getByTestId('form-name')).toHaveText('石城');
	// the protected site: its one point is the centre of its 0.01° cell, in 度分秒, and no boundary
	const points = form.getByTestId('form-point');
	await expect(points).toHaveCount(1);
	const lat = generalizeCoordinate(AT.lat);
	const degrees = Math.floor(lat);
	const minutes = Math.floor((lat - degrees) * 60);
	await expect(points.first()).toContainText(`北纬${degrees}°${String(minutes).padStart(2, '0')}′`);
	await expect(form.getByTestId('form-generalized')).toBeVisible();
	// the photo register numbers the public photo; no person's name is on the public form
	await expect(form.getByTestId('form-photo')).toHaveCount(1);
	await expect(form.getByTestId('form-photo')).toContainText('Z001');
	await expect(form.getByTestId('form-photo').locator('img')).toHaveJSProperty('complete', true);
	await expect(form).not.toContainText('公开名录测试');
	await shoot(page, 'public-form');

	await page.emulateMedia({ media: 'print' });
	await expect(page.getByTestId('form-print')).toBeHidden();
	await expect(page.locator('.public > header')).toBeHidden();
	const pdf = await page.pdf({ preferCSSPageSize: true, printBackground: true });
	writeFileSync(info.outputPath('public-form.pdf'), pdf);
	const text = pdf.toString('latin1');
	expect(text.startsWith('%PDF-')).toBe(true);
	// cover, basic information, points, photos, publication: a page each
	expect(text.match(/\/Type\s*\/Page(?!s)/g)?.length ?? 0).toBe(5);
	expect(text).toMatch(/\/MediaBox \[0 0 59[45]\.?\d* 84[12]\.?\d*\]/);
});
