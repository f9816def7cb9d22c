import { expect, offlineInCounty, storedRecord, test } from '../fixtures.js';
import { HomePage } from '../pages/home-page.js';
import { RecordPage } from '../pages/record/record-page.js';

test('a location typed in 度分秒 is stored as decimal degrees with source manual, and LOC-003 warns', async ({
	page,
	context
}) => {
	await offlineInCounty(page, context, '东胜区');

	await new HomePage(page).startNewFind();
	await expect(page).toHaveURL(/\/records\//);
	const form = new RecordPage(page);
	await expect(form.title).toContainText('新发现');
	const id = form.id;

	await form.go('location');
	await form.location.point.enterDms('39°48′30.0000″N', '109°57′00.0000″E');

	// A bad value is refused with a message, and the stored location stays.
	await form.location.point.applyLat('39°61′00″N');
	await expect(form.location.point.alert(/分/)).toBeVisible();

	await form.go('review');
	await expect(form.review.warning('LOC-003')).toBeVisible();

	const { row } = await storedRecord(page, id);
	const location = (row.record as { location: Record<string, unknown> }).location;
	expect(location.source).toBe('manual');
	expect(location.lat as number).toBeCloseTo(39 + 48 / 60 + 30 / 3600, 7);
	expect(location.lon as number).toBeCloseTo(109 + 57 / 60, 7);
});
