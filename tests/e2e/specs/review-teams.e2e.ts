import { randomUUID } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import type { APIRequestContext, Locator, Page } from '@playwright/test';
import { demoRegistry, expect, test } from '../fixtures.js';
import { tokenOf } from '../record-helpers.js';
import { DEMO_PASSWORD } from '../accounts.js';
import { ReviewLoginPage } from '../pages/review/review-login-page.js';
import { ReviewTeamsPage } from '../pages/review/review-teams-page.js';
import { ReviewQueuePage } from '../pages/review/review-queue-page.js';
import { recheckRecord } from '../../fixtures/records.js';
import { chinaDate } from '../../../src/lib/domain/records/drafts.js';

/**
 * Survey teams (issue 13 point 2) and the queue's team filter (issue 12 point 1), as a county
 * reviewer works them. No other spec uses this county.
 */
const COUNTY = '150622';
const SHOTS = 'test-results/review-teams';

/** A re-check of the county's registered site `index`, pushed by `username`. */
async function pushRecheck(
	request: APIRequestContext,
	username: string,
	index: number
): Promise<string> {
	const token = await tokenOf(request, username);
	const site = demoRegistry().filter((s) => s.countyCode === COUNTY)[index]!;
	const record = recheckRecord(site, {
		id: randomUUID(),
		now: new Date().toISOString(),
		surveyors: ['分队测试'],
		surveyedOn: chinaDate(new Date())
	});
	const response = await request.post('/api/sync/push', {
		data: { deviceId: randomUUID(), records: [record] },
		headers: { authorization: `Bearer ${token}` }
	});
	expect(response.status(), await response.text()).toBe(200);
	return record.id;
}

/** Screenshots at three sizes, scrolled to the top or to `at`. */
async function shoot(page: Page, name: string, at?: Locator): Promise<void> {
	mkdirSync(SHOTS, { recursive: true });
	for (const [width, height] of [
		[1920, 1080],
		[1280, 800],
		[800, 1280]
	] as const) {
		await page.setViewportSize({ width, height });
		if (at) await at.evaluate((el) => el.scrollIntoView({ block: 'center' }));
		else await page.evaluate(() => window.scrollTo(0, 0));
		await page.screenshot({ path: `${SHOTS}/${name}-${width}x${height}.png` });
	}
	await page.setViewportSize({ width: 1280, height: 800 });
}

