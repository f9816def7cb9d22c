import { createHash } from 'node:crypto';
import type { BrowserContext, Page } from '@playwright/test';
import { demoRegistry, expect, goOffline, newDevice, storedRecord, test } from '../fixtures.js';
import { DEMO_PASSWORD } from '../accounts.js';
import { HomePage } from '../pages/home-page.js';
import { FieldLoginPage } from '../pages/login-page.js';
import { RecordPage } from '../pages/record/record-page.js';
import { SyncPage } from '../pages/sync-page.js';
import { recheck, serverRecord, tokenOf } from '../record-helpers.js';

const COUNTY = '150627';

/** Logs in on the device as the county's surveyor: the registry then comes from the server. */
async function logIn(page: Page): Promise<void> {
	const home = new HomePage(page);
	const login = new FieldLoginPage(page);
	await home.firstVisit();
	await home.topBar.openAccount();
	await expect(login.heading).toBeVisible();
	await login.submit(`surveyor-${COUNTY}`, 'wrong-password');
	await expect(login.error).toHaveText('用户名或密码不对，请重新输入。');
	await login.password.fill(DEMO_PASSWORD);
	await login.submitButton.click();
	// The account, with the registry of its county from the server.
	await expect(login.accountCard).toBeVisible();
	await expect(login.registry).toHaveAttribute('data-kind', 'server');
	await expect(login.registry).toContainText('伊金霍洛旗');
	await login.goHome();
	// Home, in the account's only county.
	await expect(home.heading).toBeVisible();
	await expect(home.topBar.account).toHaveText(`surveyor-${COUNTY}`);
	await expect(home.topBar.currentCounty).toHaveText('伊金霍洛旗');
	await expect(page.getByText(/服务器名录 · 伊金霍洛旗/)).toBeVisible();
}

async function online(context: BrowserContext): Promise<void> {
	await context.setOffline(false);
}

test('a record captured offline reaches the server with its photos once online', async ({
	page,
	context,
	request
}) => {
	const site = demoRegistry().find((s) => s.countyCode === COUNTY)!;
	const sync = new SyncPage(page);
	await logIn(page);

	await goOffline(context);
	const id = await recheck(page, site);
	await expect(sync.topBar.pendingSync).toHaveText(/待上传 1/);
	await sync.goto();
	await expect(sync.row(id)).toHaveAttribute('data-status', '待上传');
	await expect(sync.error).toHaveAttribute('data-kind', 'offline');

	// Back online, the device sends it by itself (the `online` event).
	await online(context);
	await expect(sync.row(id)).toHaveAttribute('data-status', '已送达');
	await expect(sync.topBar.pendingSync).toHaveText(/待上传 0/);
	await expect(sync.lastSync).toContainText('上次同步');

	const { row } = await storedRecord(page, id);
	expect(row).toMatchObject({ serverStatus: 'submitted', serverRevision: 1 });

	// The county reviewer reads the record and its photos through the API.
	const token = await tokenOf(request, `reviewer-${COUNTY}`);
	const held = await serverRecord(request, token, id);
	expect(held).toMatchObject({ status: 'submitted', revision: 1 });
	expect(held.record.photos).toHaveLength(2);
	const { blobs } = await storedRecord(page, id);
	for (const photo of held.record.photos) {
		const response = await request.get(`/api/photos/${photo.sha256}`, {
			headers: { authorization: `Bearer ${token}` }
		});
		expect(response.status()).toBe(200);
		const bytes = await response.body();
		expect(createHash('sha256').update(bytes).digest('hex')).toBe(photo.sha256);
		expect(bytes.toString('base64')).toBe(blobs[photo.sha256]);
	}
});

test('a returned record shows the reviewer’s comment, is fixed and submitted again', async ({
	page,
	request
}) => {
	const site = demoRegistry().filter((s) => s.countyCode === COUNTY)[1]!;
	const sync = new SyncPage(page);
	const form = new RecordPage(page);
	await logIn(page);
	const id = await recheck(page, site);
	await sync.goto();
	await sync.syncNow();
	await expect(sync.row(id)).toHaveAttribute('data-status', '已送达');

	// The county reviewer returns it with a comment on 简介.
	const token = await tokenOf(request, `reviewer-${COUNTY}`);
	const comment = '简介过于简略，请补充遗址的形制、规模和保存状况。';
	const decision = await request.post(`/api/records/${id}/decision`, {
		headers: { authorization: `Bearer ${token}` },
		data: { decision: 'return', revision: 1, comments: [{ path: 'description', message: comment }] }
	});
	expect(decision.status()).toBe(200);
	expect(await decision.json()).toMatchObject({ status: 'returned', revision: 2 });

	// 立即同步 brings the outcome: 已退回, editable, with the comment beside 简介.
	await sync.syncNow();
	await expect(sync.row(id)).toHaveAttribute('data-status', '已退回');
	await sync.row(id).click();
	await expect(form.status).toHaveAttribute('data-status', '已退回');
	await expect(form.reviewComments).toContainText(comment);
	await form.fixReviewComments();
	await expect(page).toHaveURL(/step=condition/);
	const fieldComment = form.condition.fieldComment('description');
	await expect(fieldComment).toContainText(comment);
	await expect(fieldComment).toContainText(`reviewer-${COUNTY}`);

	// Fixed, finalized, sent: back to 已送达, revision 3 on the server.
	await form.condition.addToDescription(
		'遗址平面呈长方形，东西长约80米，南北宽约50米，地表散见陶片，东部受风沙侵蚀。'
	);
	await form.finish();
	await sync.goto();
	await sync.syncNow();
	await expect(sync.row(id)).toHaveAttribute('data-status', '已送达');

	const held = await serverRecord(request, token, id);
	expect(held).toMatchObject({ status: 'submitted', revision: 3 });
	expect(held.record.description).toContain('东西长约80米');
	const { row } = await storedRecord(page, id);
	expect(row).toMatchObject({
		serverStatus: 'submitted',
		serverRevision: 3,
		localState: 'finalized'
	});
	expect((row as { serverComments?: unknown }).serverComments).toBeUndefined();
});

