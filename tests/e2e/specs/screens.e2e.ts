import type { Page } from '@playwright/test';
import { expect, test, waitForServiceWorker } from '../fixtures';

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

		await page.goto('/');
		await waitForServiceWorker(page);
		await expect(page.getByRole('button', { name: /伊金霍洛旗/ })).not.toContainText(/ 0 处/);
		await shot('1-county-picker');
		expect(await smallTouchTargets(page)).toEqual([]);
		expect(await horizontalOverflow(page)).toBeLessThanOrEqual(0);

		await page.getByRole('button', { name: /伊金霍洛旗/ }).click();
		await expect(page.getByRole('heading', { name: '工作台' })).toBeVisible();
		await shot('2-home');
		expect(await smallTouchTargets(page)).toEqual([]);

		await page.getByRole('link', { name: /复查任务/ }).click();
		await expect(page.getByTestId('site-row').first()).toBeVisible();
		if (size.name === 'landscape') {
			await expect(page.getByTestId('site-map')).toHaveAttribute('data-ready', 'true');
		}
		await shot('3-work-list');
		expect(await smallTouchTargets(page)).toEqual([]);
		expect(await horizontalOverflow(page)).toBeLessThanOrEqual(0);

		if (size.name === 'portrait') {
			await page.getByRole('tab', { name: /地图/ }).click();
			await expect(page.getByTestId('site-map')).toHaveAttribute('data-ready', 'true');
			await shot('4-map-tab');
			expect(await smallTouchTargets(page)).toEqual([]);
			await page.getByRole('tab', { name: /列表/ }).click();
		}

		await page.getByTestId('site-search').fill('朱开沟');
		await expect(page.getByTestId('site-row')).toHaveCount(1);
		await page.getByTestId('site-row').first().getByRole('link').click();
		await expect(page.getByTestId('site-name')).toHaveText('朱开沟遗址');
		await expect(page.getByTestId('site-map')).toHaveAttribute('data-ready', 'true');
		await shot('5-site');
		expect(await smallTouchTargets(page)).toEqual([]);
		expect(await horizontalOverflow(page)).toBeLessThanOrEqual(0);

		// Every step of the re-check form.
		await page.getByTestId('start-recheck').click();
		await expect(page).toHaveURL(/\/records\//);
		for (const step of ['change', 'basic', 'location', 'condition', 'photos', 'people', 'review']) {
			await page.getByTestId(`step-${step}`).click();
			if (step === 'location') {
				await expect(page.getByTestId('boundary-map')).toHaveAttribute('data-ready', 'true');
			}
			if (step === 'review') await expect(page.getByTestId('qc-summary')).toBeVisible();
			await shot(`7-form-${step}`);
			expect(await smallTouchTargets(page), step).toEqual([]);
			expect(await horizontalOverflow(page), step).toBeLessThanOrEqual(0);
		}
		await page.goBack();
		await page.goto('/sites');
		await page.getByTestId('site-search').fill('朱开沟');
		await page.getByTestId('site-row').first().getByRole('link').click();
		await expect(page.getByTestId('site-name')).toHaveText('朱开沟遗址');

		// The English switch.
		await page.getByRole('button', { name: /English/ }).click();
		await expect(page.getByTestId('site-name')).toHaveText('朱开沟遗址');
		await expect(page.getByText('Registry entry (read-only)')).toBeVisible();
		await shot('6-site-english');
		await page.getByRole('button', { name: /中文/ }).click();
		await expect(page.getByText('登记信息（只读）')).toBeVisible();
	});
}
