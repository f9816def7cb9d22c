import { expect, goOffline, test, waitForServiceWorker } from '../fixtures';

test('a location typed in 度分秒 is stored as decimal degrees with source manual, and LOC-003 warns', async ({
	page,
	context
}) => {
	await page.goto('/');
	await waitForServiceWorker(page);
	await page.getByRole('button', { name: /东胜区/ }).click();
	await expect(page.getByTestId('current-county')).toHaveText('东胜区');
	await goOffline(context);

	await page.getByTestId('new-find').click();
	await expect(page).toHaveURL(/\/records\//);
	await expect(page.getByTestId('record-title')).toContainText('新发现');
	const id = page.url().split('/records/')[1]!.split('?')[0]!;

	await page.getByTestId('step-location').click();
	await page.getByTestId('manual-mode-dms').click();
	await page.getByTestId('manual-lat').fill('39°48′30.0000″N');
	await page.getByTestId('manual-lon').fill('109°57′00.0000″E');
	await page.getByTestId('manual-apply').click();
	await expect(page.getByTestId('location-source')).toHaveAttribute('data-source', 'manual');

	// A bad value is refused with a message, and the stored location stays.
	await page.getByTestId('manual-lat').fill('39°61′00″N');
	await page.getByTestId('manual-apply').click();
	await expect(page.getByRole('alert').filter({ hasText: /分/ })).toBeVisible();

	await page.getByTestId('step-review').click();
	await expect(page.locator('[data-testid="qc-warning"][data-rule="LOC-003"]')).toBeVisible();

	const location = await page.evaluate(async (recordId) => {
		const db = await new Promise<IDBDatabase>((resolve, reject) => {
			const open = indexedDB.open('ordos-survey');
			open.onsuccess = () => resolve(open.result);
			open.onerror = () => reject(open.error);
		});
		const row = await new Promise<{ record: { location: Record<string, unknown> } }>(
			(resolve, reject) => {
				const req = db.transaction('records').objectStore('records').get(recordId);
				req.onsuccess = () => resolve(req.result);
				req.onerror = () => reject(req.error);
			}
		);
		db.close();
		return row.record.location;
	}, id);
	expect(location.source).toBe('manual');
	expect(location.lat as number).toBeCloseTo(39 + 48 / 60 + 30 / 3600, 7);
	expect(location.lon as number).toBeCloseTo(109 + 57 / 60, 7);
});
