import { join } from 'node:path';
import type { APIRequestContext, Locator, Page } from '@playwright/test';
import { expect, storedRecord, test } from '../fixtures.js';
import { HomePage } from '../pages/home-page.js';
import { FieldLoginPage } from '../pages/login-page.js';
import { ReviewHomePage, ReviewLoginPage } from '../pages/review/review-login-page.js';
import { ReviewUsersPage } from '../pages/review/review-users-page.js';
import { SyncPage } from '../pages/sync-page.js';
import { DEMO_PASSWORD, queueRecord } from '../review-helpers.js';

/** A county no other spec touches, so its surveyor's devices are this spec's only. */
const COUNTY = '150621';
/** Set to a directory to keep screenshots of the review pages in both tablet orientations. */
const SHOTS = process.env.REVIEW_SHOTS;

async function shoot(page: Page, name: string, focus?: Locator): Promise<void> {
	if (!SHOTS) return;
	for (const [label, size] of [
		['landscape', { width: 1280, height: 800 }],
		['portrait', { width: 800, height: 1280 }]
	] as const) {
		await page.setViewportSize(size);
		await page.evaluate(() => window.scrollTo(0, 0));
		await page.screenshot({ path: join(SHOTS, `${name}-${label}.png`) });
		if (focus) {
			await focus.evaluate((e) => e.scrollIntoView({ block: 'start' }));
			await page.screenshot({ path: join(SHOTS, `${name}-${label}-focus.png`) });
		}
	}
	await page.setViewportSize({ width: 1280, height: 800 });
}

async function apiLogin(request: APIRequestContext, username: string, password: string) {
	// as the app's own page sends it (the context keeps the session cookie of an earlier login,
	// and a cookie-authenticated POST must say where it comes from)
	const response = await request.post('/api/auth/login', {
		data: { username, password },
		headers: { 'sec-fetch-site': 'same-origin' }
	});
	return { status: response.status(), body: (await response.json()) as { error?: string } };
}

test('a city reviewer logs in, adds a surveyor, resets its password, disables and enables it', async ({
	page,
	request
}) => {
	const login = new ReviewLoginPage(page);
	const users = new ReviewUsersPage(page);
	await users.goto();
	// not signed in: to the login page, and back to the users afterwards
	await expect(page).toHaveURL(/\/review\/login\?next=%2Freview%2Fusers$/);
	await expect(login.header.demoBanner).toContainText('演示账号');
	await expect(login.heading).toBeVisible();
	await shoot(page, 'review-login');

	await login.logIn('city', 'not-the-password');
	await expect(login.error).toHaveText('用户名或密码不正确，请重新输入。');
	await login.logIn('city');
	await expect(page).toHaveURL(/^[^?]*\/review\/users$/);
	await expect(users.heading).toBeVisible();
	await expect(users.header.user).toContainText('city');
	await expect(users.header.user).toContainText('市文物局');
	await expect(users.header.demoBanner).toBeVisible();
	const rows = users.rows;
	const before = await rows.count();
	// the 19 demo accounts, and any user an earlier run of this spec added to the same server
	await expect(users.demoRows).toHaveCount(19);
	expect(before).toBeGreaterThanOrEqual(19);

	// a refused add: errors beside the fields, in Chinese, and no user added
	const add = users.addForm;
	await add.open();
	await add.username.fill('x');
	await add.password.fill('short');
	await add.submit();
	await expect(add.usernameError).toContainText('用户名只能用');
	await expect(add.passwordError).toContainText('密码至少 8 个字符');
	await expect(rows).toHaveCount(before);
	await shoot(page, 'review-users-add-refused');

	const username = `e2e-surveyor-${Date.now().toString(36)}`;
	await add.username.fill(username);
	await add.name.fill('测试队员');
	await add.chooseRole('surveyor');
	// no county for a surveyor: refused, nothing added
	await add.password.fill('first-password-1');
	await add.submit();
	await expect(add.countiesError).toHaveText('请选择旗区');
	await expect(rows).toHaveCount(before);
	await add.chooseCounty(COUNTY);
	await add.password.fill('first-password-1');
	await add.submit();
	await expect(users.message).toHaveText(new RegExp(`已添加用户 ${username}`));
	await expect(rows).toHaveCount(before + 1);
	const row = users.row(username);
	await expect(row.role).toHaveText('普查队员');
	await expect(row.counties).toHaveText('达拉特旗');
	await expect(row.status).toHaveText('启用');
	expect((await apiLogin(request, username, 'first-password-1')).status).toBe(200);

	// a new password that is too short: refused beside the field, the old one still works
	await row.setPassword('abc');
	await expect(row.passwordError).toContainText('密码至少 8 个字符');
	expect((await apiLogin(request, username, 'first-password-1')).status).toBe(200);
	// a generated one, shown once
	await row.generatePassword();
	await expect(row.message).toContainText('只显示这一次');
	const generated = (await row.generatedPassword.textContent())!.trim();
	expect(generated).toMatch(/^[A-Za-z0-9]{4}-[A-Za-z0-9]{4}-[A-Za-z0-9]{4}$/);
	expect((await apiLogin(request, username, 'first-password-1')).status).toBe(401);
	expect((await apiLogin(request, username, generated)).status).toBe(200);

	// role and counties
	await row.edit();
	await row.county('150622').check();
	await row.nameInput.fill('测试队员二');
	await row.saveEdit();
	await expect(row.message).toHaveText(`已保存 ${username} 的修改。`);
	await expect(row.counties).toHaveText('达拉特旗、准格尔旗');

	// disabled: asked first, then its logins end and its API login answers 401
	await row.askDisable();
	await expect(row.root.getByText('所有登录（平板和浏览器）立即失效')).toBeVisible();
	await row.confirmDisable();
	await expect(row.status).toHaveText('已停用');
	await expect(row.message).toContainText(`已停用 ${username}`);
	const refused = await apiLogin(request, username, generated);
	expect(refused.status).toBe(401);
	expect(refused.body.error).toContain('停用');

	// enabled again: the same password works
	await row.enable();
	await expect(row.status).toHaveText('启用');
	await expect(row.message).toContainText('已重新启用');
	expect((await apiLogin(request, username, generated)).status).toBe(200);

	// signing out ends the session
	await users.header.logout();
	await expect(page).toHaveURL(/^[^?]*\/review\/login$/);
	await users.goto();
	await expect(page).toHaveURL(/\/review\/login\?next=/);
});

