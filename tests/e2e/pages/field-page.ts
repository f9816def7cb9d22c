import type { Page } from '@playwright/test';
import { TopBar } from '../controls/top-bar.js';

/** A screen of the field app: its top bar and banners are on every one. */
export abstract class FieldPage {
	readonly topBar: TopBar;

	constructor(readonly page: Page) {
		this.topBar = new TopBar(page);
	}
}
