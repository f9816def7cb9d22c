/**
 * Helpers of the specs that take a record from the field app to the server: a re-check filled in
 * through the form, 检查与完成, the sync screen's row of a record, and the server's side through
 * the API.
 */
import { expect, type APIRequestContext, type Page } from '@playwright/test';
import type { RegisteredSite } from '../../src/lib/domain/schemas/site';
import { recordIdOf } from './fixtures';
import { DEMO_PASSWORD } from './review-helpers';

/** Two camera files with EXIF; the second is turned (Orientation 6). */
export const RECHECK_PHOTOS = [
	'tests/fixtures/photos/site-dongsheng-1600x1200.jpg',
	'tests/fixtures/photos/site-dongsheng-orientation6.jpg'
];

/**
 * A bearer token of a demo account, through the API. The context keeps the session cookie of an
 * earlier login, so the request says it comes from the server's own page, as the app's fetch does
 * (a cookie without that proof is refused as cross-site).
 */
export async function tokenOf(request: APIRequestContext, username: string): Promise<string> {
	const response = await request.post('/api/auth/login', {
		data: { username, password: DEMO_PASSWORD },
		headers: { 'sec-fetch-site': 'same-origin' }
	});
	expect(response.status()).toBe(200);
	return ((await response.json()) as { token: string }).token;
}

export type ServerRecord = {
	record: {
		description?: string;
		condition?: string;
		photos: { sha256: string }[];
	};
	status: string;
	revision: number;
};

/** The record as the server holds it (`GET /api/records/{id}`), read with `token`. */
export async function serverRecord(
	request: APIRequestContext,
	token: string,
	id: string
): Promise<ServerRecord> {
	const response = await request.get(`/api/records/${id}`, {
		headers: { authorization: `Bearer ${token}` }
	});
	expect(response.status()).toBe(200);
	return response.json();
}

/** A reviewer's decision on a record through the API (`POST /api/records/{id}/decision`). */
export async function decide(
	request: APIRequestContext,
	token: string,
	id: string,
	body: {
		decision: 'approve' | 'return';
		revision: number;
		comments?: { path?: string; message: string }[];
	}
): Promise<{ status: string; revision: number }> {
	const response = await request.post(`/api/records/${id}/decision`, {
		headers: { authorization: `Bearer ${token}` },
		data: body
	});
	expect(response.status(), await response.text()).toBe(200);
	return response.json();
}

/** 检查与完成: every warning explained, then 完成. */
export async function finish(page: Page): Promise<void> {
	await page.getByTestId('step-review').click();
	await expect(page.getByTestId('qc-summary')).toBeVisible();
	await expect(page.getByTestId('qc-error')).toHaveCount(0);
	const notes = page.locator('[data-testid^="qc-note-"]');
	for (let i = 0; i < (await notes.count()); i++) {
		if (!(await notes.nth(i).inputValue())) await notes.nth(i).fill('现场核实，情况属实');
	}
	await page.getByTestId('finalize').click();
	await expect(page).not.toHaveURL(/\/records\//);
}

/**
 * Re-checks a registered site through the form: the location typed in, the two photos of
 * `RECHECK_PHOTOS`, the people, every warning explained, finalized. Returns the record's id.
 */
export async function recheck(page: Page, site: RegisteredSite): Promise<string> {
	await page.goto(`/sites/${site.code}`);
	await expect(page.getByTestId('site-name')).toHaveText(site.name);
	await page.getByTestId('start-recheck').click();
	await expect(page).toHaveURL(/\/records\//);
	const id = recordIdOf(page);

	await page.getByTestId('step-location').click();
	await page.getByTestId('manual-mode-decimal').click();
	await page.getByTestId('manual-lat').fill(String(site.location.lat));
	await page.getByTestId('manual-lon').fill(String(site.location.lon));
	await page.getByTestId('manual-apply').click();
	await expect(page.getByTestId('location-source')).toHaveAttribute('data-source', 'manual');

	await page.getByTestId('step-photos').click();
	await page.getByTestId('photo-files').setInputFiles(RECHECK_PHOTOS);
	await expect(page.getByTestId('photo-tile')).toHaveCount(2);

	await page.getByTestId('step-people').click();
	await page.getByTestId('input-surveyors').fill('张三');
	await page.getByTestId('input-surveyed-on').fill('2025-06-02');

	await finish(page);
	return id;
}

/** The device's row of a record on the sync screen (its `data-status` is the status shown). */
export function syncRow(page: Page, id: string) {
	return page.locator(`[data-testid="sync-record"][data-id="${id}"]`);
}