test('a county reviewer makes teams of its surveyors and reviews one team’s records', async ({
	page,
	playwright,
	baseURL
}) => {
	const api = await playwright.request.newContext({ baseURL: baseURL! });
	// a second surveyor of the county, made by the city reviewer
	const newcomer = `team-e2e-${randomUUID().slice(0, 6)}`;
	const made = await api.post('/api/admin/users', {
		data: { username: newcomer, role: 'surveyor', counties: [COUNTY], password: DEMO_PASSWORD },
		headers: { authorization: `Bearer ${await tokenOf(api, 'city')}` }
	});
	expect(made.status(), await made.text()).toBe(201);
	const veteran = `surveyor-${COUNTY}`;
	const byVeteran = await pushRecheck(api, veteran, 0);
	const byNewcomer = await pushRecheck(api, newcomer, 1);

	const teams = new ReviewTeamsPage(page);
	await teams.goto();
	await new ReviewLoginPage(page).logIn(`reviewer-${COUNTY}`);
	await expect(page).toHaveURL(/\/review\/teams$/);
	await expect(teams.navLink).toHaveAttribute('aria-current', 'page');
	await expect(teams.heading).toHaveText('普查队 · 准格尔旗');

	// a team without a name: refused beside the field, nothing made
	const before = await teams.teams.count();
	await teams.newTeam.fill('', [veteran]);
	await teams.newTeam.save.click();
	await expect(teams.newTeam.nameError).toHaveText('请填写队名');
	await expect(teams.teams).toHaveCount(before);
	// what was ticked is still ticked
	await expect(teams.newTeam.member(veteran)).toBeChecked();

	const first = `第一普查队-${newcomer.slice(-6)}`;
	await teams.newTeam.fill(first, [veteran]);
	await teams.newTeam.save.click();
	await expect(teams.done).toHaveText(`已建立普查队“${first}”`);
	const card = teams.team(first);
	await expect(card.members).toHaveCount(1);
	await expect(card.members).toContainText(veteran);
	await expect(card.records).toContainText('本旗区记录');
	const teamId = await card.id();

	// the same surveyor in a second team: refused beside the surveyor, naming the first team
	const second = `第二普查队-${newcomer.slice(-6)}`;
	await teams.newTeam.fill(second, [veteran, newcomer]);
	await teams.newTeam.save.click();
	await expect(teams.newTeam.memberError(veteran)).toContainText(`已在“${first}”`);
	await expect(teams.newTeam.error).toBeVisible();
	await expect(teams.team(second).root).toHaveCount(0);
	await shoot(page, 'refused');

	// add the newcomer to the first team through its edit form
	await card.editButton.click();
	const edit = teams.editForm(teamId);
	await expect(edit.member(veteran)).toBeChecked();
	await edit.member(newcomer).check();
	await edit.save.click();
	await expect(teams.done).toHaveText(`已保存普查队“${first}”`);
	await expect(card.members).toHaveCount(2);
	for (const target of [card.queueLink, card.editButton, card.deleteButton]) {
		expect((await target.boundingBox())!.height).toBeGreaterThanOrEqual(44);
	}
	// the team takes the township of the veteran's re-check: its progress counts that record
	const township = demoRegistry().filter((s) => s.countyCode === COUNTY)[0]!.township;
	const inTownship = demoRegistry().filter(
		(s) => s.countyCode === COUNTY && s.township === township
	).length;
	await card.assignTownships([township]);
	await expect(teams.done).toContainText(`本队现负责 ${inTownship} 处`);
	await expect(card.progress).toContainText(`负责文物 ${inTownship} 处 · 已复查 1 处`);
	// one more site, picked on the map
	const county = demoRegistry().filter((s) => s.countyCode === COUNTY);
	const other = county.find((s) => s.township !== township)!;
	await card.assignButton.click();
	const map = page.getByTestId(`assign-map-${teamId}`);
	const selected = page.getByTestId(`assign-selected-${teamId}`);
	await expect(map).toHaveAttribute('data-ready', 'true');
	// a DOM click on its marker (sites close together overlap at the county's zoom)
	await map.locator(`[data-code="${other.code}"]`).dispatchEvent('click');
	await expect(selected).toHaveText('地图上已选 1 处');
	await page.getByTestId(`assign-submit-${teamId}`).click();
	await expect(teams.done).toContainText(`本队现负责 ${inTownship + 1} 处`);
	await expect(card.progress).toContainText(`负责文物 ${inTownship + 1} 处`);
	// a box drawn over the whole map selects every site of the county (the map shows them all)
	await card.assignButton.click();
	await expect(map).toHaveAttribute('data-ready', 'true');
	await page.getByTestId(`assign-box-${teamId}`).click();
	await map.scrollIntoViewIfNeeded();
	const box = (await map.boundingBox())!;
	await page.mouse.move(box.x + 4, box.y + 4);
	await page.mouse.down();
	await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2, { steps: 5 });
	await page.mouse.move(box.x + box.width - 4, box.y + box.height - 4, { steps: 5 });
	await page.mouse.up();
	await expect(selected).toHaveText(`地图上已选 ${county.length} 处`);
	await shoot(page, 'assign-map', map);
	await page.getByRole('button', { name: '清除选择' }).click();
	await expect(selected).toHaveText('地图上已选 0 处');
	await page.evaluate(() => window.scrollTo(0, 0));
	await shoot(page, 'teams');
	await card.assignButton.click();

	// the team's records in the queue: both members', named with the team
	await card.queueLink.click();
	const queue = new ReviewQueuePage(page);
	await expect(page).toHaveURL(new RegExp(`/review\\?team=${teamId}$`));
	await expect(queue.row(byVeteran)).toBeVisible();
	await expect(queue.row(byNewcomer)).toBeVisible();
	await expect(queue.teamIn(byVeteran)).toContainText(first);
	// …and no one else's: every row is by a member
	for (const row of await queue.rows.all()) await expect(queue.teamIn(row)).toContainText(first);
	await shoot(page, 'queue-by-team');

	// a reviewer sees the filter chosen, and can clear it
	await queue.filterBy('team', '');
	await expect(page).not.toHaveURL(/team=/);

	// take the veteran out: the queue by team keeps the newcomer's record only
	await teams.goto();
	await card.editButton.click();
	await edit.member(veteran).uncheck();
	await edit.save.click();
	await expect(card.members).toHaveCount(1);
	await queue.goto(`?team=${teamId}`);
	await expect(queue.row(byNewcomer)).toBeVisible();
	await expect(queue.row(byVeteran)).toHaveCount(0);

	// delete, after a confirmation that says what it means
	await teams.goto();
	await card.askDelete();
	await expect(card.deleteConfirm).toContainText('已交的记录不变');
	await card.confirmDelete();
	await expect(teams.done).toHaveText(`已删除普查队“${first}”，其调查员现不在任何队`);
	await expect(card.root).toHaveCount(0);
});

test('a county reviewer cannot open another county’s teams', async ({ page }) => {
	const teams = new ReviewTeamsPage(page);
	await teams.goto('150603');
	await new ReviewLoginPage(page).logIn(`reviewer-${COUNTY}`);
	await expect(teams.error).toContainText('无权管理旗区 150603');
});
