import { chromium } from '@playwright/test';
import { execSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CHROMIUM_ARGS, CHROMIUM_PATH } from '../../chromium.js';
import { expect, test } from '../fixtures.js';
import { HomePage } from '../pages/home-page.js';
import { RecordPage } from '../pages/record/record-page.js';
import { SitePage } from '../pages/site-page.js';

const PORT = Number(process.env.E2E_PORT ?? 4173);
const baseURL = `http://localhost:${PORT}`;

/** SIGKILLs every Chromium process of a profile, as a dead battery or the OS would. */
function killBrowser(profile: string): number {
	const pids = execSync('ps -eo pid=,args=')
		.toString()
		.split('\n')
		.filter((line) => line.includes(`--user-data-dir=${profile}`))
		.map((line) => Number(line.trim().split(/\s+/)[0]));
	for (const pid of pids) {
		try {
			process.kill(pid, 'SIGKILL');
		} catch {
			/* already gone */
		}
	}
	return pids.length;
}

function launch(profile: string) {
	return chromium.launchPersistentContext(profile, {
		executablePath: CHROMIUM_PATH,
		args: CHROMIUM_ARGS,
		baseURL,
		viewport: { width: 1280, height: 800 },
		locale: 'zh-CN',
		timezoneId: 'Asia/Shanghai'
	});
}

test('a draft survives the browser being killed in the middle of typing', async () => {
	const profile = mkdtempSync(join(tmpdir(), 'survey-profile-'));
	try {
		const first = await launch(profile);
		const page = first.pages()[0] ?? (await first.newPage());
		const home = new HomePage(page);
		await home.goto();
		await page.evaluate(async () => {
			await navigator.serviceWorker.ready;
		});
		await home.chooseCounty('伊金霍洛旗');
		await first.setOffline(true);

		const site = new SitePage(page);
		await site.goto('150627-0003');
		await site.startRecheck();
		const form = new RecordPage(page);
		const id = form.id;
		await form.change.choose('变更类型');
		await form.go('basic');
		await form.basic.name.fill('杀进程测试遗址');
		await form.basic.address.fill('纳林陶亥镇某村东南约800米');
		await form.go('condition');
		await form.condition.chooseCondition('较差');
		const text = '地表散见夹砂灰陶片与石器残片，断崖上可见灰坑两处，台地北侧被冲沟切割';
		await form.condition.description.fill('');
		await page.keyboard.type(text, { delay: 25 });
		// A fraction of a second after the last keystroke: no polite close, no flush call.
		await page.waitForTimeout(250);
		const killed = killBrowser(profile);
		expect(killed).toBeGreaterThan(0);
		await first.close().catch(() => undefined);

		const second = await launch(profile);
		await second.setOffline(true);
		const again = new RecordPage(second.pages()[0] ?? (await second.newPage()));
		await again.goto(id, 'condition');
		await expect(again.condition.description).toHaveValue(text);
		await expect(again.condition.conditionOption('较差')).toHaveAttribute('aria-pressed', 'true');
		await again.go('basic');
		await expect(again.basic.name).toHaveValue('杀进程测试遗址');
		await expect(again.basic.address).toHaveValue('纳林陶亥镇某村东南约800米');
		await again.go('change');
		await expect(again.change.option('变更类型')).toHaveAttribute('aria-pressed', 'true');
		await second.close();
	} finally {
		rmSync(profile, { recursive: true, force: true });
	}
});
