import { expect, type Locator, type Page } from '@playwright/test';
import { ConfirmDialog } from '../controls/confirm-dialog.js';
import { MapView } from '../controls/map-view.js';
import { FieldPage } from './field-page.js';
import { RecordPage } from './record/record-page.js';

/** A registered site's page (/sites/{code}): its entry, its re-check card, its records. */
export class SitePage extends FieldPage {
	readonly name: Locator;
	readonly map: MapView;
	/** The re-check card (SiteRecheck). */
	readonly recheckCard: Locator;
	/** The state of the site's re-check: `data-status` is the status shown. */
	readonly recheckStatus: Locator;
	readonly startRecheckButton: Locator;
	/** 继续复查 / 查看复查记录: `data-id` is the record it opens. */
	readonly openRecheckButton: Locator;
	readonly anotherRecheckButton: Locator;
	readonly anotherRecheckDialog: ConfirmDialog;
	/** Every record of the site on the device, in the list under the card. */
	readonly records: Locator;
	/** Every delete button of a draft on the page, in the card or in the list. */
	readonly deleteDraftButtons: Locator;

	constructor(page: Page) {
		super(page);
		this.name = page.getByTestId('site-name');
		this.map = new MapView(page.getByTestId('site-map'));
		this.recheckCard = page.getByTestId('site-recheck');
		this.recheckStatus = page.getByTestId('recheck-status');
		this.startRecheckButton = page.getByTestId('start-recheck');
		this.openRecheckButton = page.getByTestId('open-recheck');
		this.anotherRecheckButton = page.getByTestId('another-recheck');
		this.anotherRecheckDialog = ConfirmDialog.panel(page, 'another-recheck-confirm');
		this.records = page.getByTestId('site-record');
		this.deleteDraftButtons = page.getByTestId('delete-draft');
	}

	async goto(code: string): Promise<void> {
		await this.page.goto(`/sites/${code}`);
	}

	/** Opens the site's page and waits for its re-check card. */
	async open(code: string): Promise<void> {
		await this.goto(code);
		await expect(this.recheckCard).toBeVisible();
	}

	/** 开始复查: the form of a new re-check opens. */
	async startRecheck(): Promise<void> {
		await this.startRecheckButton.click();
		await expect(this.page).toHaveURL(/\/records\//);
	}

	/** The site's page, checked by its name, then 开始复查: the new re-check's form. */
	async recheckFromPage(site: { code: string; name: string }): Promise<RecordPage> {
		await this.goto(site.code);
		await expect(this.name).toHaveText(site.name);
		await this.startRecheck();
		return new RecordPage(this.page);
	}

	async openRecheck(): Promise<void> {
		await this.openRecheckButton.click();
	}

	/** 再次复查: asks first, and gives the question. */
	async askAnotherRecheck(): Promise<ConfirmDialog> {
		await this.anotherRecheckButton.click();
		return this.anotherRecheckDialog;
	}

	/** One record in the list under the card: `data-status` is its status. */
	record(id: string): Locator {
		return this.page.locator(`[data-testid="site-record"][data-id="${id}"]`);
	}

	/** The delete button of a draft inside `scope` (the card, or a record of the list). */
	deleteDraftButton(scope: Locator = this.recheckCard): Locator {
		return scope.getByTestId('delete-draft');
	}

	/** 删除草稿 inside `scope`: asks first, and gives the question. */
	async askDeleteDraft(scope: Locator = this.recheckCard): Promise<ConfirmDialog> {
		await this.deleteDraftButton(scope).click();
		return ConfirmDialog.panel(scope, 'delete-draft-confirm');
	}
}
