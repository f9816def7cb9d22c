import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test, waitForServiceWorker } from '../fixtures';
import { deviceLogin, queueRecord, reviewLogin } from '../review-helpers';

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
		await device.goto('/');
		await waitForServiceWorker(device);
		await deviceLogin(device, `surveyor-${COUNTY}`);
		await tablet.setOffline(true);
		const id = await queueRecord(device, COUNTY, 0);
		await device.goto('/backup');
		const downloading = device.waitForEvent('download');
		await device.getByTestId('backup-export').click();
		await (await downloading).saveAs(file);

		// only the city reviewer has the page
		await page.goto('/review/login?next=/review/imports');
		await reviewLogin(page, 'city');
		await expect(page.getByRole('heading', { name: '导入设备备份' })).toBeVisible();
		await page.getByTestId('import-file').setInputFiles(file);
		await page.getByTestId('import-start').click();
		await expect(page.getByTestId('import-report')).toContainText('导入完成');
		await expect(page.getByRole('progressbar')).toHaveAttribute('aria-valuenow', '100');
		const row = page.getByTestId('import-result');
		await expect(row).toHaveCount(1);
		await expect(row).toHaveAttribute('data-status', 'accepted');
		await expect(row).toContainText(id.slice(0, 8));
		await expect(row).toContainText('已接收');
		await expect(page.getByTestId('import-report')).toContainText('新保存 1 张');

		// the same file again changes nothing
		await page.getByTestId('import-file').setInputFiles(file);
		await page.getByTestId('import-start').click();
		await expect(page.getByTestId('import-result')).toHaveAttribute('data-status', 'unchanged');

		// not a backup: said in Chinese
		await page.getByTestId('import-file').setInputFiles({
			name: 'notes.zip',
			mimeType: 'application/zip',
			buffer: Buffer.from('not a zip file')
		});
		await page.getByTestId('import-start').click();
		await expect(page.getByTestId('import-error')).toContainText('导入失败');
		await expect(page.getByTestId('import-report')).toHaveCount(0);

		await page.getByTestId('review-logout').click();
		await expect(page).toHaveURL(/^[^?]*\/review\/login$/);
		await reviewLogin(page, `reviewer-${COUNTY}`);
		await expect(page).toHaveURL(/^[^?]*\/review$/);
		await expect(page.getByTestId('nav-imports')).toHaveCount(0);
		expect((await page.goto('/review/imports'))?.status()).toBe(403);
	} finally {
		await tablet.close();
	}
});
