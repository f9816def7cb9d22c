import type { Page } from '@playwright/test';
import { expect, test } from '../fixtures.js';
import { STEPS } from '../controls/stepper.js';
import { HomePage } from '../pages/home-page.js';
import { RecordPage } from '../pages/record/record-page.js';
import { SitePage } from '../pages/site-page.js';
import { WorkListPage } from '../pages/work-list-page.js';

const SIZES = [
	{ name: 'landscape', width: 1280, height: 800 },
	{ name: 'portrait', width: 800, height: 1280 }
] as const;

/** Every visible control a finger must hit is at least 44 px in both directions. */
async function smallTouchTargets(page: Page): Promise<string[]> {
	return page.evaluate(() => {
		const small: string[] = [];
		const controls = document.querySelectorAll<HTMLElement>(
			'button, a[href], select, input:not([type=file]):not(.visually-hidden), [role=tab], label.btn'
		);
		for (const el of controls) {
			const r = el.getBoundingClientRect();
			if (r.width === 0 || r.height === 0) continue;
			const style = getComputedStyle(el);
			if (style.visibility === 'hidden') continue;
			// Text inputs inside a larger hit area count by that area.
			const hit = el.closest('label') ?? el;
			const h = hit.getBoundingClientRect();
			if (h.height < 44 || h.width < 44) {
				small.push(
					`${el.tagName.toLowerCase()} "${(el.textContent ?? el.getAttribute('aria-label') ?? '').trim().slice(0, 30)}" ${Math.round(h.width)}×${Math.round(h.height)}`
				);
			}
		}
		return small;
	});
}

/** Nothing sticks out sideways: no horizontal scrolling on a tablet. */
async function horizontalOverflow(page: Page): Promise<number> {
	return page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
}

for (const size of SIZES) {
	test(`screens at ${size.width}×${size.height} are usable with a finger`, async ({ page }) => {
		await page.setViewportSize({ width: size.width, height: size.height });
		const shot = (name: string) =>
			page.screenshot({ path: `test-results/screens/${size.name}-${name}.png` });

		const home = new HomePage(page);
		const list = new WorkListPage(page);
		const site = new SitePage(page);
		const form = new RecordPage(page);
		await home.firstVisit();
		await expect(home.county('伊金霍洛旗')).not.toContainText(/ 0 处/);
		await shot('1-county-picker');
		expect(await smallTouchTargets(page)).toEqual([]);
		expect(await horizontalOverflow(page)).toBeLessThanOrEqual(0);

		await home.county('伊金霍洛旗').click();
		await expect(home.heading).toBeVisible();
		await shot('2-home');
		expect(await smallTouchTargets(page)).toEqual([]);

		await home.openWorkList();
		await expect(list.rows.first()).toBeVisible();
		if (size.name === 'landscape') {
			await list.map.waitReady();
		}
		await shot('3-work-list');
		expect(await smallTouchTargets(page)).toEqual([]);
		expect(await horizontalOverflow(page)).toBeLessThanOrEqual(0);

		if (size.name === 'portrait') {
			await list.showTab('地图');
			await list.map.waitReady();
			await shot('4-map-tab');
			expect(await smallTouchTargets(page)).toEqual([]);
			await list.showTab('列表');
		}

		await list.searchFor('朱开沟');
		await expect(list.rows).toHaveCount(1);
		await list.open(list.rows.first());
		await expect(site.name).toHaveText('朱开沟遗址');
		await site.map.waitReady();
		await shot('5-site');
		expect(await smallTouchTargets(page)).toEqual([]);
		expect(await horizontalOverflow(page)).toBeLessThanOrEqual(0);

		// Every step of the re-check form.
		await site.startRecheck();
		for (const step of STEPS) {
			await form.go(step);
			if (step === 'location') await form.location.boundary.map.waitReady();
			if (step === 'review') await expect(form.review.summary).toBeVisible();
			await shot(`7-form-${step}`);
			expect(await smallTouchTargets(page), step).toEqual([]);
			expect(await horizontalOverflow(page), step).toBeLessThanOrEqual(0);
		}
		await page.goBack();
		await list.goto();
		await list.openFirstFound('朱开沟');
		await expect(site.name).toHaveText('朱开沟遗址');

		// The English switch.
		await site.topBar.switchToEnglish();
		await expect(site.name).toHaveText('朱开沟遗址');
		await expect(page.getByText('Registry entry (read-only)')).toBeVisible();
		await shot('6-site-english');
		await site.topBar.switchToChinese();
		await expect(page.getByText('登记信息（只读）')).toBeVisible();
	});
}
