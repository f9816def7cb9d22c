import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { RegisteredSite } from '../../../src/lib/domain/schemas/site.js';
import { expect, goOffline, test } from '../fixtures.js';
import { HomePage } from '../pages/home-page.js';
import { WorkListPage } from '../pages/work-list-page.js';

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

		const home = new HomePage(page);
		const list = new WorkListPage(page);
		await home.firstVisit();
		await home.importRegistry(file);
		await expect(home.importMessage).toContainText('20000', { timeout: 120_000 });
		await home.county(/全市/).click();
		await goOffline(context);

		await home.openWorkList();
		await expect(list.resultCount).toHaveText('共 20000 处');
		// Only a screenful of rows is in the page, however long the list.
		expect(await list.rows.count()).toBeLessThan(60);

		// Scroll to the end: the last site (in code order) comes into view.
		const last = [...sites].sort((a, b) => (a.code < b.code ? -1 : 1)).at(-1)!;
		await list.scrollToEnd();
		await expect(list.row(last.code)).toBeVisible();

		// Search answers.
		const target = sites[12_345]!;
		await list.searchFor(target.code);
		await expect(list.resultCount).toHaveText('共 1 处');
		await expect(list.rows.first()).toContainText(target.name);
		await list.searchFor('');
		await expect(list.resultCount).toHaveText('共 20000 处');

		// The map draws every point on its canvas.
		await list.map.waitReady();
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
