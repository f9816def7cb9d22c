import type { Locator, Page } from '@playwright/test';
import { ReviewPage } from './review-page.js';

/** One team's card on /review/teams: its name, members, records and buttons. */
export class TeamCard {
	readonly root: Locator;
	readonly name: Locator;
	readonly members: Locator;
	readonly records: Locator;
	readonly queueLink: Locator;
	readonly editButton: Locator;
	readonly deleteButton: Locator;
	readonly deleteConfirm: Locator;
	readonly assignButton: Locator;
	readonly progress: Locator;

	constructor(
		readonly page: Page,
		name: string
	) {
		this.root = page.getByTestId('team').filter({
			has: page.getByTestId('team-name').getByText(name, { exact: true })
		});
		this.name = this.root.getByTestId('team-name');
		this.members = this.root.getByTestId('team-member');
		this.records = this.root.getByTestId('team-records');
		this.queueLink = this.root.getByTestId('team-queue');
		this.editButton = this.root.getByTestId('team-edit');
		this.deleteButton = this.root.getByTestId('team-delete');
		this.deleteConfirm = this.root.getByTestId('team-delete-confirm');
		this.assignButton = this.root.getByTestId('team-assign');
		this.progress = this.root.getByTestId('team-progress');
	}

	/** Opens 分配文物, ticks `townships` and assigns their sites to the team. */
	async assignTownships(townships: readonly string[]): Promise<void> {
		await this.assignButton.click();
		const id = await this.id();
		for (const township of townships)
			await this.page.getByTestId(`assign-township-${id}-${township}`).check();
		await this.page.getByTestId(`assign-submit-${id}`).click();
	}

	/** The team's id, from its card. */
	async id(): Promise<number> {
		return Number(await this.root.getAttribute('data-team-id'));
	}

	async askDelete(): Promise<void> {
		await this.deleteButton.click();
	}

	async confirmDelete(): Promise<void> {
		await this.deleteConfirm.getByTestId('team-delete-submit').click();
	}
}

/** The form of a new team (`new`) or of a team being edited (its id). */
export class TeamFormControl {
	readonly root: Locator;
	readonly name: Locator;
	readonly nameError: Locator;
	readonly error: Locator;
	readonly save: Locator;

	constructor(
		readonly page: Page,
		readonly key: string
	) {
		this.root = page.getByTestId(`team-form-${key}`);
		this.name = page.getByTestId(`team-name-${key}`);
		this.nameError = page.getByTestId(`team-name-error-${key}`);
		this.error = page.getByTestId(`team-error-${key}`);
		this.save = page.getByTestId(`team-save-${key}`);
	}

	member(username: string): Locator {
		return this.page.getByTestId(`team-member-${this.key}-${username}`);
	}

	memberError(username: string): Locator {
		return this.root.getByTestId(`team-member-error-${username}`);
	}

	/** Fills the name and ticks exactly `members` among the offered surveyors. */
	async fill(name: string, members: readonly string[]): Promise<void> {
		await this.name.fill(name);
		const boxes = this.root.locator('input[name="members"]');
		for (const box of await boxes.all()) {
			const username = await box.getAttribute('value');
			await box.setChecked(members.includes(username ?? ''));
		}
	}
}

/** /review/teams: a county's survey teams, a form for a new one, and the county buttons. */
export class ReviewTeamsPage extends ReviewPage {
	readonly heading: Locator;
	readonly navLink: Locator;
	readonly done: Locator;
	readonly summary: Locator;
	readonly teams: Locator;
	readonly newTeam: TeamFormControl;
	/** The review area's error page, instead of the teams. */
	readonly error: Locator;

	constructor(page: Page) {
		super(page);
		this.error = page.getByTestId('review-error');
		this.heading = page.getByRole('heading', { level: 1 });
		this.navLink = page.getByTestId('nav-teams');
		this.done = page.getByTestId('team-done');
		this.summary = page.getByTestId('teams-summary');
		this.teams = page.getByTestId('team');
		this.newTeam = new TeamFormControl(page, 'new');
	}

	async goto(county?: string): Promise<void> {
		await this.page.goto(county ? `/review/teams?county=${county}` : '/review/teams');
	}

	team(name: string): TeamCard {
		return new TeamCard(this.page, name);
	}

	/** The edit form of a team, after its 修改 button. */
	editForm(id: number): TeamFormControl {
		return new TeamFormControl(this.page, String(id));
	}

	countyButton(county: string): Locator {
		return this.page.getByTestId(`teams-county-${county}`);
	}
}
