import type { Locator, Page, Response } from '@playwright/test';
import { ReviewPage } from './review-page.js';

/** A device of a user, with its state and the city reviewer's actions on it. */
export class DeviceCard {
	/** `data-state` is signed-in, blocked, … */
	readonly state: Locator;
	readonly lastSync: Locator;
	readonly reinstateButton: Locator;

	constructor(readonly root: Locator) {
		this.state = root.getByTestId('device-state');
		this.lastSync = root.getByTestId('device-last-sync');
		this.reinstateButton = root.getByTestId('reinstate-device');
	}

	/** 注销设备: the question (the records stay on the device) comes first. */
	async askRevoke(): Promise<void> {
		await this.root.getByTestId('revoke-device').click();
	}

	async confirmRevoke(): Promise<void> {
		await this.root.getByTestId('revoke-device-confirm').click();
	}
}

/** One user's row, with its panels: password, edit, disable and enable, devices. */
export class UserRow {
	readonly role: Locator;
	readonly counties: Locator;
	readonly status: Locator;
	readonly message: Locator;
	readonly passwordError: Locator;
	readonly generatedPassword: Locator;
	readonly nameInput: Locator;

	constructor(readonly root: Locator) {
		this.role = root.getByTestId('user-role');
		this.counties = root.getByTestId('user-counties');
		this.status = root.getByTestId('user-status');
		this.message = root.getByTestId('user-message');
		this.passwordError = root.getByTestId('error-password');
		this.generatedPassword = root.getByTestId('generated-password');
		this.nameInput = root.getByTestId('edit-name');
	}

	/** Sets a new password of one's own, whatever the server answers. */
	async setPassword(password: string): Promise<void> {
		await this.root.getByTestId('reset-password').click();
		await this.root.getByTestId('new-password').fill(password);
		await this.root.getByTestId('set-password').click();
	}

	/** A generated password, shown once. */
	async generatePassword(): Promise<void> {
		await this.root.getByTestId('generate-password').click();
	}

	/** 编辑: opens the row's edit form. */
	async edit(): Promise<void> {
		await this.root.getByTestId('edit-user').click();
	}

	/** A county's checkbox of the edit form. */
	county(code: string): Locator {
		return this.root.getByTestId(`county-${code}`);
	}

	async saveEdit(): Promise<void> {
		await this.root.getByTestId('edit-submit').click();
	}

	/** 停用: the question comes first. */
	async askDisable(): Promise<void> {
		await this.root.getByTestId('disable-user').click();
	}

	async confirmDisable(): Promise<void> {
		await this.root.getByTestId('disable-confirm').click();
	}

	async enable(): Promise<void> {
		await this.root.getByTestId('enable-user').click();
	}

	device(deviceId: string): DeviceCard {
		return new DeviceCard(
			this.root.locator(`[data-testid="device"][data-device-id="${deviceId}"]`)
		);
	}
}

/** The form that adds a user. */
export class AddUserForm {
	readonly root: Locator;
	readonly username: Locator;
	readonly name: Locator;
	readonly password: Locator;
	readonly usernameError: Locator;
	readonly passwordError: Locator;
	readonly countiesError: Locator;

	constructor(private readonly page: Page) {
		this.root = page.locator('form[action="?/add"]');
		this.username = page.getByTestId('add-username');
		this.name = page.getByTestId('add-name');
		this.password = page.getByTestId('add-password');
		this.usernameError = this.root.getByTestId('error-username');
		this.passwordError = this.root.getByTestId('error-password');
		this.countiesError = this.root.getByTestId('error-counties');
	}

	async open(): Promise<void> {
		await this.page.getByTestId('add-user').click();
	}

	async chooseRole(role: 'surveyor' | 'reviewer' | 'city'): Promise<void> {
		await this.root.getByTestId(`role-${role}`).check();
	}

	async chooseCounty(code: string): Promise<void> {
		await this.root.getByTestId(`county-${code}`).check();
	}

	async submit(): Promise<void> {
		await this.page.getByTestId('add-submit').click();
	}
}

/** 用户与设备 (/review/users): the city reviewer's accounts and devices. */
export class ReviewUsersPage extends ReviewPage {
	readonly heading: Locator;
	readonly rows: Locator;
	/** The rows of the seeded demo accounts. */
	readonly demoRows: Locator;
	/** The page's message after an action (the first is the newest). */
	readonly message: Locator;
	readonly error: Locator;
	readonly addForm: AddUserForm;

	constructor(page: Page) {
		super(page);
		this.heading = page.getByRole('heading', { name: '用户与设备' });
		this.rows = page.getByTestId('user-row');
		this.demoRows = this.rows.filter({ has: page.locator('.tag.demo') });
		this.message = page.getByTestId('user-message').first();
		this.error = page.getByTestId('review-error');
		this.addForm = new AddUserForm(page);
	}

	async goto(): Promise<Response | null> {
		return this.page.goto('/review/users');
	}

	row(username: string): UserRow {
		return new UserRow(this.page.locator(`[data-testid="user-row"][data-username="${username}"]`));
	}
}
