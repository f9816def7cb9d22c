import booleanPointInPolygon from '@turf/boolean-point-in-polygon';
import { counties, demoRegistry, expect, goOffline, test } from '../fixtures.js';
import { HomePage } from '../pages/home-page.js';
import { SitePage } from '../pages/site-page.js';
import { WorkListPage } from '../pages/work-list-page.js';

test('after one online visit the field app works offline: county, search, site on the map', async ({
	page,
	context
}) => {
	// First visit, online: the service worker installs and the demo registry reaches the device.
	const home = new HomePage(page);
	const list = new WorkListPage(page);
	await home.firstVisit();
	const yijin = home.county('伊金霍洛旗');
	await expect(yijin).toContainText(/\d+ 处/);
	await expect(yijin).not.toContainText(/ 0 处/);
	// a demo server and a generated registry: every page says so
	await expect(home.topBar.demoBanner).toContainText('演示账号');

	await goOffline(context);

	// A cold reload of a field route comes from the service worker's cache.
	await list.goto();
	const response = await page.reload();
	expect(response?.fromServiceWorker()).toBe(true);
	await expect(list.topBar.connectivity).toHaveText(/离线/);
	await expect(list.topBar.demoBanner).toBeVisible();
	// No county chosen yet on this device, so the work list sends the surveyor to choose one.
	await expect(page).toHaveURL(/\/$/);
	await expect(home.pickerHeading).toBeVisible();

	// Pick the county on the first screen.
	await home.goto();
	await home.chooseCounty('伊金霍洛旗');
	await home.openWorkList();
	await expect(list.rows.first()).toBeVisible();

	// With a county chosen, a cold reload of the work list comes up offline as the work list.
	const again = await page.reload();
	expect(again?.fromServiceWorker()).toBe(true);
	await expect(page).toHaveURL(/\/sites$/);
	await expect(list.resultCount).toHaveText(/共 \d+ 处/);

	// Search finds 成吉思汗陵.
	await list.searchFor('成吉思汗陵');
	const rows = list.rows;
	await expect(rows).toHaveCount(1);
	await expect(rows.first()).toContainText('成吉思汗陵');
	await expect(rows.first()).toContainText('150627-');

	// Selecting it puts its marker on the map where its coordinates are.
	const site = demoRegistry().find((s) => s.name === '成吉思汗陵');
	expect(site).toBeDefined();
	const yijinFeature = counties().features.find((f) => f.properties.code === '150627')!;
	expect(booleanPointInPolygon([site!.location.lon, site!.location.lat], yijinFeature)).toBe(true);

	await list.select(rows.first());
	const map = list.map;
	await map.waitReady();
	const marker = list.selectedMarker(site!.code);
	await expect(marker).toBeVisible();
	// Let any pan finish, then compare where the marker is with where it must be.
	await map.settle(400);
	const [expected, mapBox, markerBox] = await Promise.all([
		map.pixelOf(site!.location.lat, site!.location.lon),
		map.root.boundingBox(),
		marker.boundingBox()
	]);
	const actual = {
		x: markerBox!.x + markerBox!.width / 2 - mapBox!.x,
		y: markerBox!.y + markerBox!.height / 2 - mapBox!.y
	};
	expect(Math.abs(actual.x - expected.x)).toBeLessThan(3);
	expect(Math.abs(actual.y - expected.y)).toBeLessThan(3);

	// And the other way round: tapping a point on the map selects its row in the list.
	await list.searchFor('');
	await expect(list.resultCount).not.toHaveText('共 1 处');
	const other = demoRegistry().find((s) => s.name === '朱开沟遗址')!;
	await map.settle();
	await map.tapAt(other.location.lat, other.location.lon);
	const otherRow = list.row(other.code);
	await expect(list.selectedIn(otherRow)).toBeVisible();
	await list.searchFor('成吉思汗陵');
	await expect(rows).toHaveCount(1);

	// The site page opens offline too, with the registry entry.
	await list.open(rows.first());
	await expect(new SitePage(page).name).toHaveText('成吉思汗陵');
	await expect(page.getByText('全国重点文物保护单位', { exact: true })).toBeVisible();
});
