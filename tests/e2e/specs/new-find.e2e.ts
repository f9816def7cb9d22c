import { SurveyRecordSchema } from '../../../src/lib/domain/schemas/survey-record.js';
import { expect, offlineInCounty, storedRecord, test } from '../fixtures.js';
import { HomePage } from '../pages/home-page.js';
import { RecordPage } from '../pages/record/record-page.js';

const PHOTO = 'tests/fixtures/photos/site-dongsheng-1600x1200.jpg';
const PHOTO_2 = 'tests/fixtures/photos/site-dongsheng-orientation6.jpg';
// Inside 东胜区 (the fixture photos were taken here), and a point in 杭锦旗.
const DONGSHENG = { lat: 39.825018, lon: 109.648684 };
const HANGJIN = { lat: 40.575525, lon: 107.575965 };

test('a new find with a drawn boundary: QC blocks it in the wrong county and without 全景, then lets it finish', async ({
	page,
	context
}) => {
	await offlineInCounty(page, context, '东胜区');

	const home = new HomePage(page);
	await home.startNewFind();
	await expect(page).toHaveURL(/\/records\//);
	const form = new RecordPage(page);
	const { basic, location, photos, review } = form;
	const id = form.id;

	// 基本信息, in the order of the registration form.
	await basic.name.fill('哈巴格希烽燧遗址');
	await basic.township.selectOption({ index: 1 });
	await basic.address.fill('村北约1公里梁顶');
	await basic.category.selectOption('古文化遗址');
	await basic.subcategory.selectOption('军事设施遗址');
	await basic.era.fill('明');
	await basic.eraGroup.selectOption('明代');
	await basic.level.selectOption('尚未核定公布为文物保护单位的不可移动文物');

	await form.go('condition');
	await form.condition.chooseCondition('较差');
	await form.condition.description.fill(
		'烽燧一座，位于梁顶，夯土筑成，平面近方形，底边长约8米，残高约3米，顶部坍塌，四周散见明代青花瓷片与砖块，西侧被冲沟切割，受风沙侵蚀严重。'
	);
	await form.go('people');
	await form.people.fill('王五', '2025-06-02');

	// Located in 杭锦旗, with a boundary drawn around it, and only a 近景 photo.
	await form.go('location');
	await location.point.enterDecimal(HANGJIN);
	await location.boundary.drawSquareAround(HANGJIN);
	await form.go('photos');
	await photos.addFiles(PHOTO, 1);
	await photos.setKind('近景');
	await expect(photos.missing).toContainText('全景');

	await form.go('review');
	await expect(review.error('LOC-001')).toBeVisible();
	await expect(review.error('PHO-001')).toBeVisible();
	await expect(review.finalizeButton).toBeDisabled();

	// 去修改 jumps to the field.
	await review.fix('LOC-001');
	await expect(page).toHaveURL(/step=location/);

	// Fix: the right place (redraw the boundary there) and a 全景.
	await form.go('location');
	await location.point.enterDecimal(DONGSHENG);
	await location.boundary.clear();
	await location.boundary.drawSquareAround(DONGSHENG);
	await form.go('photos');
	await photos.addFiles(PHOTO_2, 2);
	await photos.setKind('全景');
	await expect(photos.missing).toHaveCount(0);

	await form.go('review');
	await expect(review.summary).toBeVisible();
	await expect(review.errors).toHaveCount(0);
	await review.explainWarnings('已现场核实');
	await expect(review.finalizeButton).toBeEnabled();
	await review.finalize();
	await expect(home.heading).toBeVisible();
	await expect(home.recheckProgress).toBeVisible();

	const { row } = await storedRecord(page, id);
	expect(row.localState).toBe('finalized');
	const record = SurveyRecordSchema.parse(row.record);
	expect(record.kind).toBe('新发现');
	expect(record.boundary?.type).toBe('Polygon');
	expect(record.location.lat).toBeCloseTo(DONGSHENG.lat, 6);
	expect(record.areaM2).toBeGreaterThan(0);
	expect(record.photos.map((p) => p.kind).sort()).toEqual(['全景', '近景']);
});
