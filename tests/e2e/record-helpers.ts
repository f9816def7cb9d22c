/**
 * Helpers of the specs that take a record from the field app to the server: a re-check filled in
 * through the form, and the server's side through the API.
 */
import { expect, type APIRequestContext, type Page } from '@playwright/test';
import type { RegisteredSite } from '../../src/lib/domain/schemas/site.js';
import { DEMO_PASSWORD } from './accounts.js';
import { HomePage } from './pages/home-page.js';
import { FieldLoginPage } from './pages/login-page.js';
import { SitePage } from './pages/site-page.js';

/** Two camera files with EXIF; the second is turned (Orientation 6). */
export const RECHECK_PHOTOS = [
	'tests/fixtures/photos/site-dongsheng-1600x1200.jpg',
	'tests/fixtures/photos/site-dongsheng-orientation6.jpg'
];

/**
 * A tablet's first visit, signed in as `username` from the account menu with the server's
 * registry, back on 工作台.
 */
export async function signInTablet(page: Page, username: string): Promise<void> {
	const home = new HomePage(page);
	const login = new FieldLoginPage(page);
	await home.firstVisit();
	await home.topBar.openAccount();
	await login.submit(username, DEMO_PASSWORD);
	await expect(login.accountCard).toBeVisible();
	await expect(login.registry).toHaveAttribute('data-kind', 'server');
	await login.goHome();
	await expect(home.heading).toBeVisible();
}

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

/**
 * Re-checks a registered site through the form: the location typed in, the two photos of
 * `RECHECK_PHOTOS`, the people, every warning explained, finalized. Returns the record's id.
 */
export async function recheck(page: Page, site: RegisteredSite): Promise<string> {
	const form = await new SitePage(page).recheckFromPage(site);
	const id = form.id;

	await form.go('location');
	await form.location.point.enterDecimal(site.location);

	await form.go('photos');
	await form.photos.addFiles(RECHECK_PHOTOS, 2);

	await form.go('people');
	await form.people.fill('张三', '2025-06-02');

	await form.finish();
	return id;
}
