import { randomUUID } from 'node:crypto';
import type { APIRequestContext, Page } from '@playwright/test';
import { demoRegistry, expect, test } from '../fixtures.js';
import { serverRecord, tokenOf } from '../record-helpers.js';
import { ReviewLoginPage } from '../pages/review/review-login-page.js';
import { ReviewQueuePage } from '../pages/review/review-queue-page.js';
import { recheckRecord } from '../../fixtures/records.js';
import { makePhoto, sha256Hex, uniqueJpeg } from '../../fixtures/photos.js';
import type { SurveyRecord } from '../../../src/lib/domain/schemas/index.js';
import { chinaDate } from '../../../src/lib/domain/records/drafts.js';

/** A county few other specs send records of (one re-check, of its fourth site). */
const COUNTY = '150626';
const SHOTS = 'test-results/review-bulk';

type Pushed = { record: SurveyRecord; findings: { severity: string }[] };

/** Uploads a distinct real JPEG as `token` and answers its hash. */
async function uploadPhoto(request: APIRequestContext, token: string): Promise<string> {
	const bytes = uniqueJpeg();
	const sha256 = sha256Hex(bytes);
	const response = await request.put(`/api/photos/${sha256}`, {
		data: Buffer.from(bytes),
		headers: { authorization: `Bearer ${token}`, 'content-type': 'image/jpeg' }
	});
	expect(response.status()).toBe(201);
	return sha256;
}

async function push(
	request: APIRequestContext,
	token: string,
	records: SurveyRecord[]
): Promise<Pushed[]> {
	const response = await request.post('/api/sync/push', {
		data: { deviceId: `bulk-e2e-${COUNTY}`, records },
		headers: { authorization: `Bearer ${token}` }
	});
	expect(response.status()).toBe(200);
	const { results } = (await response.json()) as {
		results: { status: string; findings?: { severity: string }[] }[];
	};
	expect(results.map((r) => r.status)).toEqual(records.map(() => 'accepted'));
	return records.map((record, i) => ({ record, findings: results[i]!.findings ?? [] }));
}

/**
 * Re-checks of `county`'s sites from `first`: a photo set of 全景 and 近景 makes one clean, one
 * without its photos' direction has a warning, one without photos has errors.
 */
