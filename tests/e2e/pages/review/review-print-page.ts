import type { Locator, Page } from '@playwright/test';
import { ReviewPage } from './review-page.js';

/** 批量打印登记表 (/review/print): the county and statuses, 开始生成, the job's progress, 下载 PDF. */
export class ReviewPrintPage extends ReviewPage {
	readonly heading: Locator;
	/** The queue's link to this page. */
	readonly link: Locator;
	readonly county: Locator;
	/** "共 n 份登记表", its number in `data-count` */
	readonly count: Locator;
	readonly start: Locator;
	readonly error: Locator;
	/** The job's box: `data-state` is its state. */
	readonly progress: Locator;
	readonly bar: Locator;
	/** 已完成 n / total */
	readonly done: Locator;
	readonly state: Locator;
	readonly cancel: Locator;
	readonly download: Locator;

	constructor(page: Page) {
		super(page);
		this.heading = page.getByRole('heading', { level: 1 });
		this.link = page.getByTestId('batch-print-link');
		this.county = page.getByTestId('batch-county');
		this.count = page.getByTestId('batch-count');
		this.start = page.getByTestId('batch-start');
		this.error = page.getByTestId('batch-error');
		this.progress = page.getByTestId('batch-progress');
		this.bar = this.progress.getByRole('progressbar');
		this.done = page.getByTestId('batch-done');
		this.state = page.getByTestId('batch-state');
		this.cancel = page.getByTestId('batch-cancel');
		this.download = page.getByTestId('batch-download');
	}

	status(status: string): Locator {
		return this.page.getByTestId(`batch-status-${status}`);
	}

	/** The bar's value (percent) and the job's state, read together. */
	async reading(): Promise<{ value: number; state: string; done: string }> {
		const [value, state, done] = await Promise.all([
			this.bar.getAttribute('aria-valuenow'),
			this.progress.getAttribute('data-state'),
			this.done.textContent()
		]);
		return { value: Number(value), state: state ?? '', done: done?.trim() ?? '' };
	}
}
