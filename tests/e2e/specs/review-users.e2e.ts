import { join } from 'node:path';
import type { APIRequestContext, Locator, Page } from '@playwright/test';
import { expect, storedRecord, test, waitForServiceWorker } from '../fixtures';
import { DEMO_PASSWORD, deviceLogin, queueRecord, reviewLogin } from '../review-helpers';

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

const userRow = (page: Page, username: string) =>
	page.locator(`[data-testid="user-row"][data-username="${username}"]`);

test('a city reviewer logs in, adds a surveyor, resets its password, disables and enables it', async ({
	page,
	request
}) => {
	await page.goto('/review/users');
	// not signed in: to the login page, and back to the users afterwards
	await expect(page).toHaveURL(/\/review\/login\?next=%2Freview%2Fusers$/);
	await expect(page.getByTestId('demo-banner')).toContainText('演示账号');
	await expect(page.getByRole('heading', { name: '审核登录' })).toBeVisible();
	await shoot(page, 'review-login');

	await reviewLogin(page, 'city', 'not-the-password');
	await expect(page.getByTestId('review-login-error')).toHaveText(
		'用户名或密码不正确，请重新输入。'
	);
	await reviewLogin(page, 'city');
	await expect(page).toHaveURL(/^[^?]*\/review\/users$/);
	await expect(page.getByRole('heading', { name: '用户与设备' })).toBeVisible();
	await expect(page.getByTestId('review-user')).toContainText('city');
	await expect(page.getByTestId('review-user')).toContainText('市文物局');
	await expect(page.getByTestId('demo-banner')).toBeVisible();
	const rows = page.getByTestId('user-row');
	const before = await rows.count();
	// the 19 demo accounts, and any user an earlier run of this spec added to the same server
	await expect(rows.filter({ has: page.locator('.tag.demo') })).toHaveCount(19);
	expect(before).toBeGreaterThanOrEqual(19);

	// a refused add: errors beside the fields, in Chinese, and no user added
	await page.getByTestId('add-user').click();
	await page.getByTestId('add-username').fill('x');
	await page.getByTestId('add-password').fill('short');
	await page.getByTestId('add-submit').click();
	const addForm = page.locator('form[action="?/add"]');
	await expect(addForm.getByTestId('error-username')).toContainText('用户名只能用');
	await expect(addForm.getByTestId('error-password')).toContainText('密码至少 8 个字符');
	await expect(rows).toHaveCount(before);
	await shoot(page, 'review-users-add-refused');

	const username = `e2e-surveyor-${Date.now().toString(36)}`;
	await page.getByTestId('add-username').fill(username);
	await page.getByTestId('add-name').fill('测试队员');
	await addForm.getByTestId('role-surveyor').check();
	// no county for a surveyor: refused, nothing added
	await page.getByTestId('add-password').fill('first-password-1');
	await page.getByTestId('add-submit').click();
	await expect(addForm.getByTestId('error-counties')).toHaveText('请选择旗区');
	await expect(rows).toHaveCount(before);
	await addForm.getByTestId(`county-${COUNTY}`).check();
	await page.getByTestId('add-password').fill('first-password-1');
	await page.getByTestId('add-submit').click();
	await expect(page.getByTestId('user-message').first()).toHaveText(
		new RegExp(`已添加用户 ${username}`)
	);
	await expect(rows).toHaveCount(before + 1);
	const row = userRow(page, username);
	await expect(row.getByTestId('user-role')).toHaveText('普查队员');
	await expect(row.getByTestId('user-counties')).toHaveText('达拉特旗');
	await expect(row.getByTestId('user-status')).toHaveText('启用');
	expect((await apiLogin(request, username, 'first-password-1')).status).toBe(200);

	// a new password that is too short: refused beside the field, the old one still works
	await row.getByTestId('reset-password').click();
	await row.getByTestId('new-password').fill('abc');
	await row.getByTestId('set-password').click();
	await expect(row.getByTestId('error-password')).toContainText('密码至少 8 个字符');
	expect((await apiLogin(request, username, 'first-password-1')).status).toBe(200);
	// a generated one, shown once
	await row.getByTestId('generate-password').click();
	await expect(row.getByTestId('user-message')).toContainText('只显示这一次');
	const generated = (await row.getByTestId('generated-password').textContent())!.trim();
	expect(generated).toMatch(/^[A-Za-z0-9]{4}-[A-Za-z0-9]{4}-[A-Za-z0-9]{4}$/);
	expect((await apiLogin(request, username, 'first-password-1')).status).toBe(401);
	expect((await apiLogin(request, username, generated)).status).toBe(200);

	// role and counties
	await row.getByTestId('edit-user').click();
	await row.getByTestId('county-150622').check();
	await row.getByTestId('edit-name').fill('测试队员二');
	await row.getByTestId('edit-submit').click();
	await expect(row.getByTestId('user-message')).toHaveText(`已保存 ${username} 的修改。`);
	await expect(row.getByTestId('user-counties')).toHaveText('达拉特旗、准格尔旗');

	// disabled: asked first, then its logins end and its API login answers 401
	await row.getByTestId('disable-user').click();
	await expect(row.getByText('所有登录（平板和浏览器）立即失效')).toBeVisible();
	await row.getByTestId('disable-confirm').click();
	await expect(row.getByTestId('user-status')).toHaveText('已停用');
	await expect(row.getByTestId('user-message')).toContainText(`已停用 ${username}`);
	const refused = await apiLogin(request, username, generated);
	expect(refused.status).toBe(401);
	expect(refused.body.error).toContain('停用');

	// enabled again: the same password works
	await row.getByTestId('enable-user').click();
	await expect(row.getByTestId('user-status')).toHaveText('启用');
	await expect(row.getByTestId('user-message')).toContainText('已重新启用');
	expect((await apiLogin(request, username, generated)).status).toBe(200);

	// signing out ends the session
	await page.getByTestId('review-logout').click();
	await expect(page).toHaveURL(/^[^?]*\/review\/login$/);
	await page.goto('/review/users');
	await expect(page).toHaveURL(/\/review\/login\?next=/);
});

