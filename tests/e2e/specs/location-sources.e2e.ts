import { SurveyRecordSchema } from '../../../src/lib/domain/schemas/survey-record';
import {
	expect,
	expectedPixel,
	offlineInCounty,
	recordIdOf,
	storedRecord,
	test
} from '../fixtures';

const AT = { latitude: 39.825018, longitude: 109.648684 };

test('a point from an external RTK receiver, then one picked on the map, each keeps its source', async ({
	page,
	context
}) => {
	await context.grantPermissions(['geolocation']);
	await context.setGeolocation({ ...AT, accuracy: 0.03 });
	await offlineInCounty(page, context, '东胜区');
	await page.getByTestId('new-find').click();
	await expect(page).toHaveURL(/\/records\//);
	const id = recordIdOf(page);

	// RTK: the surveyor declares the receiver; the fix is recorded with source rtk.
	await page.getByTestId('step-location').click();
	await page.getByTestId('rtk-toggle').click();
	await expect(page.getByTestId('rtk-toggle')).toHaveAttribute('aria-checked', 'true');
	await expect(page.getByTestId('gnss-accept')).toBeEnabled();
	await page.getByTestId('gnss-accept').click();
	await expect(page.getByTestId('location-source')).toHaveAttribute('data-source', 'rtk');
	let record = SurveyRecordSchema.parse((await storedRecord(page, id)).row.record);
	expect(record.location.source).toBe('rtk');
	expect(record.location.lat).toBeCloseTo(AT.latitude, 6);

	// 地图选点: a tap on the map sets the point there, with source map.
	await page.getByTestId('pick-on-map').click();
	const map = page.getByRole('dialog', { name: '地图选点' }).getByTestId('site-map');
	await expect(map).toHaveAttribute('data-ready', 'true');
	await page.waitForTimeout(300);
	const [bounds, size] = await Promise.all([
		map.getAttribute('data-bounds'),
		map.getAttribute('data-size')
	]);
	await page.screenshot({ path: 'test-results/screens/landscape-8-map-pick.png' });
	const target = { lat: AT.latitude + 0.05, lon: AT.longitude + 0.08 };
	await map.click({ position: expectedPixel(bounds!, size!, target.lat, target.lon) });
	await expect(page.getByTestId('location-source')).toHaveAttribute('data-source', 'map');
	record = SurveyRecordSchema.parse((await storedRecord(page, id)).row.record);
	expect(record.location.source).toBe('map');
	// One pixel is some metres at the framed zoom: the picked point lands within ~0.002°.
	expect(Math.abs(record.location.lat - target.lat)).toBeLessThan(0.002);
	expect(Math.abs(record.location.lon - target.lon)).toBeLessThan(0.002);
});
