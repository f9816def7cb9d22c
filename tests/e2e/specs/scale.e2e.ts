import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { RegisteredSite } from '../../../src/lib/domain/schemas/site';
import { expect, goOffline, test, waitForServiceWorker } from '../fixtures';

test('with 20,000 sites the list scrolls, search answers and the map draws', async ({
	page,
	context
}) => {
	test.setTimeout(180_000);
	const dir = mkdtempSync(join(tmpdir(), 'survey-scale-'));
	const file = join(dir, 'registry-20000.json');
	try {
		execFileSync('npx', ['tsx', 'scripts/generate-demo.ts', '--count', '20000', '--out', file]);
		const sites = (JSON.parse(readFileSync(file, 'utf8')) as { sites: RegisteredSite[] }).sites;
		expect(sites).toHaveLength(20_000);

		await page.goto('/');
		await waitForServiceWorker(page);
		await page.getByTestId('import-registry').setInputFiles(file);
		await expect(page.getByTestId('import-message')).toContainText('20000', { timeout: 120_000 });
		await page.getByRole('button', { name: /全市/ }).click();
		await goOffline(context);

		await page.getByRole('link', { name: /复查任务/ }).click();
		await expect(page.getByTestId('result-count')).toHaveText('共 20000 处');
		// Only a screenful of rows is in the page, however long the list.
		expect(await page.getByTestId('site-row').count()).toBeLessThan(60);

		// Scroll to the end: the last site (in code order) comes into view.
		const last = [...sites].sort((a, b) => (a.code < b.code ? -1 : 1)).at(-1)!;
		const list = page.getByTestId('site-list');
		for (let i = 0; i < 5; i++) {
			await list.evaluate((el) => el.scrollTo(0, el.scrollHeight));
			await page.waitForTimeout(200);
		}
		await expect(page.locator(`[data-testid="site-row"][data-code="${last.code}"]`)).toBeVisible();

		// Search answers.
		const target = sites[12_345]!;
		await page.getByTestId('site-search').fill(target.code);
		await expect(page.getByTestId('result-count')).toHaveText('共 1 处');
		await expect(page.getByTestId('site-row').first()).toContainText(target.name);
		await page.getByTestId('site-search').fill('');
		await expect(page.getByTestId('result-count')).toHaveText('共 20000 处');

		// The map draws every point on its canvas.
		await expect(page.getByTestId('site-map')).toHaveAttribute('data-ready', 'true');
		await expect
			.poll(() =>
				page.evaluate(() => {
					const canvas = document.querySelector<HTMLCanvasElement>('canvas.site-points');
					if (!canvas) return 0;
					const data = canvas
						.getContext('2d')!
						.getImageData(0, 0, canvas.width, canvas.height).data;
					let painted = 0;
					for (let i = 3; i < data.length; i += 4) if (data[i]! > 0) painted++;
					return painted / (canvas.width * canvas.height);
				})
			)
			.toBeGreaterThan(0.01);
	} finally {
		rmSync(dir, { recursive: true, force: true });
	}
});
