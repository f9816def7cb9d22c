import type { Locator, Page } from '@playwright/test';
import { SurveyRecordSchema } from '../../../src/lib/domain/schemas/survey-record';
import {
	expect,
	expectedPixel,
	offlineInCounty,
	recordIdOf,
	storedRecord,
	test
} from '../fixtures';

const PHOTO = 'tests/fixtures/photos/site-dongsheng-1600x1200.jpg';
const PHOTO_2 = 'tests/fixtures/photos/site-dongsheng-orientation6.jpg';
// Inside 东胜区 (the fixture photos were taken here), and a point in 杭锦旗.
const DONGSHENG = { lat: 39.825018, lon: 109.648684 };
const HANGJIN = { lat: 40.575525, lon: 107.575965 };

async function manualLocation(page: Page, at: { lat: number; lon: number }) {
	await page.getByTestId('step-location').click();
	await page.getByTestId('manual-mode-decimal').click();
	await page.getByTestId('manual-lat').fill(String(at.lat));
	await page.getByTestId('manual-lon').fill(String(at.lon));
	await page.getByTestId('manual-apply').click();
	await expect(page.getByTestId('location-source')).toHaveAttribute('data-source', 'manual');
}

/** Taps a square of four corners around a point on the boundary map, then 完成. */
async function drawSquareAround(page: Page, map: Locator, at: { lat: number; lon: number }) {
	await expect(map).toHaveAttribute('data-ready', 'true');
	await page.waitForTimeout(300);
	const [bounds, size] = await Promise.all([
		map.getAttribute('data-bounds'),
		map.getAttribute('data-size')
	]);
	const c = expectedPixel(bounds!, size!, at.lat, at.lon);
	await page.getByTestId('boundary-draw').click();
	for (const [dx, dy] of [
		[-60, -60],
		[60, -60],
		[60, 60],
		[-60, 60]
	] as const) {
		await map.click({ position: { x: c.x + dx, y: c.y + dy } });
	}
	await page.getByTestId('boundary-finish').click();
	await expect(map).toHaveAttribute('data-parts', '1');
	await page.getByTestId('boundary-use-area').click();
}

test('a new find with a drawn boundary: QC blocks it in the wrong county and without 全景, then lets it finish', async ({
	page,
	context
}) => {
	await offlineInCounty(page, context, '东胜区');

	await page.getByTestId('new-find').click();
	await expect(page).toHaveURL(/\/records\//);
	const id = recordIdOf(page);

	// 基本信息, in the order of the registration form.
	await page.getByTestId('input-name').fill('哈巴格希烽燧遗址');
	await page.getByTestId('input-township').selectOption({ index: 1 });
	await page.getByTestId('input-address').fill('村北约1公里梁顶');
	await page.getByTestId('input-category').selectOption('古文化遗址');
	await page.getByTestId('input-subcategory').selectOption('军事设施遗址');
	await page.getByTestId('input-era').fill('明');
	await page.getByTestId('input-era-group').selectOption('明代');
	await page.getByTestId('input-level').selectOption('尚未核定公布为文物保护单位的不可移动文物');

	await page.getByTestId('step-condition').click();
	await page.getByTestId('input-condition').getByRole('button', { name: '较差' }).click();
	await page
		.getByTestId('input-description')
		.fill(
			'烽燧一座，位于梁顶，夯土筑成，平面近方形，底边长约8米，残高约3米，顶部坍塌，四周散见明代青花瓷片与砖块，西侧被冲沟切割，受风沙侵蚀严重。'
		);
	await page.getByTestId('step-people').click();
	await page.getByTestId('input-surveyors').fill('王五');
	await page.getByTestId('input-surveyed-on').fill('2025-06-02');

	// Located in 杭锦旗, with a boundary drawn around it, and only a 近景 photo.
	await manualLocation(page, HANGJIN);
	const map = page.getByTestId('boundary-map');
	await drawSquareAround(page, map, HANGJIN);
	await page.getByTestId('step-photos').click();
	await page.getByTestId('photo-files').setInputFiles(PHOTO);
	await expect(page.getByTestId('photo-tile')).toHaveCount(1);
	await page.getByRole('group', { name: '照片类型' }).getByRole('button', { name: '近景' }).click();
	await expect(page.getByTestId('photo-missing')).toContainText('全景');

	await page.getByTestId('step-review').click();
	await expect(page.locator('[data-testid="qc-error"][data-rule="LOC-001"]')).toBeVisible();
	await expect(page.locator('[data-testid="qc-error"][data-rule="PHO-001"]')).toBeVisible();
	await expect(page.getByTestId('finalize')).toBeDisabled();

	// 去修改 jumps to the field.
	await page.locator('[data-testid="qc-error"][data-rule="LOC-001"]').getByRole('button').click();
	await expect(page).toHaveURL(/step=location/);

	// Fix: the right place (redraw the boundary there) and a 全景.
	await manualLocation(page, DONGSHENG);
	await page.getByTestId('boundary-clear').click();
	await page.getByTestId('boundary-confirm').click();
	await drawSquareAround(page, map, DONGSHENG);
	await page.getByTestId('step-photos').click();
	await page.getByTestId('photo-files').setInputFiles(PHOTO_2);
	await expect(page.getByTestId('photo-tile')).toHaveCount(2);
	await page.getByRole('group', { name: '照片类型' }).getByRole('button', { name: '全景' }).click();
	await expect(page.getByTestId('photo-missing')).toHaveCount(0);

	await page.getByTestId('step-review').click();
	await expect(page.getByTestId('qc-summary')).toBeVisible();
	await expect(page.getByTestId('qc-error')).toHaveCount(0);
	const notes = page.locator('[data-testid^="qc-note-"]');
	for (let i = 0; i < (await notes.count()); i++) await notes.nth(i).fill('已现场核实');
	await expect(page.getByTestId('finalize')).toBeEnabled();
	await page.getByTestId('finalize').click();
	await expect(page.getByRole('heading', { name: '工作台' })).toBeVisible();
	await expect(page.getByTestId('recheck-progress')).toBeVisible();

	const { row } = await storedRecord(page, id);
	expect(row.localState).toBe('finalized');
	const record = SurveyRecordSchema.parse(row.record);
	expect(record.kind).toBe('新发现');
	expect(record.boundary?.type).toBe('Polygon');
	expect(record.location.lat).toBeCloseTo(DONGSHENG.lat, 6);
	expect(record.areaM2).toBeGreaterThan(0);
	expect(record.photos.map((p) => p.kind).sort()).toEqual(['全景', '近景']);
});
