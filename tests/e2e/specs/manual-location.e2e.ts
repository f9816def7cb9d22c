import { expect, offlineInCounty, recordIdOf, storedRecord, test } from '../fixtures';

test('a location typed in 度分秒 is stored as decimal degrees with source manual, and LOC-003 warns', async ({
	page,
	context
}) => {
	await offlineInCounty(page, context, '东胜区');

	await page.getByTestId('new-find').click();
	await expect(page).toHaveURL(/\/records\//);
	await expect(page.getByTestId('record-title')).toContainText('新发现');
	const id = recordIdOf(page);

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

	const { row } = await storedRecord(page, id);
	const location = (row.record as { location: Record<string, unknown> }).location;
	expect(location.source).toBe('manual');
	expect(location.lat as number).toBeCloseTo(39 + 48 / 60 + 30 / 3600, 7);
	expect(location.lon as number).toBeCloseTo(109 + 57 / 60, 7);
});
