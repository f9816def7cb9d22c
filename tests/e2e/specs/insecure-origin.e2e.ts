import { CHROMIUM_ARGS, CHROMIUM_PATH } from '../../chromium';
import { expect, test } from '../fixtures';

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
	await page.goto(`http://survey.test:${PORT}/`);
	expect(await page.evaluate(() => window.isSecureContext)).toBe(false);
	const banner = page.getByTestId('insecure-origin');
	await expect(banner).toBeVisible();
	await expect(banner).toContainText('HTTPS');
	await expect(banner).toContainText('离线');
	await expect(banner).toContainText('定位');
	await expect(banner).toContainText('相机');
	// The app still works online there.
	await expect(page.getByRole('button', { name: /伊金霍洛旗/ })).not.toContainText(/ 0 处/);
});

test('on localhost there is no such warning', async ({ page }) => {
	await page.goto('/');
	await expect(page.getByRole('heading', { name: '选择旗区' })).toBeVisible();
	await expect(page.getByTestId('insecure-origin')).toHaveCount(0);
});
