import { SurveyRecordSchema } from '../../../src/lib/domain/schemas/survey-record.js';
import { expect, offlineInCounty, storedRecord, test } from '../fixtures.js';
import { HomePage } from '../pages/home-page.js';
import { RecordPage } from '../pages/record/record-page.js';

const AT = { latitude: 39.825018, longitude: 109.648684 };

test('a point from an external RTK receiver, then one picked on the map, each keeps its source', async ({
	page,
	context
}) => {
	await context.grantPermissions(['geolocation']);
	await context.setGeolocation({ ...AT, accuracy: 0.03 });
	await offlineInCounty(page, context, '东胜区');
	await new HomePage(page).startNewFind();
	await expect(page).toHaveURL(/\/records\//);
	const form = new RecordPage(page);
	const id = form.id;
	const point = form.location.point;

	// RTK: the surveyor declares the receiver; the fix is recorded with source rtk.
	await form.go('location');
	await point.toggleRtk();
	await expect(point.rtkToggle).toHaveAttribute('aria-checked', 'true');
	await expect(point.gnssAccept).toBeEnabled();
	await point.acceptFix();
	await expect(point.source).toHaveAttribute('data-source', 'rtk');
	let record = SurveyRecordSchema.parse((await storedRecord(page, id)).row.record);
	expect(record.location.source).toBe('rtk');
	expect(record.location.lat).toBeCloseTo(AT.latitude, 6);

	// 地图选点: a tap on the map sets the point there, with source map.
	const map = await point.openMapPick();
	await map.waitReady();
	await map.settle();
	const target = { lat: AT.latitude + 0.05, lon: AT.longitude + 0.08 };
	const at = await map.pixelOf(target.lat, target.lon);
	await page.screenshot({ path: 'test-results/screens/landscape-8-map-pick.png' });
	await map.tapPixel(at);
	await expect(point.source).toHaveAttribute('data-source', 'map');
	record = SurveyRecordSchema.parse((await storedRecord(page, id)).row.record);
	expect(record.location.source).toBe('map');
	// One pixel is some metres at the framed zoom: the picked point lands within ~0.002°.
	expect(Math.abs(record.location.lat - target.lat)).toBeLessThan(0.002);
	expect(Math.abs(record.location.lon - target.lon)).toBeLessThan(0.002);
});
