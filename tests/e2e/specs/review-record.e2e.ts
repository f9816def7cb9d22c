import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { APIRequestContext, Page, TestInfo } from '@playwright/test';
import { demoRegistry, expect, test } from '../fixtures.js';
import { tokenOf } from '../record-helpers.js';
import { ReviewLoginPage } from '../pages/review/review-login-page.js';
import { ReviewRecordPage } from '../pages/review/review-record-page.js';
import { makePhoto, sha256Hex } from '../../fixtures/photos.js';
import { newFindRecord, recheckRecord } from '../../fixtures/records.js';
import { destination } from '../../fixtures/geo.js';
import { chinaDate } from '../../../src/lib/domain/records/drafts.js';
import type { SurveyRecord } from '../../../src/lib/domain/schemas/survey-record.js';

/** The county of this spec's records and reviewer. */
const COUNTY = '150622';
/** A camera photo with EXIF (time, GPS, Make/Model), and one without any. */
const WITH_EXIF = 'tests/fixtures/photos/site-dongsheng-1600x1200.jpg';
const WITHOUT_EXIF = 'tests/fixtures/photos/no-exif.jpg';

/** Uploads a photo file as the county's surveyor; its hash. */
async function upload(request: APIRequestContext, token: string, file: string): Promise<string> {
	const bytes = readFileSync(file);
	const sha256 = sha256Hex(bytes);
	const response = await request.put(`/api/photos/${sha256}`, {
		data: bytes,
		headers: { authorization: `Bearer ${token}`, 'content-type': 'image/jpeg' }
	});
	expect([200, 201]).toContain(response.status());
	return sha256;
}

async function push(request: APIRequestContext, token: string, records: SurveyRecord[]) {
	const response = await request.post('/api/sync/push', {
		data: { deviceId: randomUUID(), records },
		headers: { authorization: `Bearer ${token}` }
	});
	expect(response.status()).toBe(200);
	const { results } = (await response.json()) as { results: { status: string }[] };
	expect(results.map((r) => r.status)).toEqual(records.map(() => 'accepted'));
}

async function shoot(page: Page, info: TestInfo, name: string): Promise<void> {
	for (const [width, height] of [
		[1920, 1080],
		[1280, 800]
	] as const) {
		await page.setViewportSize({ width, height });
		await page.evaluate(() => window.scrollTo(0, 0));
		await page.screenshot({ path: info.outputPath(`${name}-${width}x${height}.png`) });
	}
}

