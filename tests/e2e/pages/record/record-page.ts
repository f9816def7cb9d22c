import { expect, type Locator, type Page } from '@playwright/test';
import { ServerFindings } from '../../controls/server-findings.js';
import { Stepper, type Step } from '../../controls/stepper.js';
import { FieldPage } from '../field-page.js';
import {
	BasicStep,
	ChangeStep,
	ConditionStep,
	LocationStep,
	PeopleStep,
	PhotosStep,
	ReviewStep
} from './steps.js';

/** A record's form (/records/{id}): its header, its step bar and its steps. */
export class RecordPage extends FieldPage {
	readonly title: Locator;
	/** The record's one state: `data-status` is the status shown. */
	readonly status: Locator;
	readonly reviewComments: Locator;
	/** The comments' summary on top of the record: 必须修改/建议 counts, a jump per field comment. */
	readonly commentCounts: Locator;
	/** 审核员更正: reviewers' corrections that reached the device. */
	readonly corrections: Locator;
	/** On 检查与完成: the 必须修改 comments not answered yet (a reminder, not a block). */
	readonly unansweredReminder: Locator;
	/** 已保存 / 正在保存: `data-state` is `saved` once everything typed is on the device. */
	readonly saveState: Locator;
	/** The server's QC findings, on top of every step. */
	readonly serverFindings: ServerFindings;
	/** What the page says when something is wrong (a record that is not on the device). */
	readonly alert: Locator;
	readonly stepper: Stepper;
	readonly change: ChangeStep;
	readonly basic: BasicStep;
	readonly location: LocationStep;
	readonly condition: ConditionStep;
	readonly photos: PhotosStep;
	readonly people: PeopleStep;
	readonly review: ReviewStep;
	/** 这是队友 … 登记的记录 (issue 13): shown on a teammate's record. */
	readonly teammateNotice: Locator;

	constructor(page: Page) {
		super(page);
		this.title = page.getByTestId('record-title');
		this.status = page.getByTestId('record-status');
		this.reviewComments = page.getByTestId('review-comments');
		this.commentCounts = page.getByTestId('comment-counts');
		this.corrections = page.getByTestId('corrections');
		this.unansweredReminder = page.getByTestId('unanswered-reminder');
		this.saveState = page.getByTestId('save-state');
		this.serverFindings = new ServerFindings(page.getByTestId('server-findings'));
		this.alert = page.getByRole('alert');
		this.stepper = new Stepper(page);
		this.change = new ChangeStep(page);
		this.basic = new BasicStep(page);
		this.location = new LocationStep(page);
		this.condition = new ConditionStep(page);
		this.photos = new PhotosStep(page);
		this.people = new PeopleStep(page);
		this.review = new ReviewStep(page);
		this.teammateNotice = page.getByTestId('teammate-notice');
	}

	/** The id of the record whose form is open. */
	get id(): string {
		return new URL(this.page.url()).pathname.split('/records/')[1]!;
	}

	/** Opens a record's form, at a step when given. */
	async goto(id: string, step?: Step): Promise<void> {
		await this.page.goto(step ? `/records/${id}?step=${step}` : `/records/${id}`);
	}

	async go(step: Step): Promise<void> {
		await this.stepper.go(step);
	}

	/** A finding of the server's by its rule, wherever it is shown. */
	serverFinding(rule: string): Locator {
		return this.page.locator(`[data-testid="server-finding"][data-rule="${rule}"]`);
	}

	/** Anything on the page about these rules: the device's findings or the server's. */
	findingsOf(...rules: string[]): Locator {
		return this.page.locator(rules.map((rule) => `[data-rule="${rule}"]`).join(', '));
	}

	/** 去修改 of the reviewer's comments. */
	async fixReviewComments(): Promise<void> {
		await this.reviewComments.getByRole('button', { name: '去修改' }).click();
	}

	/** A reviewer's comment by its id, wherever it is shown with its answer (beside its field, or on top). */
	comment(commentId: string): Locator {
		return this.page.locator(`[data-testid="field-comment"][data-comment-id="${commentId}"]`);
	}

	/** 去修改 of one comment in the summary on top: its field, on its step. */
	async jumpToComment(commentId: string): Promise<void> {
		await this.page.getByTestId(`comment-go-${commentId}`).click();
	}

	/** Scrolls the form so a field starts at its top, with the page and the comments at their start. */
	async showField(name: string): Promise<void> {
		await this.page.locator(`[data-field="${name}"]`).evaluate((el) => {
			el.scrollIntoView({ block: 'start' });
			document.querySelector('main')?.scrollTo({ top: 0 });
			document.querySelector('[data-testid="review-comments"]')?.scrollTo({ top: 0 });
		});
	}

	/** Answers a comment 已修改. */
	async answerFixed(commentId: string): Promise<void> {
		await this.page.getByTestId(`answer-fixed-${commentId}`).click();
	}

	/** Answers a comment 说明, with its text. */
	async answerExplain(commentId: string, text: string): Promise<void> {
		await this.page.getByTestId(`answer-explain-${commentId}`).click();
		await this.page.getByTestId(`answer-text-${commentId}`).fill(text);
	}

	/** The answer buttons of a comment: `aria-pressed` says which is chosen. */
	answerButtons(commentId: string): { fixed: Locator; explain: Locator; text: Locator } {
		return {
			fixed: this.page.getByTestId(`answer-fixed-${commentId}`),
			explain: this.page.getByTestId(`answer-explain-${commentId}`),
			text: this.page.getByTestId(`answer-text-${commentId}`)
		};
	}

	/** 修改队友记录: a teammate's record as sent becomes a draft on this tablet. */
	async reviseTeammateRecord(): Promise<void> {
		await this.page.getByTestId('revise-teammate').click();
		await expect(this.page.getByTestId('revise-teammate')).toBeHidden();
	}

	/** A finalized record not yet sent, back to a draft. */
	async reopen(): Promise<void> {
		await this.page.getByTestId('reopen').click();
	}

	async openConflict(): Promise<void> {
		await this.page.getByTestId('open-conflict').click();
	}

	/** 检查与完成: every warning explained (notes already written kept), then 完成. */
	async finish(note = '现场核实，情况属实'): Promise<void> {
		await this.go('review');
		await expect(this.review.summary).toBeVisible();
		await expect(this.review.errors).toHaveCount(0);
		await this.review.explainWarnings(note, { keepExisting: true });
		await this.review.finalize();
		await expect(this.page).not.toHaveURL(/\/records\//);
	}
}
