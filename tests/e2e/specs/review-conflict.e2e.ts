/**
 * Issue 12 point 3 through the record page: a stale revision gets 409, so two reviewers cannot
 * overwrite each other; a reviewer's correction is a new revision attributed to the reviewer, with
 * a reason, shown in the history and sent to the device, never a silent change. Two desks (two
 * county reviewers of the same county) and the surveyor's tablet, against the production build.
 */
import { randomUUID } from 'node:crypto';
import type {
	APIRequestContext,
	Browser,
	BrowserContext,
	Locator,
	TestInfo
} from '@playwright/test';
import { demoRegistry, expect, newDevice, test } from '../fixtures.js';
import { DEMO_PASSWORD } from '../accounts.js';
import { RecordPage } from '../pages/record/record-page.js';
import { SyncPage } from '../pages/sync-page.js';
import { ReviewLoginPage } from '../pages/review/review-login-page.js';
import { ReviewRecordPage } from '../pages/review/review-record-page.js';
import { recheck, signInTablet, tokenOf } from '../record-helpers.js';
import { recheckRecord } from '../../fixtures/records.js';
import { chinaDate } from '../../../src/lib/domain/records/drafts.js';

// Other specs touch 杭锦旗 only through sites 0, 1 and 4, and never its record page: these sites'
// records are this spec's own, and everything is asserted by record id.
const COUNTY = '150625';
const SITE_DECIDED = 10;
const SITE_CORRECTED = 11;
const REVIEWER = `reviewer-${COUNTY}`;
/** A second county reviewer of the same county: the other desk. */
const SECOND = `reviewer-b-${COUNTY}`;

type Held = {
	status: string;
	revision: number;
	record: { name?: string; description?: string; areaM2?: number };
	history: {
		revision: number;
		action: string;
		by: string;
		reason?: string;
		comments?: { message: string }[];
	}[];
};

/** The record as the server holds it (`GET /api/records/{id}`), with its history. */
async function held(api: APIRequestContext, token: string, id: string): Promise<Held> {
	const response = await api.get(`/api/records/${id}`, {
		headers: { authorization: `Bearer ${token}` }
	});
	expect(response.status()).toBe(200);
	return (await response.json()) as Held;
}

/** The second reviewer of the county, added by the city reviewer (once per server). */
async function addSecondReviewer(api: APIRequestContext): Promise<void> {
	const response = await api.post('/api/admin/users', {
		headers: { authorization: `Bearer ${await tokenOf(api, 'city')}` },
		data: {
			username: SECOND,
			role: 'county_reviewer',
			counties: [COUNTY],
			displayName: '杭锦旗第二审核员',
			password: DEMO_PASSWORD
		}
	});
	// 409: an earlier run against the same server added it already
	expect([201, 409], await response.text()).toContain(response.status());
}

/** A desk of its own (a browser context), signed in as `username`, on the record's page. */
async function desk(
	browser: Browser,
	info: TestInfo,
	username: string,
	id: string
): Promise<{ context: BrowserContext; record: ReviewRecordPage }> {
	const context = await newDevice(browser, info);
	const page = await context.newPage();
	const record = new ReviewRecordPage(page);
	await new ReviewLoginPage(page).goto(`/review/records/${id}`);
	await new ReviewLoginPage(page).logIn(username);
	await expect(page).toHaveURL(new RegExp(`/review/records/${id}$`));
	await expect(record.header.user).toContainText(username);
	return { context, record };
}

/** A 1280×800 screenshot with `part` in view. */
async function shoot(record: ReviewRecordPage, info: TestInfo, name: string, part: Locator) {
	await record.page.setViewportSize({ width: 1280, height: 800 });
	await part.evaluate((e) => e.scrollIntoView({ block: 'center' }));
	await record.page.screenshot({ path: info.outputPath(`${name}-1280x800.png`) });
}