test('a county reviewer cannot open the user management; a surveyor gets no review page', async ({
	page
}) => {
	await page.goto('/review/login');
	await reviewLogin(page, `reviewer-${COUNTY}`);
	await expect(page).toHaveURL(/^[^?]*\/review$/);
	await expect(page.getByTestId('queue-placeholder')).toContainText('审核队列尚未完成');
	await expect(page.getByTestId('review-user')).toContainText('旗区审核 · 达拉特旗');
	await expect(page.getByTestId('nav-users')).toHaveCount(0);
	const response = await page.goto('/review/users');
	expect(response?.status()).toBe(403);
	await expect(page.getByTestId('review-error')).toContainText('只有市文物局');
	await expect(page.getByTestId('user-row')).toHaveCount(0);
	// its actions refuse as well
	const post = await page.request.post('/review/users?/disable', {
		form: { username: `surveyor-${COUNTY}` },
		headers: { origin: new URL(page.url()).origin, accept: 'application/json' }
	});
	expect(post.status()).toBe(403);
	expect(await post.text()).toContain('只有市文物局');
	await page.getByTestId('review-logout').click();
	await expect(page).toHaveURL(/^[^?]*\/review\/login$/);

	// a surveyor is told at the login form, and gets no session
	await reviewLogin(page, `surveyor-${COUNTY}`);
	await expect(page.getByTestId('review-login-error')).toContainText('这是调查员账号');
	// a surveyor's browser session from the API gets the plain explanation, not a review page
	const login = await page.request.post('/api/auth/login', {
		data: { username: `surveyor-${COUNTY}`, password: DEMO_PASSWORD }
	});
	expect(login.status()).toBe(200);
	await page.goto('/review');
	await expect(page.getByTestId('reviewers-only')).toContainText('审核区仅供审核人员使用');
	await expect(page.getByTestId('queue-placeholder')).toHaveCount(0);
});

