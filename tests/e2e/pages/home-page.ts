import { expect, type Locator, type Page } from '@playwright/test';
import { waitForServiceWorker } from '../service-worker.js';
import { FieldPage } from './field-page.js';

/** The field app's `/`: the county picker on a new device, then the home screen (工作台). */
export class HomePage extends FieldPage {
	readonly pickerHeading: Locator;
	readonly heading: Locator;
	readonly recheckProgress: Locator;
	/** 普查队：… · 本队分配 N 处，已复查 M 处 (issue 13). */
	readonly team: Locator;
	readonly countPending: Locator;
	readonly countReturned: Locator;
	readonly importRegistryFile: Locator;
	readonly importMessage: Locator;
	readonly requestPersistButton: Locator;
	readonly persistAnswer: Locator;
	readonly persisted: Locator;
	readonly notPersisted: Locator;
	/** 退回待改: the returned records, as tasks, on top of 工作台. */
	readonly returnTasks: Locator;
	readonly progressCard: Locator;

	constructor(page: Page) {
		super(page);
		this.pickerHeading = page.getByRole('heading', { name: '选择旗区' });
		this.heading = page.getByRole('heading', { name: '工作台' });
		this.team = page.getByTestId('home-team');
		this.recheckProgress = page.getByTestId('recheck-progress');
		this.countPending = page.getByTestId('count-pending');
		this.countReturned = page.getByTestId('count-returned');
		this.importRegistryFile = page.getByTestId('import-registry');
		this.importMessage = page.getByTestId('import-message');
		this.requestPersistButton = page.getByTestId('request-persist');
		this.persistAnswer = page.getByTestId('persist-answer');
		this.persisted = page.getByTestId('persisted');
		this.notPersisted = page.getByTestId('not-persisted');
		this.returnTasks = page.getByTestId('return-tasks');
		this.progressCard = page.getByRole('region', { name: '复查进度' });
	}

	async goto(): Promise<void> {
		await this.page.goto('/');
	}

	/** A first visit online: the page, and the service worker installed and in control. */
	async firstVisit(): Promise<void> {
		await this.goto();
		await waitForServiceWorker(this.page);
	}

	/** A county's button on the picker (its name and its number of sites). */
	county(name: string | RegExp): Locator {
		return this.page.getByRole('button', {
			name: typeof name === 'string' ? new RegExp(name) : name
		});
	}

	/** Picks a county and waits until the top bar shows it. */
	async chooseCounty(name: string): Promise<void> {
		await this.county(name).click();
		await expect(this.topBar.currentCounty).toHaveText(name);
	}

	/** 复查任务: the work list. */
	async openWorkList(): Promise<void> {
		await this.page.getByRole('link', { name: /复查任务/ }).click();
	}

	/** 新发现: a new record's form. */
	async startNewFind(): Promise<void> {
		await this.page.getByTestId('new-find').click();
	}

	async openBackup(): Promise<void> {
		await this.page.getByTestId('entry-backup').click();
	}

	async importRegistry(file: string): Promise<void> {
		await this.importRegistryFile.setInputFiles(file);
	}

	/** The task of a returned record (退回待改), by the record's id. */
	returnTask(id: string): Locator {
		return this.returnTasks.locator(`[data-testid="return-task"][data-record-id="${id}"]`);
	}

	/** 去修改 of a returned record's task: its form, at the first commented field. */
	async openReturnTask(id: string): Promise<void> {
		await this.returnTask(id).getByTestId('return-task-open').click();
		await expect(this.page).toHaveURL(new RegExp(`/records/${id}`));
	}

	/** 请求持久存储 in the settings. */
	async requestPersist(): Promise<void> {
		await this.requestPersistButton.click();
	}
}
