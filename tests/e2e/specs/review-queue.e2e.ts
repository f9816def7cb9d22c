import { randomUUID } from 'node:crypto';
import type { APIRequestContext, Page } from '@playwright/test';
import { demoRegistry, expect, test } from '../fixtures.js';
import { tokenOf } from '../record-helpers.js';
import { ReviewLoginPage } from '../pages/review/review-login-page.js';
import { ReviewQueuePage } from '../pages/review/review-queue-page.js';
import { recheckRecord } from '../../fixtures/records.js';
import { chinaDate } from '../../../src/lib/domain/records/drafts.js';

/**
 * The reviewer's county (its reviewer opens no review page in another spec, so its first visit is
 * this test's), and another whose records it must never see.
 */
const COUNTY = '150603';
const OTHER = '150625';
const SHOTS = 'test-results/review-queue';

/** Pushes `count` re-checks of `county`'s registered sites (from site `first`) as its surveyor. */
async function pushRechecks(
	request: APIRequestContext,
	county: string,
	first: number,
	count: number
): Promise<{ id: string; name: string }[]> {
	const token = await tokenOf(request, `surveyor-${county}`);
	const sites = demoRegistry()
		.filter((s) => s.countyCode === county)
		.slice(first, first + count);
	const now = new Date().toISOString();
	const records = sites.map((site) =>
		recheckRecord(site, {
			id: randomUUID(),
			now,
			surveyors: ['队列测试'],
			surveyedOn: chinaDate(new Date())
		})
	);
	const response = await request.post('/api/sync/push', {
		data: { deviceId: randomUUID(), records },
		headers: { authorization: `Bearer ${token}` }
	});
	expect(response.status()).toBe(200);
	const { results } = (await response.json()) as { results: { status: string }[] };
	expect(results.map((r) => r.status)).toEqual(records.map(() => 'accepted'));
	return records.map((r) => ({ id: r.id, name: r.name ?? '' }));
}

async function shoot(page: Page, name: string): Promise<void> {
	for (const [width, height] of [
		[1920, 1080],
		[1280, 800]
	] as const) {
		await page.setViewportSize({ width, height });
		await page.screenshot({ path: `${SHOTS}/${name}-${width}x${height}.png` });
	}
}

test('a county reviewer works through its own queue: filters in the URL, j/k and Enter', async ({
	page,
	playwright,
	baseURL
}) => {
	// the tablets' side, in a context of its own: its logins leave the reviewer's browser alone
	const api = await playwright.request.newContext({ baseURL: baseURL! });
	const mine = await pushRechecks(api, COUNTY, 0, 4);
	const theirs = await pushRechecks(api, OTHER, 0, 2);
	// one of mine is returned, so the status filter has something to tell apart
	const reviewerToken = await tokenOf(api, `reviewer-${COUNTY}`);
	const returned = mine[3]!;
	const decision = await api.post(`/api/records/${returned.id}/decision`, {
		data: { decision: 'return', revision: 1, comments: [{ message: '请补充照片' }] },
		headers: { authorization: `Bearer ${reviewerToken}` }
	});
	expect(decision.status()).toBe(200);

	const login = new ReviewLoginPage(page);
	const queue = new ReviewQueuePage(page);
	await login.goto();
	await login.logIn(`reviewer-${COUNTY}`);
	await expect(page).toHaveURL(/^[^?]*\/review$/);
	await expect(queue.queue).toBeVisible();

	// its county's records, never another county's
	for (const record of mine) await expect(queue.row(record.id)).toBeVisible();
	for (const record of theirs) await expect(queue.row(record.id)).toHaveCount(0);
	await expect(queue.rows.filter({ hasNotText: '康巴什区' })).toHaveCount(0);
	await expect(queue.statusCount('returned')).toHaveText(/^[1-9]\d*$/);

	// filtering by status through the UI puts it in the URL, and the other filters keep it
	await queue.showStatus('submitted');
	await expect(page).toHaveURL(/\/review\?status=submitted$/);
	await expect(queue.row(returned.id)).toHaveCount(0);
	// (other specs send records of this county too: the checks name this test's records)
	for (const record of mine.slice(0, 3)) await expect(queue.row(record.id)).toBeVisible();
	await queue.filterBy('severity', 'clean');
	await expect(page).toHaveURL(/\/review\?status=submitted&severity=clean$/);
	for (const record of mine) await expect(queue.row(record.id)).toHaveCount(0);
	await queue.filterBy('severity', '');
	await expect(page).toHaveURL(/\/review\?status=submitted$/);
	await queue.showStatus('returned');
	await expect(page).toHaveURL(/\/review\?status=returned$/);
	await expect(queue.row(returned.id)).toBeVisible();
	for (const record of mine.slice(0, 3)) await expect(queue.row(record.id)).toHaveCount(0);

	// the URL reproduces the view on a reload
	await page.reload();
	await expect(page).toHaveURL(/\/review\?status=returned$/);
	await expect(queue.row(returned.id)).toBeVisible();
	for (const record of mine.slice(0, 3)) await expect(queue.row(record.id)).toHaveCount(0);

	// what arrives during the visit is marked new, and stays marked on a reload
	await queue.showStatus('all');
	await expect(queue.newMark(mine[0]!.id)).toHaveCount(0);
	const [late] = await pushRechecks(api, COUNTY, 4, 1);
	await page.reload();
	await expect(queue.newMark(late!.id)).toBeVisible();
	await page.reload();
	await expect(queue.newMark(late!.id)).toBeVisible();
	await expect(queue.newMark(mine[0]!.id)).toHaveCount(0);
	await shoot(page, 'queue');
	await queue.showStatus('submitted');
	for (const record of [...mine.slice(0, 3), late!])
		await expect(queue.row(record.id)).toBeVisible();

	// keyboard: j/k move the selection, ? lists the shortcuts, Enter opens the record
	await expect(queue.selectedRow).toHaveAttribute('data-index', '0');
	await queue.press('j', 'j', 'k');
	await expect(queue.selectedRow).toHaveAttribute('data-index', '1');
	await queue.press('ArrowDown');
	await expect(queue.selectedRow).toHaveAttribute('data-index', '2');
	await queue.press('?');
	await expect(queue.shortcuts).toBeVisible();
	await shoot(page, 'queue-shortcuts');
	await queue.press('Escape');
	await expect(queue.shortcuts).toBeHidden();
	const chosen = await queue.selectedRow.getAttribute('data-id');
	await queue.press('Enter');
	// the record page carries the queue's filter, for its previous/next
	await expect(page).toHaveURL(new RegExp(`/review/records/${chosen}\\?status=submitted$`));
	await expect(page.getByTestId('review-record')).toHaveAttribute('data-id', chosen!);
	await shoot(page, 'record');

	// a bad parameter in the URL is a message, not a crash
	const bad = await queue.goto('?severity=worst');
	expect(bad?.status()).toBe(400);
	await expect(queue.error).toContainText('筛选条件有误');
	await shoot(page, 'bad-query');
	// another county in the URL is refused
	const other = await queue.goto(`?county=${OTHER}`);
	expect(other?.status()).toBe(403);
	await api.dispose();
});
