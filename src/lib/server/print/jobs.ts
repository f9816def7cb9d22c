/**
 * Batch print jobs (issue 14 point 1): each job prints a list of registration forms with the
 * server's own Chromium and joins them into one PDF, reporting progress after every form.
 *
 * - One job runs at a time in the process (the others wait in order), so on a small server the
 *   reviewers' pages and the sync stay responsive; a user has at most one job waiting or running.
 * - Jobs live in memory; a finished job's PDF is a file under `DATA_DIR/tmp-print`, removed with
 *   the job `keepMs` after it finished, when its owner deletes it, and when the server closes
 *   (what a stopped server left is removed at the next start).
 */
import { randomUUID } from 'node:crypto';
import { mkdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { CountyCode, RecordStatus } from '../../domain/codelists/index.js';
import type { PrintJob, PrintJobState } from '../../domain/sync/wire.js';
import { PdfJoiner } from './pdf-join.js';
import { chromiumInstalled, FormRenderer, PageError } from './render.js';

export type PrintConfig = {
	/** Where the server's own Chromium opens pages (`loopbackUrl`); unset: no batch print. */
	baseUrl: string | undefined;
	chromiumPath: string;
	/** How long a finished job and its PDF are kept (1 hour by default). */
	keepMs?: number;
};

/** One form of a job: the record, its bookmark and its page label. */
export type PrintItem = { id: string; title: string; label: string };

/** Jobs waiting or running at once, over all users; more are refused until one ends. */
export const MAX_ACTIVE_JOBS = 20;

/** What marks the registration form page (its `<article>`): anything else is not a form. */
const FORM_MARKER = '[data-testid="registration-form"]';

const HOUR_MS = 60 * 60 * 1000;

type Job = {
	id: string;
	ownerId: number;
	county: CountyCode;
	statuses: RecordStatus[];
	items: PrintItem[];
	/** the owner's session token while the job may still print; cleared when it ends */
	token: string;
	title: string;
	state: PrintJobState;
	done: number;
	createdAt: string;
	finishedAt?: string;
	expiresAt?: string;
	error?: string;
	pages?: number;
	bytes?: number;
	/** the PDF (`done` only) */
	path?: string;
	renderer?: FormRenderer | undefined;
	expiry?: NodeJS.Timeout;
};

/** A job as its owner may read it; its PDF's path for the download. */
export type JobView = PrintJob & { path?: string; title: string };

export class PrintJobs {
	readonly dir: string;
	readonly #config: PrintConfig;
	readonly #jobs = new Map<string, Job>();
	readonly #queue: Job[] = [];
	#current: Job | undefined;
	#loop: Promise<void> = Promise.resolve();
	#closing = false;

	constructor(dataDir: string, config: PrintConfig) {
		this.dir = join(dataDir, 'tmp-print');
		this.#config = config;
	}

	/** Removes what a stopped server left (at start, before any job). */
	async sweep(): Promise<void> {
		await rm(this.dir, { recursive: true, force: true });
	}

	/** Why no job can run on this server now (a message for the reviewer), or undefined. */
	async unavailable(): Promise<string | undefined> {
		if (this.#closing) return '服务器正在停止：请稍后再试';
		if (!this.#config.baseUrl) {
			return '本服务器监听的是套接字文件（SOCKET_PATH），无法批量生成 PDF：请设置 PRINT_URL 为服务器自己可以访问的地址';
		}
		if (!(await chromiumInstalled(this.#config.chromiumPath))) {
			return `服务器上没有安装 Chromium（${this.#config.chromiumPath}），无法批量生成 PDF：请管理员执行 apt-get install -y chromium（或设置 CHROMIUM_PATH）后重试`;
		}
		return undefined;
	}

	/** The owner's job that is waiting or running, if any. */
	activeOf(ownerId: number): JobView | undefined {
		for (const job of this.#jobs.values()) {
			if (job.ownerId === ownerId && (job.state === 'queued' || job.state === 'running')) {
				return this.#view(job);
			}
		}
		return undefined;
	}

	/** Whether another job may be queued. */
	get full(): boolean {
		return this.#queue.length + (this.#current ? 1 : 0) >= MAX_ACTIVE_JOBS;
	}

	/** Queues a job; it starts when the jobs before it have ended. */
	enqueue(input: {
		ownerId: number;
		token: string;
		county: CountyCode;
		statuses: RecordStatus[];
		items: PrintItem[];
		title: string;
	}): JobView {
		const job: Job = {
			...input,
			id: randomUUID(),
			state: 'queued',
			done: 0,
			createdAt: new Date().toISOString()
		};
		this.#jobs.set(job.id, job);
		this.#queue.push(job);
		this.#next();
		return this.#view(job);
	}

	/** Job `id` if `ownerId` started it; nobody else learns that it exists. */
	get(ownerId: number, id: string): JobView | undefined {
		const job = this.#jobs.get(id);
		return job && job.ownerId === ownerId ? this.#view(job) : undefined;
	}

	/**
	 * Cancels a job that waits or runs (it stays, `cancelled`, until it expires), or removes an
	 * ended one with its PDF. Returns what became of it; undefined when the owner has no such job.
	 */
	async cancel(ownerId: number, id: string): Promise<'cancelled' | 'removed' | undefined> {
		const job = this.#jobs.get(id);
		if (!job || job.ownerId !== ownerId) return undefined;
		if (job.state === 'queued' || job.state === 'running') {
			const queued = this.#queue.indexOf(job);
			if (queued >= 0) this.#queue.splice(queued, 1);
			const wasQueued = job.state === 'queued';
			job.state = 'cancelled';
			// a page load or print under way ends at once: the run sees the state and stops
			await job.renderer?.close();
			if (wasQueued) this.#ended(job);
			return 'cancelled';
		}
		await this.#forget(job);
		return 'removed';
	}

	/** Stops every job, removes every PDF; no job starts afterwards. */
	async close(): Promise<void> {
		this.#closing = true;
		for (const job of this.#queue.splice(0)) job.state = 'cancelled';
		const current = this.#current;
		if (current) {
			current.state = 'cancelled';
			await current.renderer?.close();
		}
		await this.#loop;
		await Promise.all([...this.#jobs.values()].map((job) => this.#forget(job)));
	}

	#view(job: Job): JobView {
		const ahead = job.state === 'queued' ? this.#queue.indexOf(job) + (this.#current ? 1 : 0) : -1;
		return {
			id: job.id,
			state: job.state,
			county: job.county,
			statuses: job.statuses,
			done: job.done,
			total: job.items.length,
			createdAt: job.createdAt,
			title: job.title,
			...(ahead >= 0 ? { ahead } : {}),
			...(job.finishedAt ? { finishedAt: job.finishedAt } : {}),
			...(job.state === 'done'
				? { pages: job.pages!, bytes: job.bytes!, expiresAt: job.expiresAt!, path: job.path! }
				: {}),
			...(job.state === 'failed' && job.error ? { error: job.error } : {})
		};
	}

	/** Starts the next queued job when none runs. */
	#next(): void {
		if (this.#current || this.#closing) return;
		const job = this.#queue.shift();
		if (!job) return;
		this.#current = job;
		this.#loop = this.#run(job).finally(() => {
			this.#current = undefined;
			this.#next();
		});
	}

	async #run(job: Job): Promise<void> {
		job.state = 'running';
		let joiner: PdfJoiner | undefined;
		let made: { pages: number; bytes: number; path: string } | undefined;
		let error: string | undefined;
		try {
			await mkdir(this.dir, { recursive: true });
			const renderer = await FormRenderer.launch({
				executablePath: this.#config.chromiumPath,
				baseUrl: this.#config.baseUrl!,
				token: job.token
			});
			job.renderer = renderer;
			// cancelled while Chromium started: cancel() found no renderer to close
			if (job.state !== 'running') return;
			joiner = await PdfJoiner.create(join(this.dir, `${job.id}.pdf`));
			const out = joiner;
			const path = (n: number) => `/review/records/${encodeURIComponent(job.items[n]!.id)}/form`;
			// three steps overlap: form n+1 loads in one page while form n prints in the other, and
			// form n-1 is joined meanwhile; one printed form waits at most
			let loading = renderer.load(0, path(0), FORM_MARKER);
			let joining: Promise<void> = Promise.resolve();
			for (const [n, item] of job.items.entries()) {
				await loading;
				if (job.state !== 'running') return;
				loading =
					n + 1 < job.items.length
						? renderer.load(n + 1, path(n + 1), FORM_MARKER)
						: Promise.resolve();
				loading.catch(() => undefined);
				const pdf = await renderer.print(n);
				await joining;
				if (job.state !== 'running') return;
				joining = out.add(pdf, { title: item.title, label: item.label }).then(() => {
					job.done += 1;
				});
				joining.catch(() => undefined);
			}
			await joining;
			if (job.state !== 'running') return;
			await joiner.finish({
				title: job.title,
				creator: '第四次全国文物普查 · 鄂尔多斯市田野数据系统',
				producer: 'Chromium · pdf-lib'
			});
			made = { pages: joiner.pages, bytes: joiner.bytes, path: joiner.path };
		} catch (caught) {
			if (job.state === 'running') {
				error = failure(caught);
				console.error(`print job ${job.id}:`, caught);
			}
		} finally {
			if (!made) await joiner?.abort();
			await job.renderer?.close();
			job.renderer = undefined;
			// the state changes once everything of the run has ended, with the times beside it
			if (job.state === 'running' && made) {
				job.pages = made.pages;
				job.bytes = made.bytes;
				job.path = made.path;
				job.state = 'done';
			} else if (job.state === 'running') {
				job.error = error ?? '生成 PDF 时出错';
				job.state = 'failed';
			} else if (made) {
				await rm(made.path, { force: true });
			}
			this.#ended(job);
		}
	}

	/** An ended job: its token forgotten, the job and its PDF removed after `keepMs`. */
	#ended(job: Job): void {
		job.token = '';
		job.finishedAt = new Date().toISOString();
		const keep = this.#config.keepMs ?? HOUR_MS;
		job.expiresAt = new Date(Date.now() + keep).toISOString();
		job.expiry = setTimeout(() => void this.#forget(job), keep);
		job.expiry.unref();
	}

	async #forget(job: Job): Promise<void> {
		if (job.expiry) clearTimeout(job.expiry);
		this.#jobs.delete(job.id);
		await rm(join(this.dir, `${job.id}.pdf`), { force: true });
	}
}

/** Why a job failed, for the reviewer. */
function failure(error: unknown): string {
	if (error instanceof PageError) return `登记表未能生成：${error.message}`;
	const code = (error as { code?: unknown })?.code;
	if (code === 'ENOSPC') return '服务器磁盘空间不足，PDF 未能写完：请管理员清理空间后重试';
	const message = error instanceof Error ? error.message : String(error);
	if (/executable|launch/i.test(message) && /chrom/i.test(message)) {
		return `服务器上的 Chromium 未能启动：${message.split('\n')[0]!.slice(0, 300)}`;
	}
	return `生成 PDF 时出错：${message.split('\n')[0]!.slice(0, 300)}`;
}
