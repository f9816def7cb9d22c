import { CHROMIUM_ARGS, CHROMIUM_PATH } from '../../chromium.js';
import { expect, test } from '../fixtures.js';
import { HomePage } from '../pages/home-page.js';

const PORT = Number(process.env.E2E_PORT ?? 4173);

// A plain-HTTP address that is not localhost: the browser withholds the service worker,
// geolocation and the camera, and the app must say so.
test.use({
	launchOptions: {
		executablePath: CHROMIUM_PATH,
		args: [...CHROMIUM_ARGS, '--host-resolver-rules=MAP survey.test 127.0.0.1']
	}
});

test('on an insecure origin the app explains that offline use, GPS and the camera need HTTPS', async ({
	page
}) => {
	const home = new HomePage(page);
	await page.goto(`http://survey.test:${PORT}/`);
	expect(await page.evaluate(() => window.isSecureContext)).toBe(false);
	const banner = home.topBar.insecureOrigin;
	await expect(banner).toBeVisible();
	await expect(banner).toContainText('HTTPS');
	await expect(banner).toContainText('离线');
	await expect(banner).toContainText('定位');
	await expect(banner).toContainText('相机');
	// The app still works online there.
	await expect(home.county('伊金霍洛旗')).not.toContainText(/ 0 处/);
});

test('on localhost there is no such warning', async ({ page }) => {
	const home = new HomePage(page);
	await home.goto();
	await expect(home.pickerHeading).toBeVisible();
	await expect(home.topBar.insecureOrigin).toHaveCount(0);
});
