import { randomUUID } from 'node:crypto';
import type { Page } from '@playwright/test';
import { demoRegistry, expect, shootTabletSizes, test } from '../fixtures.js';
import { DEMO_PASSWORD } from '../accounts.js';
import { tokenOf } from '../record-helpers.js';
import { HomePage } from '../pages/home-page.js';
import { FieldLoginPage } from '../pages/login-page.js';
import { SyncPage } from '../pages/sync-page.js';
import { WorkListPage } from '../pages/work-list-page.js';

/**
 * A team's assignment on its surveyor's tablet (issue 13 point 2, field side): the reviewer
 * assigns a township to a team, the tablet shows what each registry would bring before any
 * download, and downloads only the assigned sites. Its own surveyor and team, in a county no
 * other spec's surveyor works in.
 */
const COUNTY = '150602';
const SHOTS = 'test-results/team-assignment';

/** The codes of the registered sites on the device. */
function deviceSiteCodes(page: Page): Promise<string[]> {
	return page.evaluate(async () => {
		const db = await new Promise<IDBDatabase>((resolve, reject) => {
			const open = indexedDB.open('ordos-survey');
			open.onsuccess = () => resolve(open.result);
			open.onerror = () => reject(open.error);
		});
		const codes = await new Promise<string[]>((resolve, reject) => {
			const req = db.transaction('sites').objectStore('sites').getAllKeys();
			req.onsuccess = () => resolve((req.result as string[]).map(String));
			req.onerror = () => reject(req.error);
		});
		db.close();
		return codes.sort();
	});
}

test('the tablet shows the sizes first, then downloads only the team’s assignment', async ({
	page,
	request
}) => {
	// --- the reviewer's side, through the API: a surveyor, a team, a township assigned
	const surveyor = `team-field-${randomUUID().slice(0, 6)}`;
	const city = await tokenOf(request, 'city');
	const made = await request.post('/api/admin/users', {
		data: { username: surveyor, role: 'surveyor', counties: [COUNTY], password: DEMO_PASSWORD },
		headers: { authorization: `Bearer ${city}` }
	});
	expect(made.status(), await made.text()).toBe(201);
	const reviewer = await tokenOf(request, `reviewer-${COUNTY}`);
	const teamName = `外业${randomUUID().slice(0, 4)}队`;
	const team = await request.post('/api/teams', {
		data: { countyCode: COUNTY, name: teamName, members: [surveyor] },
		headers: { authorization: `Bearer ${reviewer}` }
	});
	expect(team.status(), await team.text()).toBe(201);
	const teamId = ((await team.json()) as { team: { id: number } }).team.id;
	const countySites = demoRegistry().filter((s) => s.countyCode === COUNTY);
	const township = countySites[0]!.township!;
	const assigned = countySites.filter((s) => s.township === township).map((s) => s.code);
	const assign = await request.post(`/api/teams/${teamId}/sites`, {
		data: { townships: [township] },
		headers: { authorization: `Bearer ${reviewer}` }
	});
	expect(assign.status(), await assign.text()).toBe(200);
	expect(((await assign.json()) as { sites: number }).sites).toBe(assigned.length);

	// --- the tablet: logging in downloads nothing yet; the sync page shows both sizes first
	const home = new HomePage(page);
	const login = new FieldLoginPage(page);
	const sync = new SyncPage(page);
	await home.firstVisit();
	await login.logIn(surveyor);
	await sync.goto();
	await expect(sync.registry.chooseFirst).toBeVisible();
	await expect(sync.registry.teamSize).toHaveText(
		new RegExp(`^本队分配 ${assigned.length} 处文物，约 [\\d.]+ KB$`)
	);
	await expect(sync.registry.countySize).toHaveText(
		new RegExp(`^全旗区 ${countySites.length} 处，约 [\\d.]+ (KB|MB)$`)
	);
	await expect(sync.registry.teamOption).toContainText(teamName);
	// the team's assignment is the default choice
	await expect(sync.registry.teamOption).toHaveAttribute('aria-checked', 'true');
	await expect(sync.registry.countyOption).toHaveAttribute('aria-checked', 'false');
	await expect(sync.registry.held).toHaveText('设备上还没有服务器名录');
	expect(await deviceSiteCodes(page)).not.toEqual([...assigned].sort());
	await shootTabletSizes(page, SHOTS, 'sync-sizes-first', { fullPage: true });

	// --- the download: only the assigned sites
	await sync.registry.download();
	await expect(sync.registry.held).toHaveText(
		`设备上：本队分配（${teamName}），${assigned.length} 处`
	);
	expect(await deviceSiteCodes(page)).toEqual([...assigned].sort());
	await shootTabletSizes(page, SHOTS, 'sync-downloaded', { fullPage: true });

	// the work list holds exactly them
	const list = new WorkListPage(page);
	await list.goto();
	await expect(list.resultCount).toHaveText(`共 ${assigned.length} 处`);
	await expect(list.row(assigned[0]!)).toBeVisible();
	const elsewhere = countySites.find((s) => s.township !== township)!;
	await list.searchFor(elsewhere.code);
	await expect(list.resultCount).toHaveText('共 0 处');

	// home names the team and its progress, from the data on the device
	await home.goto();
	await expect(home.team).toHaveText(
		`普查队：${teamName} · 本队分配 ${assigned.length} 处，已复查 0 处`
	);
	await shootTabletSizes(page, SHOTS, 'home-team');

	// the choice is remembered: a sync run keeps the team's registry
	await sync.syncOnce();
	expect(await deviceSiteCodes(page)).toEqual([...assigned].sort());
});
