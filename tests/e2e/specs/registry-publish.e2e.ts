import { randomUUID } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import type { Locator, Page } from '@playwright/test';
import { demoRegistry, expect, test } from '../fixtures.js';
import { ServerProcess } from '../server-process.js';
import { ReviewLoginPage } from '../pages/review/review-login-page.js';
import { ReviewRecordPage } from '../pages/review/review-record-page.js';
import {
	RegistryComparePage,
	RegistrySitePage,
	ReviewRegistryPage
} from '../pages/review/review-registry-page.js';
import { newFindRecord, recheckRecord } from '../../fixtures/records.js';
import { chinaDate } from '../../../src/lib/domain/records/drafts.js';
import type { SurveyRecord } from '../../../src/lib/domain/schemas/index.js';

/**
 * A publish takes every accepted record of the server, so this spec has a server of its own: the
 * other specs' accepted records stay as they are.
 */
const PORT = Number(process.env.E2E_PUBLISH_PORT ?? 4195);
const COUNTY = '150627';
const SHOTS = 'test-results/registry-publish';

test.use({ baseURL: `http://localhost:${PORT}` });

async function shoot(page: Page, name: string, focus?: Locator): Promise<void> {
	mkdirSync(SHOTS, { recursive: true });
	for (const [width, height] of [
		[1920, 1080],
		[1280, 800],
		[800, 1280]
	] as const) {
		await page.setViewportSize({ width, height });
		await page.evaluate(() => window.scrollTo(0, 0));
		if (focus) await focus.evaluate((e) => e.scrollIntoView({ block: 'end' }));
		await page.screenshot({ path: `${SHOTS}/${name}-${width}x${height}.png` });
	}
	await page.setViewportSize({ width: 1280, height: 800 });
}

/** Pushes the records as the county's surveyor; the county and the city approve them. */
async function accepted(server: ServerProcess, records: SurveyRecord[]): Promise<void> {
	const post = async (path: string, token: string, body: unknown) => {
		const response = await fetch(`${server.origin}${path}`, {
			method: 'POST',
			headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
			body: JSON.stringify(body)
		});
		expect(response.status, await response.clone().text()).toBe(200);
		return response.json() as Promise<unknown>;
	};
	const surveyor = await server.login(`surveyor-${COUNTY}`);
	const pushed = (await post('/api/sync/push', surveyor, { deviceId: randomUUID(), records })) as {
		results: { status: string }[];
	};
	expect(pushed.results.map((r) => r.status)).toEqual(records.map(() => 'accepted'));
	for (const [who, revision] of [
		[`reviewer-${COUNTY}`, 1],
		['city', 2]
	] as const) {
		const token = await server.login(who);
		for (const record of records)
			await post(`/api/records/${record.id}/decision`, token, {
				decision: 'approve',
				revision,
				comments: [{ message: '名录发布测试：同意' }]
			});
	}
}

test('the city publishes two registry versions through the page and compares them', async ({
	page
}) => {
	test.slow();
	const server = new ServerProcess(PORT);
	await server.start();
	try {
		const sites = demoRegistry()
			.filter((s) => s.countyCode === COUNTY)
			.sort((a, b) => a.code.localeCompare(b.code));
		const highest = sites.at(-1)!.code;
		const nextCode = (n: number) =>
			`${COUNTY}-${String(Number(highest.slice(7)) + n).padStart(4, '0')}`;
		const meta = () => ({
			id: randomUUID(),
			now: new Date().toISOString(),
			surveyors: ['发布测试'],
			surveyedOn: chinaDate(new Date())
		});
		const [renamedSite, lostSite, changedSite] = [sites[0]!, sites[1]!, sites[2]!];

		// version 1: a re-check that renames its site
		await accepted(server, [
			recheckRecord(renamedSite, meta(), {
				name: `${renamedSite.name}（复查更名）`,
				changeType: '变更类型'
			})
		]);

		const login = new ReviewLoginPage(page);
		const registry = new ReviewRegistryPage(page);
		await login.goto('/review/registry');
		await login.logIn('city');
		await expect(registry.heading).toHaveText('名录发布');
		await expect(registry.navLink).toHaveAttribute('aria-current', 'page');
		await expect(registry.pending).toContainText('待公布的记录：1 条');
		// a publish without a note is refused, in Chinese, and publishes nothing
		await registry.publish('');
		await expect(registry.formError).toContainText('请填写发布说明');
		await expect(registry.rows).toHaveCount(0);
		await registry.publish('2025年第一批');
		await expect(registry.published).toContainText('已发布第 1 版：公布 1 条记录');
		await expect(registry.row(1)).toContainText('2025年第一批');
		await expect(registry.row(1)).toContainText('city');

		// version 2: a new find, a site found lost, a site whose condition changed
		const find = newFindRecord(COUNTY, { lat: 39.31, lon: 109.93 }, meta(), {
			name: '发布测试新发现墓葬'
		});
		await accepted(server, [
			find,
			recheckRecord(lostSite, meta(), { changeType: '消失', lostReason: '2020年采砂时被毁' }),
			recheckRecord(changedSite, meta(), {
				condition: changedSite.condition === '差' ? '好' : '差',
				era: '清代（复查）'
			})
		]);
		await registry.goto();
		await expect(registry.pending).toContainText('待公布的记录：3 条');
		await shoot(page, 'registry-before-publish');
		await registry.publish('2025年第二批');
		await expect(registry.published).toContainText('已发布第 2 版：公布 3 条记录');
		await expect(registry.rows).toHaveCount(2);
		await expect(registry.row(2)).toContainText('1 / 1 / 1');
		await expect(registry.pending).toContainText('现在没有待公布的记录');
		await expect(registry.publishButton).toBeDisabled();
		await shoot(page, 'registry-published');

		// the comparison: the new find with its county's next code, the lost site, the change
		await registry.compareWithPrevious(2);
		const compare = new RegistryComparePage(page);
		await expect(compare.summary).toContainText('第 1 版 → 第 2 版');
		await expect(compare.added).toHaveCount(1);
		await expect(compare.site('added', nextCode(1))).toContainText('发布测试新发现墓葬');
		await expect(compare.lost).toHaveCount(1);
		await expect(compare.site('lost', lostSite.code)).toContainText('2020年采砂时被毁');
		await expect(compare.field(changedSite.code, 'era')).toContainText(changedSite.era);
		await expect(compare.field(changedSite.code, 'era')).toContainText('清代（复查）');
		await expect(compare.field(changedSite.code, 'condition')).toBeVisible();
		await expect(compare.site('changed', renamedSite.code)).toHaveCount(0);
		await shoot(page, 'registry-compare');
		await shoot(page, 'registry-compare-changed', compare.changed.first());

		// the lost site's lineage: its record and the decisions, with who
		await compare.open('lost', lostSite.code);
		const site = new RegistrySitePage(page);
		await expect(site.title).toContainText(lostSite.code);
		await expect(site.lost).toContainText('2020年采砂时被毁');
		await expect(site.decisions).toHaveCount(3);
		await expect(site.decisions.nth(0)).toContainText(`reviewer-${COUNTY}`);
		await expect(site.decisions.nth(1)).toContainText('city');
		await expect(site.decisions.nth(2)).toContainText('公布');
		await shoot(page, 'registry-site-lineage');

		// the record page names the publication in its history (revision 4)
		await site.recordLink.click();
		await expect(new ReviewRecordPage(page).historyEntry(4)).toContainText('公布');
	} finally {
		await server.stop();
	}
});