const syncRow = (page: Page, id: string) =>
	page.locator(`[data-testid="sync-record"][data-id="${id}"]`);

test('a device revoked by the city reviewer gets 401 on its next sync, says so and keeps its records', async ({
	browser,
	page
}) => {
	// the surveyor's tablet: logged in on the field app, one record sent
	const tablet = await browser.newContext();
	const device = await tablet.newPage();
	try {
		await device.goto('/');
		await waitForServiceWorker(device);
		await deviceLogin(device, `surveyor-${COUNTY}`);
		await device.getByTestId('account').click();
		await expect(device.getByTestId('account-card')).toBeVisible();
		const deviceId = (
			await device.getByTestId('account-card').locator('dd.mono').textContent()
		)?.trim();
		expect(deviceId).toMatch(/^[0-9a-f-]{36}$/);

		const sent = await queueRecord(device, COUNTY, 0);
		await device.goto('/sync');
		await expect(device.getByTestId('sync-queued')).toContainText('1');
		await device.getByTestId('sync-now').click();
		await expect(syncRow(device, sent)).toHaveAttribute('data-status', '已送达');

		// out of signal, a second record is finalized: it waits on the tablet
		await tablet.setOffline(true);
		const unsent = await queueRecord(device, COUNTY, 1);
		await device.goto('/sync');
		await expect(syncRow(device, unsent)).toHaveAttribute('data-status', '待上传');

		// the city reviewer sees the device and revokes it
		await page.goto('/review/login?next=/review/users');
		await reviewLogin(page, 'city');
		await expect(page).toHaveURL(/^[^?]*\/review\/users$/);
		const card = userRow(page, `surveyor-${COUNTY}`).locator(
			`[data-testid="device"][data-device-id="${deviceId}"]`
		);
		await expect(card.getByTestId('device-state')).toHaveAttribute('data-state', 'signed-in');
		await expect(card).toContainText(deviceId!.slice(0, 8));
		await expect(card.getByTestId('device-last-sync')).toHaveText(/^\d{4}-\d\d-\d\d \d\d:\d\d$/);
		await card.getByTestId('revoke-device').click();
		await expect(card).toContainText('仍留在设备上，不会删除');
		await shoot(page, 'review-users-revoke-confirm', userRow(page, `surveyor-${COUNTY}`));
		await card.getByTestId('revoke-device-confirm').click();
		// revoked, and kept revoked: no login on it until reinstated
		await expect(card.getByTestId('device-state')).toHaveAttribute('data-state', 'blocked');
		await expect(card.getByTestId('reinstate-device')).toBeVisible();
		await expect(userRow(page, `surveyor-${COUNTY}`).getByTestId('user-message')).toContainText(
			'已注销设备'
		);
		await shoot(page, 'review-users', userRow(page, `surveyor-${COUNTY}`));

		// back in signal, the tablet syncs by itself: 401, said in Chinese, the unsent record kept
		const refused = device.waitForResponse((r) => r.url().includes('/api/') && r.status() === 401);
		await tablet.setOffline(false);
		await refused;
		const error = device.getByTestId('sync-error');
		await expect(error).toHaveAttribute('data-kind', 'auth');
		await expect(error).toContainText('请重新登录');
		await expect(error).toContainText('都会保留');
		await expect(syncRow(device, unsent)).toHaveAttribute('data-status', '待上传');
		await expect(syncRow(device, sent)).toBeVisible();
		const { row } = await storedRecord(device, unsent);
		expect(row).toMatchObject({ localState: 'finalized', outbox: 'queued' });
		await device.reload();
		await expect(syncRow(device, unsent)).toHaveAttribute('data-status', '待上传');
	} finally {
		await tablet.close();
	}
});