test('a record returned after its tablet was lost reaches the new tablet with its photos, and is fixed there', async ({
	page,
	request,
	browser
}, info) => {
	const site = demoRegistry().filter((s) => s.countyCode === COUNTY)[2]!;
	const sync = new SyncPage(page);
	await logIn(page);
	const id = await recheck(page, site);
	await sync.goto();
	await sync.syncNow();
	await expect(sync.row(id)).toHaveAttribute('data-status', '已送达');
	const sent = await serverRecord(request, await tokenOf(request, `reviewer-${COUNTY}`), id);

	// The first tablet is lost. The county reviewer returns the record.
	const token = await tokenOf(request, `reviewer-${COUNTY}`);
	const comment = '请补充遗址的保存状况，并说明东侧冲沟的位置。';
	const decision = await request.post(`/api/records/${id}/decision`, {
		headers: { authorization: `Bearer ${token}` },
		data: { decision: 'return', revision: 1, comments: [{ path: 'description', message: comment }] }
	});
	expect(decision.status()).toBe(200);

	// A new tablet (a browser profile of its own): the surveyor logs in, the sync brings it.
	const context = await newDevice(browser, info);
	try {
		const tablet = await context.newPage();
		const puts: string[] = [];
		tablet.on('request', (r) => {
			if (r.method() === 'PUT') puts.push(r.url());
		});
		const tabletSync = new SyncPage(tablet);
		const form = new RecordPage(tablet);
		await logIn(tablet);
		// The sync that follows the login fetched it, and the sync screen says so.
		await tabletSync.topBar.openSync();
		await expect(tabletSync.row(id)).toHaveAttribute('data-status', '已退回');
		await expect(tabletSync.fetched).toContainText('取回退回给您的记录 1 条');
		await tablet.screenshot({ path: info.outputPath('fetched-on-new-tablet-1280x800.png') });
		await tablet.setViewportSize({ width: 800, height: 1280 });
		await tablet.screenshot({ path: info.outputPath('fetched-on-new-tablet-800x1280.png') });
		await tablet.setViewportSize({ width: 1280, height: 800 });

		// On its page: 已退回, the comment, and both photos with their bytes.
		await tabletSync.row(id).click();
		await expect(form.status).toHaveAttribute('data-status', '已退回');
		await expect(form.reviewComments).toContainText(comment);
		await form.go('photos');
		await expect(form.photos.tiles).toHaveCount(2);
		for (const img of await form.photos.images.all()) {
			await expect
				.poll(() => img.evaluate((el) => (el as HTMLImageElement).naturalWidth))
				.toBeGreaterThan(0);
		}
		const { row, blobs } = await storedRecord(tablet, id);
		expect(row).toMatchObject({ localState: 'draft', serverStatus: 'returned', serverRevision: 2 });
		expect(Object.keys(blobs).sort()).toEqual(sent.record.photos.map((p) => p.sha256).sort());
		for (const [sha, base64] of Object.entries(blobs)) {
			expect(createHash('sha256').update(Buffer.from(base64, 'base64')).digest('hex')).toBe(sha);
		}
		await tablet.screenshot({
			path: info.outputPath('returned-on-new-tablet.png'),
			fullPage: true
		});

		// Fixed on the new tablet and sent: revision 3, and no photo uploaded again.
		await form.go('condition');
		await form.condition.addToDescription('遗址整体保存较好，东侧有一条南北向冲沟，长约30米。');
		await form.finish();
		await tabletSync.goto();
		await tabletSync.syncNow();
		await expect(tabletSync.row(id)).toHaveAttribute('data-status', '已送达');
		const held = await serverRecord(request, token, id);
		expect(held).toMatchObject({ status: 'submitted', revision: 3 });
		expect(held.record.description).toContain('南北向冲沟');
		expect(held.record.photos).toEqual(sent.record.photos);
		expect(puts).toEqual([]);
	} finally {
		await context.close();
	}
});