test('a county reviewer reads a record in full, returns it with a comment on 简介, and approves another', async ({
	page,
	playwright,
	baseURL
}, info) => {
	// the tablet's side, in a context of its own
	const api = await playwright.request.newContext({ baseURL: baseURL! });
	const token = await tokenOf(api, `surveyor-${COUNTY}`);
	const sites = demoRegistry().filter((s) => s.countyCode === COUNTY);
	const site = sites[0]!;
	const other = sites[1]!;
	const withExif = await upload(api, token, WITH_EXIF);
	const withoutExif = await upload(api, token, WITHOUT_EXIF);
	const now = new Date().toISOString();
	const meta = { now, surveyors: ['记录页测试'], surveyedOn: chinaDate(new Date()) };
	const near = destination(site.location, 20, 90);
	// a re-check that renames the site and rewrites its 简介, with two photos
	const recheck = recheckRecord(
		site,
		{ id: randomUUID(), ...meta },
		{
			name: `${site.name}（复查更名）`,
			description: '复查时发现东侧围墙已坍塌约三米，其余保存一般。',
			photos: [
				makePhoto(withExif, '全景', near, { takenAt: now, direction: '由东向西' }),
				makePhoto(withoutExif, '近景', site.location, { takenAt: now, direction: '俯拍' })
			]
		}
	);
	// a new find 30 m from another registered site of the same category, without photos
	const at = destination(other.location, 30, 0);
	const find = newFindRecord(
		COUNTY,
		at,
		{ id: randomUUID(), ...meta },
		{ name: '记录页测试新发现', category: other.category, subcategory: other.subcategory }
	);
	await push(api, token, [recheck, find]);

	const login = new ReviewLoginPage(page);
	const record = new ReviewRecordPage(page);
	await login.goto(`/review/records/${recheck.id}?status=submitted`);
	await login.logIn(`reviewer-${COUNTY}`);
	await expect(page).toHaveURL(new RegExp(`/review/records/${recheck.id}\\?status=submitted$`));

	// the header, and the way back to the queue keeps its filter
	await expect(record.name).toHaveText(recheck.name!);
	await expect(record.status).toHaveText('已送达');
	await expect(record.revision).toHaveText('第 1 版');
	await expect(page.getByTestId('record-back')).toHaveAttribute('href', '/review?status=submitted');

	// every section of the form, in its order, with every field
	await expect(record.sections).toHaveCount(7);
	expect(
		await record.sections.evaluateAll((s) => s.map((e) => e.getAttribute('data-section')))
	).toEqual(['change', 'basic', 'location', 'condition', 'photos', 'people', 'review']);
	await expect(record.field('description')).toContainText('东侧围墙已坍塌');
	await expect(record.field('location').getByTestId('location-details')).toContainText('3 m');
	await expect(record.field('surveyors')).toContainText('记录页测试');

	// against the registry entry: the new name and 简介 are marked, old → new
	await expect(record.field('name')).toHaveAttribute('data-changed', 'true');
	await expect(record.field('name').getByTestId('field-diff')).toContainText(site.name);
	await expect(record.field('description')).toHaveAttribute('data-changed', 'true');
	await expect(record.field('category')).not.toHaveAttribute('data-changed', 'true');

	// the map: the point, both photo points (one with a direction), its registered site nearby
	await expect(record.map).toHaveAttribute('data-ready', 'true');
	await expect(record.mapPhotos).toHaveCount(2);
	await expect(record.mapPhotos.first()).toHaveAttribute('data-bearing', '270');
	await expect(record.nearby.locator(`[data-id="${site.code}"]`)).toContainText('0 m');

	// k and j walk the queue under the same filter (the page is live: its map is drawn); the
	// neighbour is whichever the page names
	const { away, back, href } = await record.queueNeighbour();
	expect(href).toMatch(/^\/review\/records\/[0-9a-f-]+\?status=submitted$/);
	await page.keyboard.press(away);
	await expect(page).toHaveURL(href);
	await page.keyboard.press(back);
	await expect(page).toHaveURL(new RegExp(`/review/records/${recheck.id}\\?status=submitted$`));

	// the photos: EXIF read in the browser, and a plain word when a file has none
	await expect(record.thumbs).toHaveCount(2);
	await record.openPhoto(0);
	await expect(record.photoView).toBeVisible();
	await expect(record.photoView.getByTestId('exif-time')).not.toHaveText('—');
	await expect(record.photoView.getByTestId('exif-diff')).toBeVisible();
	await shoot(page, info, 'record-photo');
	await page.keyboard.press('Escape');
	await expect(record.photoView).toBeHidden();
	await record.openPhoto(1);
	await expect(record.photoView.getByTestId('exif-none')).toBeVisible();
	await page.keyboard.press('Escape');

	// the shortcut list on ?
	await page.keyboard.press('?');
	await expect(record.shortcuts).toBeVisible();
	await page.keyboard.press('Escape');
	await expect(record.shortcuts).toBeHidden();
	await shoot(page, info, 'record');

	// return, with a comment started from 简介's own button
	await record.commentOnField('description');
	await expect(record.commentPath(0)).toHaveValue('description');
	await expect(record.commentRows.nth(0).getByTestId('comment-message')).toBeFocused();
	await record.writeComment(0, '请补拍坍塌处的细部照片，并写明坍塌长度的测量方法。', '必须修改');
	await record.sendReturn();
	await expect(record.decisionResult).toContainText('已退回');
	await expect(record.status).toHaveText('已退回');
	const returned = record.historyEntry(2);
	await expect(returned).toHaveAttribute('data-action', 'return');
	const comment = returned.getByTestId('comment');
	await expect(comment).toHaveAttribute('data-path', 'description');
	await expect(comment).toHaveAttribute('data-severity', '必须修改');
	await expect(comment).toContainText('请补拍坍塌处的细部照片');
	await expect(record.notYours).toBeVisible();
	await shoot(page, info, 'record-returned');

	// the new find: flagged near a registered site; its QC errors need a reason to approve
	await record.goto(find.id);
	await expect(record.name).toHaveText('记录页测试新发现');
	await expect(page.getByTestId('near-site-warning')).toContainText(other.name);
	await expect(record.finding('PHO-001').first()).toBeVisible();
	await record.followFinding('PHO-001');
	await expect(record.field('photos')).toBeFocused();
	await page.keyboard.press('a');
	await expect(record.approveButton).toBeFocused();
	await record.approve();
	// the browser asks for the reason: nothing is sent
	await expect(record.decisionResult).toHaveCount(0);
	await expect(record.status).toHaveText('已送达');
	await record.approve('照片已另行报送纸质档案，经核实无误。');
	await expect(record.decisionResult).toContainText('已通过');
	await expect(record.historyEntry(2)).toHaveAttribute('data-action', 'approve');
	await expect(record.notYours).toBeVisible();
});
