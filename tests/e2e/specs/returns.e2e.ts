/**
 * Issue 12 point 4, returns reach the field: a surveyor's tablet submits a re-check; the county
 * reviewer returns it through the API with a 必须修改 comment on 简介 and a 建议 on the whole
 * record; after a sync the tablet lists it first on 工作台 as a task, opens it at 简介 with the
 * comment beside it, and the surveyor fixes it, answers both comments and submits it again.
 */
import type { APIRequestContext } from '@playwright/test';
import { demoRegistry, expect, shootTabletSizes, test } from '../fixtures.js';
import { HomePage } from '../pages/home-page.js';
import { RecordPage } from '../pages/record/record-page.js';
import { SyncPage } from '../pages/sync-page.js';
import { recheck, signInTablet, tokenOf } from '../record-helpers.js';

// A county and site no other spec re-checks, so its task is this test's own.
const COUNTY = '150627';
const SITE_INDEX = 7;

type Held = {
	status: string;
	revision: number;
	record: { schemaVersion: number; description?: string; answers?: unknown };
	comments?: { id?: string; severity?: string }[];
};

async function held(request: APIRequestContext, token: string, id: string): Promise<Held> {
	const response = await request.get(`/api/records/${id}`, {
		headers: { authorization: `Bearer ${token}` }
	});
	expect(response.status()).toBe(200);
	return (await response.json()) as Held;
}

test('a returned record is a task on home, opens at its comment, is answered and submitted again', async ({
	page,
	request
}, info) => {
	const site = demoRegistry().filter((s) => s.countyCode === COUNTY)[SITE_INDEX]!;
	const home = new HomePage(page);
	const sync = new SyncPage(page);
	const form = new RecordPage(page);
	await signInTablet(page, `surveyor-${COUNTY}`);
	const id = await recheck(page, site);
	await sync.goto();
	await sync.syncNow();
	await expect(sync.row(id)).toHaveAttribute('data-status', '已送达');

	// The county reviewer returns it: 简介 must be fixed, and a suggestion on the whole record.
	const reviewer = await tokenOf(request, `reviewer-${COUNTY}`);
	const mustFix = '简介过于简略，请补充遗址的形制、规模和保存状况。';
	const suggestion = '建议补拍一张能看出遗址与周边地形关系的远景照片。';
	const decision = await request.post(`/api/records/${id}/decision`, {
		headers: { authorization: `Bearer ${reviewer}` },
		data: {
			decision: 'return',
			revision: 1,
			comments: [
				{ path: 'description', message: mustFix, severity: '必须修改' },
				{ message: suggestion, severity: '建议' }
			]
		}
	});
	expect(decision.status(), await decision.text()).toBe(200);
	expect(await decision.json()).toMatchObject({ status: 'returned', revision: 2 });
	const returned = await held(request, reviewer, id);
	expect(returned.comments?.map((c) => [c.id, c.severity])).toEqual([
		['2.1', '必须修改'],
		['2.2', '建议']
	]);

	// After a sync, 工作台 lists it first, as a task: who returned it, and what to fix.
	await sync.syncNow();
	await expect(sync.row(id)).toHaveAttribute('data-status', '已退回');
	await home.goto();
	// (a test browser refuses persistent storage; its warning is closed as a surveyor would)
	await expect(home.topBar.persistRefused).toBeVisible();
	await home.topBar.dismissPersistRefused();
	const task = home.returnTask(id);
	await expect(task).toContainText(site.name);
	await expect(task).toContainText(site.code);
	await expect(task).toContainText(`reviewer-${COUNTY}`);
	await expect(task.getByTestId('return-task-counts')).toHaveText(/必须修改 1\s*建议 1/);
	const taskBox = (await home.returnTasks.boundingBox())!;
	const progressBox = (await home.progressCard.boundingBox())!;
	expect(taskBox.y).toBeLessThan(progressBox.y);
	await shootTabletSizes(page, info.outputPath('shots'), 'returns-home', {
		ready: () => expect(task).toBeVisible()
	});

	// 去修改 opens the record at 简介, on its step, with the comment beside it.
	await home.openReturnTask(id);
	await expect(page).toHaveURL(/step=condition/);
	await expect(form.condition.description).toBeFocused();
	const beside = form.condition.fieldComment('description');
	await expect(beside).toContainText(mustFix);
	await expect(beside).toContainText('必须修改');
	await expect(beside).toContainText('意见 2.1');
	// the summary on top: the counts, and the suggestion on the whole record with its answer
	await expect(form.commentCounts).toHaveText(/必须修改 1 条，建议 1 条/);
	await expect(form.comment('2.2')).toContainText(suggestion);
	await expect(form.comment('2.2')).toContainText('建议');

	// 检查与完成 reminds of the 必须修改 comment not answered yet, without blocking.
	await form.go('review');
	await expect(form.unansweredReminder).toContainText('意见 2.1');
	await expect(form.unansweredReminder).not.toContainText('意见 2.2');
	await form.go('condition');

	// Fixed, and both comments answered.
	const added = '遗址平面呈长方形，东西长约80米，南北宽约50米，地表散见陶片，东部受风沙侵蚀。';
	await form.condition.addToDescription(added);
	await form.answerFixed('2.1');
	await form.answerExplain('2.2', '远景点位于北侧台地，已于6月5日补拍（照片 Z003）');
	await form.showField('description');
	await shootTabletSizes(page, info.outputPath('shots'), 'returns-record', {
		ready: async () => {
			await form.showField('description');
			await expect(beside).toBeInViewport();
		}
	});

	// The answers are in the draft: a reload shows them as chosen.
	await expect(form.saveState).toHaveAttribute('data-state', 'saved');
	await page.reload();
	await expect(form.answerButtons('2.1').fixed).toHaveAttribute('aria-pressed', 'true');
	await expect(form.answerButtons('2.2').explain).toHaveAttribute('aria-pressed', 'true');
	await expect(form.answerButtons('2.2').text).toHaveValue(/北侧台地/);
	await form.go('review');
	await expect(form.review.summary).toBeVisible();
	await expect(form.unansweredReminder).toHaveCount(0);

	// Another way in: the summary's jump opens the field's step.
	await form.go('people');
	await form.jumpToComment('2.1');
	await expect(page).toHaveURL(/step=condition/);
	await expect(form.condition.description).toBeFocused();

	await form.finish();
	await sync.goto();
	await sync.syncNow();
	await expect(sync.row(id)).toHaveAttribute('data-status', '已送达');

	const resubmitted = await held(request, reviewer, id);
	expect(resubmitted).toMatchObject({ status: 'submitted', revision: 3 });
	expect(resubmitted.record.schemaVersion).toBe(2);
	expect(resubmitted.record.description).toContain(added);
	expect(resubmitted.record.answers).toEqual([
		{ commentId: '2.1', reply: '已修改' },
		{ commentId: '2.2', reply: '说明', text: '远景点位于北侧台地，已于6月5日补拍（照片 Z003）' }
	]);
	// home has no task left
	await home.goto();
	await expect(home.heading).toBeVisible();
	await expect(home.returnTask(id)).toHaveCount(0);
});
