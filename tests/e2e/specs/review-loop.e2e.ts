/**
 * Issue 12, done when: the whole review loop with two browser contexts, a surveyor's tablet and a
 * reviewer's desk, against the production build. A record is submitted; the county reviewer
 * returns it with a comment on 简介; after a sync the tablet shows the task first on 工作台 and the
 * comment beside the field; the surveyor fixes it, answers the comment and submits it again; the
 * county reviewer approves and the city reviewer accepts; the history shows every step, and the
 * tablet shows the outcome.
 */
import type { Locator, Page } from '@playwright/test';
import { demoRegistry, expect, newDevice, shootTabletSizes, test } from '../fixtures.js';
import { HomePage } from '../pages/home-page.js';
import { RecordPage } from '../pages/record/record-page.js';
import { SyncPage } from '../pages/sync-page.js';
import { ReviewLoginPage } from '../pages/review/review-login-page.js';
import { ReviewRecordPage } from '../pages/review/review-record-page.js';
import { recheck, signInTablet } from '../record-helpers.js';

// A county and site no other spec re-checks, so the record and its history are this test's own.
const COUNTY = '150627';
const SITE_INDEX = 12;

/** The desk at both sizes, from the top of the page or with `part` scrolled into view. */
async function shootDesk(page: Page, dir: string, name: string, part?: Locator): Promise<void> {
	for (const [width, height] of [
		[1920, 1080],
		[1280, 800]
	] as const) {
		await page.setViewportSize({ width, height });
		if (part) await part.scrollIntoViewIfNeeded();
		else await page.evaluate(() => window.scrollTo(0, 0));
		await page.screenshot({ path: `${dir}/${name}-${width}x${height}.png` });
	}
}

test('the review loop: submitted, returned with a comment on 简介, fixed and answered on the tablet, approved by the county, accepted by the city', async ({
	page: tablet,
	browser
}, info) => {
	const site = demoRegistry().filter((s) => s.countyCode === COUNTY)[SITE_INDEX]!;
	const shots = info.outputPath('shots');
	const home = new HomePage(tablet);
	const sync = new SyncPage(tablet);
	const form = new RecordPage(tablet);

	// The tablet re-checks the site and submits it.
	await signInTablet(tablet, `surveyor-${COUNTY}`);
	const id = await recheck(tablet, site);
	await sync.goto();
	await sync.syncNow();
	await expect(sync.row(id)).toHaveAttribute('data-status', '已送达');

	// The county reviewer, at a desk of their own, returns it with a comment on 简介.
	const desk = await newDevice(browser, info);
	try {
		const reviewer = await desk.newPage();
		await reviewer.setViewportSize({ width: 1920, height: 1080 });
		const login = new ReviewLoginPage(reviewer);
		const record = new ReviewRecordPage(reviewer);
		await login.goto(`/review/records/${id}`);
		await login.logIn(`reviewer-${COUNTY}`);
		await expect(record.name).toHaveText(site.name);
		await expect(record.status).toHaveText('已送达');
		const mustFix = '简介没有写明遗址现存的范围和保存状况，请补充。';
		await record.commentOnField('description');
		await expect(record.commentPath(0)).toHaveValue('description');
		await record.writeComment(0, mustFix, '必须修改');
		await record.sendReturn();
		await expect(record.decisionResult).toContainText('已退回');
		await expect(record.historyEntry(2)).toHaveAttribute('data-action', 'return');

		// After a sync the tablet lists it first on 工作台, and opens it at 简介 with the comment.
		await sync.syncNow();
		await expect(sync.row(id)).toHaveAttribute('data-status', '已退回');
		await home.goto();
		const task = home.returnTask(id);
		await expect(task).toContainText(site.name);
		await expect(task).toContainText(`reviewer-${COUNTY}`);
		const taskBox = (await home.returnTasks.boundingBox())!;
		const progressBox = (await home.progressCard.boundingBox())!;
		expect(taskBox.y).toBeLessThan(progressBox.y);
		await shootTabletSizes(tablet, shots, 'loop-task', { ready: () => expect(task).toBeVisible() });
		await home.openReturnTask(id);
		await expect(form.condition.description).toBeFocused();
		const beside = form.condition.fieldComment('description');
		await expect(beside).toContainText(mustFix);
		await expect(beside).toContainText('必须修改');

		// The surveyor fixes it, answers the comment, and submits it again on the returned revision.
		const added = '遗址现存范围东西约60米、南北约40米，北墙保存较好，南侧受风沙侵蚀严重。';
		await form.condition.addToDescription(added);
		await form.answerFixed('2.1');
		await expect(form.saveState).toHaveAttribute('data-state', 'saved');
		await form.finish();
		await sync.goto();
		await sync.syncNow();
		await expect(sync.row(id)).toHaveAttribute('data-status', '已送达');

		// The reviewer sees revision 3: the new 简介 marked against revision 2's, the answer beside
		// the comment, and approves it.
		await record.goto(id);
		await expect(record.revision).toHaveText('第 3 版');
		await expect(record.field('description')).toContainText(added);
		await expect(record.root).toContainText('已修改');
		await shootDesk(reviewer, shots, 'loop-record');
		// (other specs send the same camera files, so the server may find DUP-003 errors here: an
		// approval over errors needs its reason, and a reason is welcome either way)
		await record.approve('简介已按意见补充，同意报送市局。');
		await expect(record.decisionResult).toContainText('已通过');
		await expect(record.status).toHaveText('审核中');

		// The city reviewer accepts it.
		await record.header.logout();
		// signed out first: the login page sends a signed-in reviewer straight on to `next`
		await expect(reviewer).toHaveURL(/^[^?]*\/review\/login$/);
		await login.goto(`/review/records/${id}`);
		await login.logIn('city');
		await expect(record.status).toHaveText('审核中');
		await record.approve('经市局审核，同意通过。');
		await expect(record.decisionResult).toContainText('已通过');
		await expect(record.status).toHaveText('已通过');

		// The history shows every step: push, return (with its comment), push with the answer,
		// county approval, city acceptance, each with who did it.
		const steps = [
			[1, 'push', `surveyor-${COUNTY}`],
			[2, 'return', `reviewer-${COUNTY}`],
			[3, 'push', `surveyor-${COUNTY}`],
			[4, 'approve', `reviewer-${COUNTY}`],
			[5, 'approve', 'city']
		] as const;
		await expect(record.historyEntries).toHaveCount(steps.length);
		for (const [revision, action, by] of steps) {
			const entry = record.historyEntry(revision);
			await expect(entry).toHaveAttribute('data-action', action);
			await expect(entry).toContainText(by);
		}
		await expect(record.historyEntry(2).getByTestId('comment')).toContainText(mustFix);
		await expect(record.historyEntry(3)).toContainText('简介');
		await shootDesk(reviewer, shots, 'loop-history', record.history);

		// The tablet learns the outcome on its next sync.
		await sync.syncNow();
		await expect(sync.row(id)).toHaveAttribute('data-status', '已通过');
		await home.goto();
		await expect(home.returnTask(id)).toHaveCount(0);
	} finally {
		await desk.close();
	}
});