async function recheck(
	request: APIRequestContext,
	token: string,
	site: number,
	photos: 'clean' | 'warning' | 'none'
): Promise<SurveyRecord> {
	const at = demoRegistry().filter((s) => s.countyCode === COUNTY)[site]!;
	const today = chinaDate(new Date());
	const taken = { photographer: '批量测试', takenAt: `${today}T09:00:00+08:00` };
	const entries =
		photos === 'none'
			? []
			: [
					makePhoto(await uploadPhoto(request, token), '全景', at.location, taken),
					makePhoto(await uploadPhoto(request, token), '近景', at.location, taken)
				].map(({ direction, ...rest }) => (photos === 'warning' ? rest : { ...rest, direction }));
	return recheckRecord(
		at,
		{ id: randomUUID(), now: new Date().toISOString(), surveyors: ['批量测试'], surveyedOn: today },
		{ photos: entries }
	);
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

test('a county reviewer approves several records at once, after a confirmation that lists them', async ({
	page,
	playwright,
	baseURL
}) => {
	// the tablet's side, in a context of its own
	const api = await playwright.request.newContext({ baseURL: baseURL! });
	const surveyor = await tokenOf(api, `surveyor-${COUNTY}`);
	const reviewer = await tokenOf(api, `reviewer-${COUNTY}`);
	const pushed = await push(api, surveyor, [
		await recheck(api, surveyor, 10, 'clean'),
		await recheck(api, surveyor, 11, 'clean'),
		await recheck(api, surveyor, 12, 'warning'),
		await recheck(api, surveyor, 13, 'clean'),
		await recheck(api, surveyor, 14, 'none')
	]);
	const [first, second, warned, later, faulty] = pushed.map((p) => p.record) as [
		SurveyRecord,
		SurveyRecord,
		SurveyRecord,
		SurveyRecord,
		SurveyRecord
	];
	// what each is, as QC found it
	expect(pushed.map((p) => p.findings.filter((f) => f.severity === 'error').length)).toEqual([
		0, 0, 0, 0, 2
	]);
	expect(pushed[2]!.findings.filter((f) => f.severity === 'warning').length).toBeGreaterThan(0);
	expect(pushed[0]!.findings).toEqual([]);

	const login = new ReviewLoginPage(page);
	const queue = new ReviewQueuePage(page);
	await login.goto();
	await login.logIn(`reviewer-${COUNTY}`);
	await expect(queue.queue).toBeVisible();
	await queue.goto('?status=submitted');
	for (const record of [first, second, warned, later, faulty])
		await expect(queue.row(record.id)).toBeVisible();

	// a record with QC errors cannot be picked, and its row says so
	await expect(queue.pickBox(faulty.id)).toBeDisabled();
	await expect(queue.blockedNote(faulty.id)).toHaveText('有错误，不能批量通过');
	await expect(queue.pickBox(first.id)).toBeEnabled();
	await expect(queue.blockedNote(first.id)).toHaveCount(0);

	// "all on this page" picks every record it can, and not the faulty one
	await queue.pickAll.check();
	for (const record of [first, second, warned, later])
		await expect(queue.pickBox(record.id)).toBeChecked();
	await expect(queue.pickBox(faulty.id)).not.toBeChecked();
	await queue.pickAll.uncheck();
	await expect(queue.bulkCount).toHaveText('已选 0 条');
	await expect(queue.bulkApproveButton).toBeDisabled();

	// picked by mouse, and by x on the current row
	await queue.pick(first.id);
	await queue.pick(warned.id);
	await queue.pick(later.id);
	await queue.focusRow(second.id);
	await queue.press('x');
	await expect(queue.pickBox(second.id)).toBeChecked();
	// x on the faulty row picks nothing and says why
	await queue.focusRow(faulty.id);
	await queue.press('x');
	await expect(queue.pickBox(faulty.id)).not.toBeChecked();
	await expect(queue.bulkNotice).toContainText('质检错误');
	await expect(queue.bulkCount).toHaveText('已选 4 条');
	await expect(queue.bulkApproveButton).toHaveText('批量通过（4）');
	await shoot(page, 'queue-selection');

	// the confirmation lists every picked record: name, county, revision, warnings
	const confirm = await queue.askBulkApprove();
	await expect(confirm.root).toBeVisible();
	await expect(confirm.root.getByRole('heading')).toHaveText('确认通过以下 4 条记录');
	await expect(confirm.root.getByTestId('bulk-confirm-row')).toHaveCount(4);
	for (const record of [first, second, warned, later]) {
		await expect(queue.confirmRow(record.id)).toContainText(record.name!);
		await expect(queue.confirmRow(record.id)).toContainText('乌审旗');
		await expect(queue.confirmRow(record.id)).toContainText('第 1 版');
	}
	await expect(queue.confirmRow(warned.id).getByTestId('bulk-confirm-warnings')).toHaveText(
		/^警告 [1-9]\d*$/
	);
	await expect(queue.confirmRow(first.id).getByTestId('bulk-confirm-warnings')).toHaveText('0');
	await expect(queue.confirmRow(faulty.id)).toHaveCount(0);
	await shoot(page, 'confirm');
	// 取消 approves nothing
	await confirm.cancel();
	await expect(confirm.root).toBeHidden();
	expect((await serverRecord(api, reviewer, first.id)).status).toBe('submitted');

	// meanwhile the surveyor sends a new revision of one of them: that one is refused alone
	await push(api, surveyor, [{ ...later, baseRevision: 1, address: `${later.address}（补充）` }]);
	await (await queue.askBulkApprove()).confirm();
	await expect(queue.bulkOutcomes).toContainText('通过 3 条，未通过 1 条');
	for (const record of [first, second, warned]) {
		await expect(queue.outcome(record.id)).toHaveAttribute('data-outcome', 'approved');
		await expect(queue.outcome(record.id)).toContainText('已通过：报送市局审核（第 2 版）');
	}
	await expect(queue.outcome(later.id)).toHaveAttribute('data-outcome', '409');
	await expect(queue.outcome(later.id)).toContainText('记录已更新到第 2 版');
	await shoot(page, 'outcomes');
	// the queue is refreshed: the approved ones left the 已送达 view, the others stay
	for (const record of [first, second, warned]) await expect(queue.row(record.id)).toHaveCount(0);
	await expect(queue.row(later.id)).toBeVisible();
	await expect(queue.row(faulty.id)).toBeVisible();
	await expect(queue.bulkCount).toHaveText('已选 0 条');
	for (const record of [first, second, warned])
		expect(await serverRecord(api, reviewer, record.id)).toMatchObject({
			status: 'county_approved',
			revision: 2
		});
	expect(await serverRecord(api, reviewer, later.id)).toMatchObject({
		status: 'submitted',
		revision: 2
	});
	expect(await serverRecord(api, reviewer, faulty.id)).toMatchObject({
		status: 'submitted',
		revision: 1
	});

	// while typing in a field the keys are the field's: nothing is picked, asked or opened
	await queue.focusRow(later.id);
	await queue.typeInFilter('from', 'xar?');
	await expect(queue.bulkCount).toHaveText('已选 0 条');
	await expect(queue.shortcuts).toBeHidden();
	await expect(queue.bulkConfirm.root).toHaveCount(0);
	await expect(page).toHaveURL(/\/review\?status=submitted$/);

	// a approves the current row, after a confirmation that names it
	await queue.focusRow(later.id);
	await queue.press('a');
	await expect(queue.bulkConfirm.root.getByRole('heading')).toHaveText(`确认通过“${later.name}”`);
	await expect(queue.confirmRow(later.id)).toContainText('第 2 版');
	await queue.bulkConfirm.confirm();
	await expect(queue.outcome(later.id)).toHaveAttribute('data-outcome', 'approved');
	await expect(queue.row(later.id)).toHaveCount(0);
	expect(await serverRecord(api, reviewer, later.id)).toMatchObject({
		status: 'county_approved',
		revision: 3
	});
	// a on the faulty row asks nothing and says why
	await queue.focusRow(faulty.id);
	await queue.press('a');
	await expect(queue.bulkConfirm.root).toHaveCount(0);
	await expect(queue.bulkNotice).toContainText('质检错误');

	// the shortcut list has them; r opens the record at its return form
	await queue.press('?');
	for (const key of ['x', 'a', 'r']) await expect(queue.shortcuts).toContainText(key);
	await expect(queue.shortcuts).toContainText('退回表单');
	await queue.press('Escape');
	await queue.focusRow(faulty.id);
	await queue.press('r');
	// (the record's link carries the queue's view, so its previous/next follow it)
	await expect(page).toHaveURL(
		new RegExp(`/review/records/${faulty.id}\\?status=submitted#return$`)
	);
	await api.dispose();
});

test('bulk approval works without script: the server lists the picked records, then approves them', async ({
	browser,
	playwright,
	baseURL
}) => {
	const api = await playwright.request.newContext({ baseURL: baseURL! });
	const surveyor = await tokenOf(api, `surveyor-${COUNTY}`);
	const reviewer = await tokenOf(api, `reviewer-${COUNTY}`);
	const [one, two] = (
		await push(api, surveyor, [
			await recheck(api, surveyor, 16, 'clean'),
			await recheck(api, surveyor, 17, 'clean')
		])
	).map((p) => p.record) as [SurveyRecord, SurveyRecord];
	const context = await browser.newContext({ javaScriptEnabled: false });
	const page = await context.newPage();
	const login = new ReviewLoginPage(page);
	const queue = new ReviewQueuePage(page);
	await login.goto();
	await login.logIn(`reviewer-${COUNTY}`);
	await expect(queue.queue).toBeVisible();
	await queue.goto('?status=submitted');
	await queue.pick(one.id);
	const confirm = await queue.askBulkApprove();
	await expect(confirm.root).toBeVisible();
	await expect(confirm.root.getByTestId('bulk-confirm-row')).toHaveCount(1);
	await expect(queue.confirmRow(one.id)).toContainText(one.name!);
	expect(await serverRecord(api, reviewer, one.id)).toMatchObject({ status: 'submitted' });
	await confirm.confirm();
	await expect(queue.outcome(one.id)).toHaveAttribute('data-outcome', 'approved');
	await expect(page).toHaveURL(/\/review\?status=submitted&\/bulkApprove$/);
	await expect(queue.row(one.id)).toHaveCount(0);
	await expect(queue.row(two.id)).toBeVisible();
	expect(await serverRecord(api, reviewer, one.id)).toMatchObject({
		status: 'county_approved',
		revision: 2
	});
	expect(await serverRecord(api, reviewer, two.id)).toMatchObject({ status: 'submitted' });
	await context.close();
	await api.dispose();
});
