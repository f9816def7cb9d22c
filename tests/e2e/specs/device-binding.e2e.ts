import { expect, shootTabletSizes, storedRecord, storedSetting, test } from '../fixtures.js';
import { HomePage } from '../pages/home-page.js';
import { FieldLoginPage } from '../pages/login-page.js';
import { SyncPage } from '../pages/sync-page.js';
import { serverRecord, tokenOf } from '../record-helpers.js';
import { queueRecord } from '../review-helpers.js';

/*
 * Issue 10 point 7, as the field app shows it: a device id belongs to the account that first
 * signed in with it. Counties no other spec signs in with, so this spec's device is their only one.
 */
const FIRST = '150622';
const SECOND = '150603';

test('a tablet bound to one surveyor refuses another account with a clear message, and keeps the first one’s unsent record', async ({
	page,
	request
}, info) => {
	const home = new HomePage(page);
	const login = new FieldLoginPage(page);
	const sync = new SyncPage(page);

	// The tablet signs in as the first surveyor: the device is now bound to that account.
	await home.firstVisit();
	await login.logIn(`surveyor-${FIRST}`);

	// A finalized record that cannot be sent yet (uploads fail), then 退出登录.
	await page.route('**/api/photos/*', (route) => route.abort('internetdisconnected'));
	await page.route('**/api/sync/push', (route) => route.abort('internetdisconnected'));
	const id = await queueRecord(page, FIRST, 0);
	await login.goto();
	const logout = await login.startLogout();
	await expect(logout.root).toContainText('未上传的 1 条记录');
	await logout.confirm();
	await expect(login.username).toBeVisible();
	expect(await storedSetting(page, 'session')).toBeUndefined();

	// Another surveyor tries this tablet: the server refuses (409), the page says why in Chinese.
	const answer = page.waitForResponse(
		(r) => r.url().endsWith('/api/auth/login') && r.request().method() === 'POST'
	);
	await login.submit(`surveyor-${SECOND}`);
	expect((await answer).status()).toBe(409);
	await expect(login.error).toHaveText(
		`登录失败：这台设备已登记在账号 surveyor-${FIRST} 名下，不能换用其他账号。` +
			`请用 surveyor-${FIRST} 登录；如要换人使用，请先同步或备份本机数据，清除本机数据后再登录。`
	);
	await expect(login.error).toBeVisible();
	await shootTabletSizes(page, info.outputPath(), 'device-bound-login');

	// Still logged out: no account card, no session stored, no session for the server either.
	await expect(login.accountCard).toHaveCount(0);
	await expect(login.topBar.account).not.toContainText(`surveyor-${SECOND}`);
	expect(await storedSetting(page, 'session')).toBeUndefined();
	expect((await page.request.get('/api/auth/me')).status()).toBe(401);

	// The first surveyor's record is still on the tablet, waiting to be sent.
	const { row } = await storedRecord(page, id);
	expect(row).toMatchObject({ localState: 'finalized', outbox: 'queued' });
	await sync.goto();
	await expect(sync.queued).toHaveText('待上传 1 条');
	await expect(sync.loginNeeded).toBeVisible();
	await expect(sync.row(id)).toHaveAttribute('data-status', '待上传');

	// The first surveyor signs in again (the network back): the record goes up under that name.
	await page.unrouteAll();
	await login.logIn(`surveyor-${FIRST}`);
	await sync.goto();
	await sync.syncNow();
	await expect(sync.queued).toHaveText('待上传 0 条');
	await expect(sync.row(id)).toHaveAttribute('data-status', '已送达');
	const reviewer = await tokenOf(request, `reviewer-${FIRST}`);
	expect(await serverRecord(request, reviewer, id)).toMatchObject({
		status: 'submitted',
		revision: 1
	});
});