test('a county reviewer cannot open the user management; a surveyor gets no review page', async ({
	page
}) => {
	const login = new ReviewLoginPage(page);
	const home = new ReviewHomePage(page);
	const users = new ReviewUsersPage(page);
	await login.goto();
	await login.logIn(`reviewer-${COUNTY}`);
	await expect(page).toHaveURL(/^[^?]*\/review$/);
	await expect(home.queue).toContainText('审核队列');
	await expect(home.header.user).toContainText('旗区审核 · 达拉特旗');
	await expect(home.header.navUsers).toHaveCount(0);
	const response = await users.goto();
	expect(response?.status()).toBe(403);
	await expect(users.error).toContainText('只有市文物局');
	await expect(users.rows).toHaveCount(0);
	// its actions refuse as well
	const post = await page.request.post('/review/users?/disable', {
		form: { username: `surveyor-${COUNTY}` },
		headers: { origin: new URL(page.url()).origin, accept: 'application/json' }
	});
	expect(post.status()).toBe(403);
	expect(await post.text()).toContain('只有市文物局');
	await users.header.logout();
	await expect(page).toHaveURL(/^[^?]*\/review\/login$/);

	// a surveyor is told at the login form, and gets no session
	await login.logIn(`surveyor-${COUNTY}`);
	await expect(login.error).toContainText('这是调查员账号');
	// a surveyor's browser session from the API gets the plain explanation, not a review page
	const session = await page.request.post('/api/auth/login', {
		data: { username: `surveyor-${COUNTY}`, password: DEMO_PASSWORD }
	});
	expect(session.status()).toBe(200);
	await home.goto();
	await expect(home.reviewersOnly).toContainText('审核区仅供审核人员使用');
	await expect(home.queue).toHaveCount(0);
});

test('a device revoked by the city reviewer gets 401 on its next sync, says so and keeps its records', async ({
	browser,
	page
}) => {
	// the surveyor's tablet: logged in on the field app, one record sent
	const tablet = await browser.newContext();
	const device = await tablet.newPage();
	try {
		const account = new FieldLoginPage(device);
		const sync = new SyncPage(device);
		await new HomePage(device).firstVisit();
		await account.logIn(`surveyor-${COUNTY}`);
		await account.topBar.openAccount();
		await expect(account.accountCard).toBeVisible();
		const deviceId = await account.deviceId();
		expect(deviceId).toMatch(/^[0-9a-f-]{36}$/);

		const sent = await queueRecord(device, COUNTY, 0);
		await sync.goto();
		await expect(sync.queued).toContainText('1');
		await sync.syncNow();
		await expect(sync.row(sent)).toHaveAttribute('data-status', '已送达');

		// out of signal, a second record is finalized: it waits on the tablet
		await tablet.setOffline(true);
		const unsent = await queueRecord(device, COUNTY, 1);
		await sync.goto();
		await expect(sync.row(unsent)).toHaveAttribute('data-status', '待上传');

		// the city reviewer sees the device and revokes it
		const login = new ReviewLoginPage(page);
		const users = new ReviewUsersPage(page);
		await login.goto('/review/users');
		await login.logIn('city');
		await expect(page).toHaveURL(/^[^?]*\/review\/users$/);
		const surveyor = users.row(`surveyor-${COUNTY}`);
		const card = surveyor.device(deviceId!);
		await expect(card.state).toHaveAttribute('data-state', 'signed-in');
		await expect(card.root).toContainText(deviceId!.slice(0, 8));
		await expect(card.lastSync).toHaveText(/^\d{4}-\d\d-\d\d \d\d:\d\d$/);
		await card.askRevoke();
		await expect(card.root).toContainText('仍留在设备上，不会删除');
		await shoot(page, 'review-users-revoke-confirm', surveyor.root);
		await card.confirmRevoke();
		// revoked, and kept revoked: no login on it until reinstated
		await expect(card.state).toHaveAttribute('data-state', 'blocked');
		await expect(card.reinstateButton).toBeVisible();
		await expect(surveyor.message).toContainText('已注销设备');
		await shoot(page, 'review-users', surveyor.root);

		// back in signal, the tablet syncs by itself: 401, said in Chinese, the unsent record kept
		const refused = device.waitForResponse((r) => r.url().includes('/api/') && r.status() === 401);
		await tablet.setOffline(false);
		await refused;
		await expect(sync.error).toHaveAttribute('data-kind', 'auth');
		await expect(sync.error).toContainText('请重新登录');
		await expect(sync.error).toContainText('都会保留');
		await expect(sync.row(unsent)).toHaveAttribute('data-status', '待上传');
		await expect(sync.row(sent)).toBeVisible();
		const { row } = await storedRecord(device, unsent);
		expect(row).toMatchObject({ localState: 'finalized', outbox: 'queued' });
		await device.reload();
		await expect(sync.row(unsent)).toHaveAttribute('data-status', '待上传');
	} finally {
		await tablet.close();
	}
});