test('two reviewers decide the same record: the desk on the stale page is told it changed, and nothing of its decision is written', async ({
	browser,
	playwright,
	baseURL
}, info) => {
	const api = await playwright.request.newContext({ baseURL: baseURL! });
	await addSecondReviewer(api);
	const site = demoRegistry().filter((s) => s.countyCode === COUNTY)[SITE_DECIDED]!;
	const now = new Date();
	const sent = recheckRecord(site, {
		id: randomUUID(),
		now: now.toISOString(),
		surveyors: ['并发审核测试'],
		surveyedOn: chinaDate(now)
	});
	const push = await api.post('/api/sync/push', {
		headers: { authorization: `Bearer ${await tokenOf(api, `surveyor-${COUNTY}`)}` },
		data: { deviceId: randomUUID(), records: [sent] }
	});
	expect(push.status()).toBe(200);
	const id = sent.id;

	// Both desks open the record at revision 1.
	const a = await desk(browser, info, REVIEWER, id);
	const b = await desk(browser, info, SECOND, id);
	try {
		for (const { record } of [a, b]) {
			await expect(record.revision).toHaveText('第 1 版');
			await expect(record.status).toHaveText('已送达');
		}

		// Desk B starts a return; meanwhile desk A approves.
		const bComment = '第二审核员：简介与登记信息不符，请核实后重写。';
		await b.record.commentOnField('description');
		await b.record.writeComment(0, bComment, '必须修改');
		const aReason = '现场照片与登记信息一致，同意通过。';
		await a.record.approve(aReason);
		await expect(a.record.decisionResult).toContainText('已通过');
		await expect(a.record.status).toHaveText('审核中');

		// Desk B, still on revision 1, sends its return: refused, said in Chinese, with a reload.
		await b.record.sendReturn();
		await expect(b.record.decisionResult).toHaveAttribute('role', 'alert');
		await expect(b.record.decisionResult).toContainText('记录已更新到第 2 版');
		await expect(b.record.decisionResult).toContainText('请刷新后重新审阅');
		await expect(b.record.decisionReload).toHaveText('刷新页面，查看最新版本');
		// nothing typed is lost
		await expect(b.record.commentMessage(0)).toHaveValue(bComment);
		await shoot(b.record, info, 'stale-decision', b.record.decision);

		// The server holds A's approval only.
		const reviewerToken = await tokenOf(api, REVIEWER);
		const after = await held(api, reviewerToken, id);
		expect(after.status).toBe('county_approved');
		expect(after.revision).toBe(2);
		expect(after.history.map((h) => [h.revision, h.action, h.by])).toEqual([
			[1, 'push', `surveyor-${COUNTY}`],
			[2, 'approve', REVIEWER]
		]);
		expect(JSON.stringify(after)).not.toContain(bComment);

		// B reloads: revision 2, A's approval in the history, nothing of B's; no longer B's turn.
		await b.record.decisionReload.click();
		await expect(b.record.revision).toHaveText('第 2 版');
		await expect(b.record.status).toHaveText('审核中');
		await expect(b.record.historyEntries).toHaveCount(2);
		await expect(b.record.historyEntry(2)).toHaveAttribute('data-action', 'approve');
		await expect(b.record.historyEntry(2)).toContainText(REVIEWER);
		await expect(b.record.historyEntry(2)).toContainText(aReason);
		await expect(b.record.history).not.toContainText(SECOND);
		await expect(b.record.root).not.toContainText(bComment);
		await expect(b.record.decisionResult).toHaveCount(0);
		await expect(b.record.notYours).toBeVisible();
	} finally {
		await a.context.close();
		await b.context.close();
		await api.dispose();
	}
});

