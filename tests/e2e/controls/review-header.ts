import type { Locator, Page } from '@playwright/test';

/** The review area's header: who is signed in, the navigation, 退出. */
export class ReviewHeader {
	readonly user: Locator;
	readonly navUsers: Locator;
	readonly navImports: Locator;
	readonly navRegistryImport: Locator;
	readonly demoBanner: Locator;

	constructor(private readonly page: Page) {
		this.user = page.getByTestId('review-user');
		this.navUsers = page.getByTestId('nav-users');
		this.navImports = page.getByTestId('nav-imports');
		this.navRegistryImport = page.getByTestId('nav-registry-import');
		this.demoBanner = page.getByTestId('demo-banner');
	}

	async logout(): Promise<void> {
		await this.page.getByTestId('review-logout').click();
	}
}
