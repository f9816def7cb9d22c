import { expect, test, type Page } from '@playwright/test';
import { queueRechecks } from '../fixtures.js';
import { HomePage } from '../pages/home-page.js';
import { FieldLoginPage } from '../pages/login-page.js';
import { SyncPage } from '../pages/sync-page.js';
import { E2E_DEMO_PASSWORD } from '../server-process.js';

const COUNTY = '150627';
const SURVEYOR = `surveyor-${COUNTY}`;

/** What the device database holds: the session's token, and the unsent records with their photos. */
async function onDevice(page: Page) {
	return page.evaluate(async () => {
		const db = await new Promise<IDBDatabase>((resolve, reject) => {
			const open = indexedDB.open('ordos-survey');
			open.onsuccess = () => resolve(open.result);
			open.onerror = () => reject(open.error);
		});
		const all = <T>(store: string) =>
			new Promise<T[]>((resolve, reject) => {
				const req = db.transaction(store).objectStore(store).getAll();
				req.onsuccess = () => resolve(req.result as T[]);
				req.onerror = () => reject(req.error);
			});
		const settings = await all<{ key: string; value: { token?: string } }>('settings');
		const records = await all<{ id: string; outbox?: string }>('records');
		const blobs = await all<{ sha256: string; blob: Blob }>('photoBlobs');
		db.close();
		return {
			token: settings.find((s) => s.key === 'session')?.value.token ?? null,
			queued: records.filter((r) => r.outbox === 'queued').map((r) => r.id),
			photoBytes: blobs.reduce((n, b) => n + b.blob.size, 0),
			photos: blobs.length
		};
	});
}

test('signing out of a shared tablet ends the login on the server and keeps every unsent record', async ({
	page,
	request
}) => {
	const login = new FieldLoginPage(page);
	const sync = new SyncPage(page);
	await new HomePage(page).firstVisit();
	await login.logIn(SURVEYOR, E2E_DEMO_PASSWORD);

	// Two finalized re-checks with two photos each, which cannot be sent yet (uploads fail).
	await page.route('**/api/photos/*', (route) => route.abort('internetdisconnected'));
	await page.route('**/api/sync/push', (route) => route.abort('internetdisconnected'));
	const { ids, hashes } = await queueRechecks(page, COUNTY, { count: 2, photosPerRecord: 2 });
	const before = await onDevice(page);
	expect(before.token).not.toBeNull();
	expect(before.queued.sort()).toEqual([...ids].sort());
	expect(before.photos).toBe(hashes.length);
	const token = before.token!;
	expect(
		(await request.get('/api/auth/me', { headers: { authorization: `Bearer ${token}` } })).status()
	).toBe(200);

	// 退出登录 asks first, and says the unsent records stay.
	await login.goto();
	const logout = await login.startLogout();
	await expect(logout.root).toContainText('未上传的 2 条记录');
	await logout.confirm();
	await expect(login.username).toBeVisible();
	await expect(login.topBar.account).not.toHaveText(SURVEYOR);

	// The token is gone from the tablet and refused by the server; the records and photos stay.
	const after = await onDevice(page);
	expect(after.token).toBeNull();
	expect(after.queued.sort()).toEqual(before.queued.sort());
	expect(after.photos).toBe(before.photos);
	expect(after.photoBytes).toBe(before.photoBytes);
	expect(
		(await request.get('/api/auth/me', { headers: { authorization: `Bearer ${token}` } })).status()
	).toBe(401);
	await sync.goto();
	await expect(sync.queued).toHaveText('待上传 2 条');
	await expect(sync.loginNeeded).toBeVisible();

	// Logged in again (the network is back), the records go up.
	await page.unrouteAll();
	await login.logIn(SURVEYOR, E2E_DEMO_PASSWORD);
	await sync.goto();
	await sync.syncNow();
	await expect(sync.queued).toHaveText('待上传 0 条');
	const reviewer = await request.post('/api/auth/login', {
		data: { username: `reviewer-${COUNTY}`, password: E2E_DEMO_PASSWORD }
	});
	const reviewerToken = ((await reviewer.json()) as { token: string }).token;
	for (const id of ids) {
		const held = await request.get(`/api/records/${id}`, {
			headers: { authorization: `Bearer ${reviewerToken}` }
		});
		expect(held.status()).toBe(200);
		expect(((await held.json()) as { status: string }).status).toBe('submitted');
	}
});
