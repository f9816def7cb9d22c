/**
 * The record form's steps, one class each: what a surveyor fills in on it. The form's step bar
 * (controls/stepper.ts) moves between them.
 */
import { expect, type Locator, type Page } from '@playwright/test';
import { BoundaryEditor } from '../../controls/boundary-editor.js';
import { LocationPanel } from '../../controls/location-panel.js';
import { StorageActions } from '../../controls/storage-actions.js';

/** 变更情况. */
export class ChangeStep {
	readonly group: Locator;

	constructor(page: Page) {
		this.group = page.getByTestId('change-type');
	}

	/** A choice of the change type: `aria-pressed` says whether it is chosen. */
	option(name: string): Locator {
		return this.group.getByRole('button', { name });
	}

	async choose(name: string): Promise<void> {
		await this.option(name).click();
	}
}

/** 基本信息, in the order of the registration form. */
export class BasicStep {
	readonly name: Locator;
	readonly township: Locator;
	readonly address: Locator;
	readonly category: Locator;
	readonly subcategory: Locator;
	readonly era: Locator;
	readonly eraGroup: Locator;
	readonly level: Locator;

	constructor(page: Page) {
		this.name = page.getByTestId('input-name');
		this.township = page.getByTestId('input-township');
		this.address = page.getByTestId('input-address');
		this.category = page.getByTestId('input-category');
		this.subcategory = page.getByTestId('input-subcategory');
		this.era = page.getByTestId('input-era');
		this.eraGroup = page.getByTestId('input-era-group');
		this.level = page.getByTestId('input-level');
	}
}

/** 位置: the point and the boundary. */
export class LocationStep {
	readonly point: LocationPanel;
	readonly boundary: BoundaryEditor;

	constructor(page: Page) {
		this.point = new LocationPanel(page);
		this.boundary = new BoundaryEditor(page);
	}
}

/** 保存现状 and 简介. */
export class ConditionStep {
	readonly condition: Locator;
	readonly description: Locator;

	constructor(private readonly page: Page) {
		this.condition = page.getByTestId('input-condition');
		this.description = page.getByTestId('input-description');
	}

	/** A 保存现状 choice: `aria-pressed` says whether it is chosen. */
	conditionOption(name: string, options: { exact?: boolean } = {}): Locator {
		return this.condition.getByRole('button', { name, exact: options.exact ?? false });
	}

	async chooseCondition(name: string, options: { exact?: boolean } = {}): Promise<void> {
		await this.conditionOption(name, options).click();
	}

	/** Appends text to 简介. */
	async addToDescription(text: string): Promise<void> {
		await this.description.fill(`${await this.description.inputValue()}${text}`);
	}

	/** A reviewer's comment shown beside a field. */
	fieldComment(field: string): Locator {
		return this.page.locator(`[data-field="${field}"]`).getByTestId('field-comment');
	}
}

/** 照片. */
export class PhotosStep {
	readonly files: Locator;
	readonly camera: Locator;
	readonly tiles: Locator;
	/** The pictures of the tiles. */
	readonly images: Locator;
	/** Which required kinds of photo are still missing. */
	readonly missing: Locator;
	/** Not enough space for a photo: said before anything is written. */
	readonly storageWarning: Locator;
	readonly storageActions: StorageActions;
	/** The status shown while a photo is being processed. */
	readonly processing: Locator;

	constructor(private readonly page: Page) {
		this.files = page.getByTestId('photo-files');
		this.camera = page.getByTestId('photo-camera');
		this.tiles = page.getByTestId('photo-tile');
		this.images = this.tiles.locator('img');
		this.missing = page.getByTestId('photo-missing');
		this.storageWarning = page.getByTestId('photo-storage-warning');
		this.storageActions = new StorageActions(this.storageWarning);
		this.processing = page.getByRole('status').filter({ hasText: /正在处理/ });
	}

	/** An alert on the page that says `text` (a photo the browser refused to store). */
	alert(text: string | RegExp): Locator {
		return this.page.getByRole('alert').filter({ hasText: text });
	}

	/** Adds photos from files, and waits until the grid holds `expected` tiles. */
	async addFiles(files: string | string[], expected: number): Promise<void> {
		await this.files.setInputFiles(files);
		await expect(this.tiles).toHaveCount(expected);
	}

	/** A photo from the camera, whatever comes of it. */
	async takePhoto(file: string): Promise<void> {
		await this.camera.setInputFiles(file);
	}

	/** The kind (全景, 近景, …) of the photo being edited. */
	async setKind(kind: string): Promise<void> {
		await this.page
			.getByRole('group', { name: '照片类型' })
			.getByRole('button', { name: kind })
			.click();
	}
}

/** 调查人员. */
export class PeopleStep {
	readonly surveyors: Locator;
	readonly surveyedOn: Locator;

	constructor(page: Page) {
		this.surveyors = page.getByTestId('input-surveyors');
		this.surveyedOn = page.getByTestId('input-surveyed-on');
	}

	async fill(surveyors: string, surveyedOn: string): Promise<void> {
		await this.surveyors.fill(surveyors);
		await this.surveyedOn.fill(surveyedOn);
	}
}

/** 检查与完成: the device's QC findings, their explanations, 完成. */
export class ReviewStep {
	readonly summary: Locator;
	readonly errors: Locator;
	readonly warnings: Locator;
	readonly notes: Locator;
	readonly finalizeButton: Locator;

	constructor(private readonly page: Page) {
		this.summary = page.getByTestId('qc-summary');
		this.errors = page.getByTestId('qc-error');
		this.warnings = page.getByTestId('qc-warning');
		this.notes = page.locator('[data-testid^="qc-note-"]');
		this.finalizeButton = page.getByTestId('finalize');
	}

	error(rule: string): Locator {
		return this.page.locator(`[data-testid="qc-error"][data-rule="${rule}"]`);
	}

	warning(rule: string): Locator {
		return this.page.locator(`[data-testid="qc-warning"][data-rule="${rule}"]`);
	}

	/** 去修改 of an error: the form jumps to its field. */
	async fix(rule: string): Promise<void> {
		await this.error(rule).getByRole('button').click();
	}

	/** Explains every warning with `note`; `keepExisting` leaves notes already written. */
	async explainWarnings(note: string, options: { keepExisting?: boolean } = {}): Promise<void> {
		for (let i = 0; i < (await this.notes.count()); i++) {
			if (options.keepExisting && (await this.notes.nth(i).inputValue())) continue;
			await this.notes.nth(i).fill(note);
		}
	}

	async finalize(): Promise<void> {
		await this.finalizeButton.click();
	}
}
