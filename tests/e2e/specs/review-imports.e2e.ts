import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test } from '../fixtures.js';
import { BackupPage } from '../pages/backup-page.js';
import { HomePage } from '../pages/home-page.js';
import { FieldLoginPage } from '../pages/login-page.js';
import { ReviewImportsPage } from '../pages/review/review-imports-page.js';
import { ReviewLoginPage } from '../pages/review/review-login-page.js';
import { queueRecord } from '../review-helpers.js';

/** A county no other spec touches. */
const COUNTY = '150623';

test('the city reviewer imports a tablet’s backup file: progress, then one result per record', async ({
	browser,
	page
}) => {
	// a tablet out of signal exports its unsent record to a file (a download here)
	const tablet = await browser.newContext({ acceptDownloads: true });
	await tablet.addInitScript(() => {
		delete (window as { showSaveFilePicker?: unknown }).showSaveFilePicker;
	});
	const file = join(mkdtempSync(join(tmpdir(), 'review-import-')), 'backup.zip');
	try {
		const device = await tablet.newPage();
		await new HomePage(device).firstVisit();
		await new FieldLoginPage(device).logIn(`surveyor-${COUNTY}`);
		await tablet.setOffline(true);
		const id = await queueRecord(device, COUNTY, 0);
		const backup = new BackupPage(device);
		await backup.goto();
		await (await backup.exportDownload()).saveAs(file);

		// only the city reviewer has the page
		const login = new ReviewLoginPage(page);
		const imports = new ReviewImportsPage(page);
		await login.goto('/review/imports');
		await login.logIn('city');
		await expect(imports.heading).toBeVisible();
		await imports.importFile(file);
		await expect(imports.report).toContainText('导入完成');
		await expect(imports.progress).toHaveAttribute('aria-valuenow', '100');
		const row = imports.results;
		await expect(row).toHaveCount(1);
		await expect(row).toHaveAttribute('data-status', 'accepted');
		await expect(row).toContainText(id.slice(0, 8));
		await expect(row).toContainText('已接收');
		await expect(imports.report).toContainText('新保存 1 张');

		// the same file again changes nothing
		await imports.importFile(file);
		await expect(imports.results).toHaveAttribute('data-status', 'unchanged');

		// not a backup: said in Chinese
		await imports.importFile({
			name: 'notes.zip',
			mimeType: 'application/zip',
			buffer: Buffer.from('not a zip file')
		});
		await expect(imports.error).toContainText('导入失败');
		await expect(imports.report).toHaveCount(0);

		await imports.header.logout();
		await expect(page).toHaveURL(/^[^?]*\/review\/login$/);
		await login.logIn(`reviewer-${COUNTY}`);
		await expect(page).toHaveURL(/^[^?]*\/review$/);
		await expect(login.header.navImports).toHaveCount(0);
		expect((await imports.goto())?.status()).toBe(403);
	} finally {
		await tablet.close();
	}
});
