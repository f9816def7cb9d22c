import { expect, type Locator, type Page } from '@playwright/test';
import { ConfirmDialog } from '../controls/confirm-dialog.js';
import { DEMO_PASSWORD } from '../accounts.js';
import { FieldPage } from './field-page.js';

/** The field app's /login: the form, or the account card once logged in. */
export class FieldLoginPage extends FieldPage {
	readonly heading: Locator;
	readonly username: Locator;
	readonly password: Locator;
	readonly submitButton: Locator;
	readonly error: Locator;
	readonly accountCard: Locator;
	/** Where the registry comes from: `data-kind` is server or demo. */
	readonly registry: Locator;
	readonly logoutButton: Locator;
	/** 退出登录's question: the unsent records stay. */
	readonly logoutDialog: ConfirmDialog;

	constructor(page: Page) {
		super(page);
		this.heading = page.getByRole('heading', { name: '登录' });
		this.username = page.getByTestId('login-username');
		this.password = page.getByTestId('login-password');
		this.submitButton = page.getByTestId('login-submit');
		this.error = page.getByTestId('login-error');
		this.accountCard = page.getByTestId('account-card');
		this.registry = page.getByTestId('account-registry');
		this.logoutButton = page.getByTestId('logout');
		this.logoutDialog = new ConfirmDialog(
			page.getByRole('alertdialog'),
			page.getByTestId('logout-confirm')
		);
	}

	async goto(): Promise<void> {
		await this.page.goto('/login');
	}

	/** Fills the form and sends it, whatever the server answers. */
	async submit(username: string, password = DEMO_PASSWORD): Promise<void> {
		await this.username.fill(username);
		await this.password.fill(password);
		await this.submitButton.click();
	}

	/** Logs in from /login and waits until the account card and the top bar show the account. */
	async logIn(username: string, password = DEMO_PASSWORD): Promise<void> {
		await this.goto();
		await this.submit(username, password);
		await expect(this.accountCard).toBeVisible();
		await this.topBar.account.filter({ hasText: username }).waitFor();
	}

	/** The device's id, as the account card shows it. */
	async deviceId(): Promise<string | undefined> {
		return (await this.accountCard.locator('dd.mono').textContent())?.trim();
	}

	/** 去工作台. */
	async goHome(): Promise<void> {
		await this.page.getByRole('link', { name: '去工作台' }).click();
	}

	/** 退出登录: asks first, and gives the question. */
	async startLogout(): Promise<ConfirmDialog> {
		await this.logoutButton.click();
		return this.logoutDialog;
	}
}
