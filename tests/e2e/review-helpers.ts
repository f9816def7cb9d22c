/** Helpers of the review-area specs: a reviewer's login form, and a record queued on a tablet. */
import type { Page } from '@playwright/test';
import { queueRechecks } from './fixtures';

/** The demo password the webServer of playwright.config.ts seeds (DEMO_PASSWORD, else the default). */
export const DEMO_PASSWORD = process.env.DEMO_PASSWORD ?? 'ordos-demo';

/** Fills and sends the form of /review/login. */
export async function reviewLogin(
	page: Page,
	username: string,
	password = DEMO_PASSWORD
): Promise<void> {
	await page.getByTestId('review-login-username').fill(username);
	await page.getByTestId('review-login-password').fill(password);
	await page.getByTestId('review-login-submit').click();
}

/** Logs in on the field app's /login and waits until the account shows in the top bar. */
export async function deviceLogin(page: Page, username: string): Promise<void> {
	await page.goto('/login');
	await page.getByTestId('login-username').fill(username);
	await page.getByTestId('login-password').fill(DEMO_PASSWORD);
	await page.getByTestId('login-submit').click();
	await page.getByTestId('account').filter({ hasText: username }).waitFor();
}

/**
 * Puts a finalized re-check of the county's `siteIndex`-th registered site, with one photo, on
 * the device as the form leaves it (queued for upload), straight into IndexedDB. Returns its id.
 */
export async function queueRecord(page: Page, county: string, siteIndex: number): Promise<string> {
	const { ids } = await queueRechecks(page, county, {
		first: siteIndex,
		count: 1,
		photosPerRecord: 1
	});
	return ids[0]!;
}