test('a reviewer corrects 简介 through the page: refused corrections change nothing, a stale one is told so, and the tablet receives the correction', async ({
	page: tablet,
	browser,
	playwright,
	baseURL
}, info) => {
	// three browsers (a tablet that fills in a re-check, two desks): more than one screen's time
	test.slow();
	const api = await playwright.request.newContext({ baseURL: baseURL! });
	await addSecondReviewer(api);
	const site = demoRegistry().filter((s) => s.countyCode === COUNTY)[SITE_CORRECTED]!;
	const sync = new SyncPage(tablet);
	const form = new RecordPage(tablet);

	// The tablet re-checks the site and submits it.
	await signInTablet(tablet, `surveyor-${COUNTY}`);
	const id = await recheck(tablet, site);
	await sync.goto();
	await sync.syncNow();
	await expect(sync.row(id)).toHaveAttribute('data-status', '已送达');
	const reviewerToken = await tokenOf(api, REVIEWER);
	const original = (await held(api, reviewerToken, id)).record;

	// Two desks open it at revision 1.
	const a = await desk(browser, info, REVIEWER, id);
	const b = await desk(browser, info, SECOND, id);
	try {
		const record = a.record;
		await expect(record.revision).toHaveText('第 1 版');
		const corrected = `${site.name}位于杭锦旗，现存夯土台基一处，东西约二十米、南北约十五米，保存较差。`;
		const reason = '调查员的简介沿用了登记表旧文字，按现场照片和测量记录更正。';

		// A reason of spaces only: refused, in Chinese; the value typed stays, nothing is written.
		await record.correctField('description');
		await expect(record.correctionRow('description').root).toContainText('原值');
		await record.enterCorrection('description', corrected);
		await record.saveCorrection('   ');
		await expect(record.correctionResult).toHaveAttribute('role', 'alert');
		await expect(record.correctionResult).toContainText('更正时必须写明理由');
		await expect(record.correctionRow('description').value).toHaveValue(corrected);
		await expect(record.revision).toHaveText('第 1 版');
		expect((await held(api, reviewerToken, id)).revision).toBe(1);

		// A negative area: refused beside the field, in Chinese; nothing is written.
		await record.correctField('areaM2');
		await record.enterCorrection('areaM2', '-5');
		await record.saveCorrection(reason);
		await expect(record.correctionResult).toContainText('更正后的记录不符合登记表要求');
		await expect(record.correctionRow('areaM2').error).toContainText('面积不能小于 0');
		await expect(record.correctionRow('areaM2').value).toHaveAttribute('aria-invalid', 'true');
		await expect(record.correctionRow('description').error).toHaveCount(0);
		await expect(record.revision).toHaveText('第 1 版');
		await expect(record.historyEntries).toHaveCount(1);
		await shoot(record, info, 'refused-correction', record.correction);
		const unchanged = await held(api, reviewerToken, id);
		expect(unchanged.revision).toBe(1);
		expect(unchanged.record).toEqual(original);

		// Without the area, the correction of 简介 is saved: revision 2 by the reviewer, with the
		// reason and the field it changed; the status stays; 简介 is marked against revision 1.
		await record.dropCorrection('areaM2');
		await record.saveCorrection(reason);
		await expect(record.correctionResult).toHaveAttribute('role', 'status');
		await expect(record.correctionResult).toContainText('已更正（第 2 版）：简介');
		await expect(record.revision).toHaveText('第 2 版');
		await expect(record.status).toHaveText('已送达');
		const entry = record.historyEntry(2);
		await expect(entry).toHaveAttribute('data-action', 'correct');
		await expect(entry).toContainText('审核员更正');
		await expect(entry).toContainText(REVIEWER);
		await expect(entry.getByTestId('history-reason')).toContainText(reason);
		await expect(entry.getByTestId('history-changed')).toContainText('简介');
		await expect(record.field('description')).toContainText(corrected);
		await expect(record.field('description')).toHaveAttribute('data-changed', 'true');
		if (original.description)
			await expect(record.field('description').getByTestId('field-diff')).toContainText(
				original.description.slice(0, 12)
			);
		await shoot(record, info, 'corrected-history', record.history);

		const saved = await held(api, reviewerToken, id);
		expect(saved.status).toBe('submitted');
		expect(saved.revision).toBe(2);
		expect(saved.record.description).toBe(corrected);
		expect(saved.record.areaM2).toBe(original.areaM2);
		expect(saved.history.at(-1)).toMatchObject({
			revision: 2,
			action: 'correct',
			by: REVIEWER,
			reason
		});

		// Desk B, still on revision 1, corrects the name: refused as stale, with a reload.
		await b.record.correctField('name');
		await b.record.enterCorrection('name', '第二审核员改的名称');
		await b.record.saveCorrection('第二审核员的更正理由');
		await expect(b.record.correctionResult).toHaveAttribute('role', 'alert');
		await expect(b.record.correctionResult).toContainText('记录已更新到第 2 版');
		await expect(b.record.correctionResult).toContainText('请刷新后重新更正');
		await expect(b.record.correctionReload).toBeVisible();
		await shoot(b.record, info, 'stale-correction', b.record.correction);
		const still = await held(api, reviewerToken, id);
		expect(still.revision).toBe(2);
		expect(still.record.name).toBe(original.name);
		await b.record.correctionReload.click();
		await expect(b.record.revision).toHaveText('第 2 版');
		await expect(b.record.historyEntries).toHaveCount(2);
		await expect(b.record.field('description')).toContainText(corrected);
		await expect(b.record.history).not.toContainText(SECOND);

		// The tablet's next sync brings the correction: the new 简介, and who corrected it and why.
		await sync.syncOnce();
		await expect(sync.row(id)).toHaveAttribute('data-status', '已送达');
		await form.goto(id, 'condition');
		await expect(form.condition.description).toHaveValue(corrected);
		await expect(form.corrections).toContainText(REVIEWER);
		await expect(form.corrections).toContainText(reason);
		await expect(form.corrections).toContainText('简介');
	} finally {
		await a.context.close();
		await b.context.close();
		await api.dispose();
	}
});
