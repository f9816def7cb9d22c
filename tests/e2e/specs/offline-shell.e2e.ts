import booleanPointInPolygon from '@turf/boolean-point-in-polygon';
import {
	counties,
	demoRegistry,
	expect,
	expectedPixel,
	goOffline,
	test,
	waitForServiceWorker
} from '../fixtures';

test('after one online visit the field app works offline: county, search, site on the map', async ({
	page,
	context
}) => {
	// First visit, online: the service worker installs and the demo registry reaches the device.
	await page.goto('/');
	await waitForServiceWorker(page);
	const yijin = page.getByRole('button', { name: /伊金霍洛旗/ });
	await expect(yijin).toContainText(/\d+ 处/);
	await expect(yijin).not.toContainText(/ 0 处/);
	// a demo server and a generated registry: every page says so
	await expect(page.getByTestId('demo-banner')).toContainText('演示账号');

	await goOffline(context);

	// A cold reload of a field route comes from the service worker's cache.
	await page.goto('/sites');
	const response = await page.reload();
	expect(response?.fromServiceWorker()).toBe(true);
	await expect(page.getByTestId('connectivity')).toHaveText(/离线/);
	await expect(page.getByTestId('demo-banner')).toBeVisible();
	// No county chosen yet on this device, so the work list sends the surveyor to choose one.
	await expect(page).toHaveURL(/\/$/);
	await expect(page.getByRole('heading', { name: '选择旗区' })).toBeVisible();

	// Pick the county on the first screen.
	await page.goto('/');
	await page.getByRole('button', { name: /伊金霍洛旗/ }).click();
	await expect(page.getByTestId('current-county')).toHaveText('伊金霍洛旗');
	await page.getByRole('link', { name: /复查任务/ }).click();
	await expect(page.getByTestId('site-row').first()).toBeVisible();

	// With a county chosen, a cold reload of the work list comes up offline as the work list.
	const again = await page.reload();
	expect(again?.fromServiceWorker()).toBe(true);
	await expect(page).toHaveURL(/\/sites$/);
	await expect(page.getByTestId('result-count')).toHaveText(/共 \d+ 处/);

	// Search finds 成吉思汗陵.
	await page.getByTestId('site-search').fill('成吉思汗陵');
	const rows = page.getByTestId('site-row');
	await expect(rows).toHaveCount(1);
	await expect(rows.first()).toContainText('成吉思汗陵');
	await expect(rows.first()).toContainText('150627-');

	// Selecting it puts its marker on the map where its coordinates are.
	const site = demoRegistry().find((s) => s.name === '成吉思汗陵');
	expect(site).toBeDefined();
	const yijinFeature = counties().features.find((f) => f.properties.code === '150627')!;
	expect(booleanPointInPolygon([site!.location.lon, site!.location.lat], yijinFeature)).toBe(true);

	await rows.first().getByRole('button').first().click();
	const map = page.getByTestId('site-map');
	await expect(map).toHaveAttribute('data-ready', 'true');
	const marker = page.locator(`.selected-site [data-code="${site!.code}"]`);
	await expect(marker).toBeVisible();
	// Let any pan finish, then compare where the marker is with where it must be.
	await page.waitForTimeout(400);
	const [bounds, size, mapBox, markerBox] = await Promise.all([
		map.getAttribute('data-bounds'),
		map.getAttribute('data-size'),
		map.boundingBox(),
		marker.boundingBox()
	]);
	const expected = expectedPixel(bounds!, size!, site!.location.lat, site!.location.lon);
	const actual = {
		x: markerBox!.x + markerBox!.width / 2 - mapBox!.x,
		y: markerBox!.y + markerBox!.height / 2 - mapBox!.y
	};
	expect(Math.abs(actual.x - expected.x)).toBeLessThan(3);
	expect(Math.abs(actual.y - expected.y)).toBeLessThan(3);

	// And the other way round: tapping a point on the map selects its row in the list.
	await page.getByTestId('site-search').fill('');
	await expect(page.getByTestId('result-count')).not.toHaveText('共 1 处');
	const other = demoRegistry().find((s) => s.name === '朱开沟遗址')!;
	await page.waitForTimeout(300);
	const [b2, s2] = await Promise.all([
		map.getAttribute('data-bounds'),
		map.getAttribute('data-size')
	]);
	await map.click({ position: expectedPixel(b2!, s2!, other.location.lat, other.location.lon) });
	const otherRow = page.locator(`[data-testid="site-row"][data-code="${other.code}"]`);
	await expect(otherRow.getByRole('button', { pressed: true })).toBeVisible();
	await page.getByTestId('site-search').fill('成吉思汗陵');
	await expect(rows).toHaveCount(1);

	// The site page opens offline too, with the registry entry.
	await rows.first().getByRole('link').click();
	await expect(page.getByTestId('site-name')).toHaveText('成吉思汗陵');
	await expect(page.getByText('全国重点文物保护单位', { exact: true })).toBeVisible();
});
