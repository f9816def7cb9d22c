/**
 * The batch print of a county's registration forms (登记表, issue 14 point 1) as the API and the
 * review page ask for it: who may, which records, in which order, and the PDF as a download.
 */
import { open, type FileHandle } from 'node:fs/promises';
import { countyName, RECORD_STATUSES, type RecordStatus } from '../../domain/codelists/index.js';
import { parseWith, type Issue } from '../../domain/schemas/common.js';
import { chinaDate } from '../../domain/records/drafts.js';
import {
	DEFAULT_PRINT_STATUSES,
	PRINT_MAX_FORMS,
	PrintJobBodySchema,
	type PrintJob
} from '../../domain/sync/wire.js';
import { inScope, type Principal } from '../auth/roles.js';
import type { DataStore } from '../db/store.js';
import { contentDisposition, streamOf } from '../registry/export/index.js';
import type { JobView, PrintItem, PrintJobs } from './jobs.js';

export type PrintOutcome<T> =
	| { ok: true; value: T }
	| {
			ok: false;
			status: 400 | 403 | 404 | 409 | 413 | 422 | 503;
			error: string;
			issues?: Issue[];
			id?: string;
	  };

const NO_JOB = {
	ok: false,
	status: 404,
	error: '没有这个打印任务：它不是您发起的，或已过期（生成的 PDF 保留 1 小时）'
} as const;

/** Batch print is the reviewers': a surveyor gets 403. */
export function reviewersOnly(user: Principal): PrintOutcome<never> | undefined {
	if (user.role !== 'surveyor') return undefined;
	return {
		ok: false,
		status: 403,
		error: `账号 ${user.username} 是调查员账号：批量打印登记表只对审核员开放`
	};
}

/** A record as the batch lists it, before it is ordered. */
export type PrintableRecord = { id: string; siteCode: string | null; name: string | null };

/** Code-unit order, the same on every database and in every locale. */
const compare = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/**
 * The order of the forms: by site code (新发现, which have none yet, after every coded one), then
 * by name, then by record id; each with its bookmark (code and name) and page label.
 */
export function printItems(records: readonly PrintableRecord[]): PrintItem[] {
	return [...records]
		.sort(
			(a, b) =>
				Number(a.siteCode === null) - Number(b.siteCode === null) ||
				compare(a.siteCode ?? '', b.siteCode ?? '') ||
				compare(a.name ?? '', b.name ?? '') ||
				compare(a.id, b.id)
		)
		.map((r) => {
			const name = r.name?.trim() || '（未命名）';
			return {
				id: r.id,
				title: `${r.siteCode ?? '新发现'} ${name}`,
				label: r.siteCode ?? `新发现 ${name}`
			};
		});
}

/** The PDF's title: the county's registration forms and how many. */
export function printTitle(county: string, forms: number): string {
	return `${countyName(county)}不可移动文物登记表（${forms} 份）`;
}

/** The statuses a body names, once each, in workflow order; the default when it names none. */
function statusesOf(named: readonly RecordStatus[] | undefined): RecordStatus[] {
	const set = new Set(named ?? DEFAULT_PRINT_STATUSES);
	return RECORD_STATUSES.filter((s) => set.has(s));
}

const firstIssue = (issues: readonly Issue[]) => {
	const issue = issues[0];
	if (!issue) return '';
	return issue.path ? `${issue.path}：${issue.message}` : issue.message;
};

/**
 * Starts a batch print of `body` (`PrintJobBodySchema`) for `user`, whose session `token` the
 * server's Chromium signs in with. Answers the queued job, or why not: 403 a surveyor or a
 * county outside the user's, 400 a bad body, 503 no Chromium (or the queue is full), 409 the
 * user already has a job waiting or running, 422 no record to print, 413 over PRINT_MAX_FORMS.
 */
export async function startPrintJob(
	deps: { store: DataStore; printJobs: PrintJobs },
	user: Principal,
	token: string | undefined,
	body: unknown
): Promise<PrintOutcome<PrintJob>> {
	const refused = reviewersOnly(user);
	if (refused) return refused;
	const parsed = parseWith(PrintJobBodySchema, body);
	if (!parsed.ok) {
		return {
			ok: false,
			status: 400,
			error: `打印请求不合格（应为 {county, statuses?}）：${firstIssue(parsed.issues)}`,
			issues: parsed.issues
		};
	}
	const { county } = parsed.value;
	if (!inScope(user, county)) {
		return {
			ok: false,
			status: 403,
			error: `账号 ${user.username} 无权打印旗区 ${county}（${countyName(county)}）的登记表`
		};
	}
	const statuses = statusesOf(parsed.value.statuses);
	const unavailable = await deps.printJobs.unavailable();
	if (unavailable || !token) {
		return { ok: false, status: 503, error: unavailable ?? '未能读取登录凭据：请重新登录' };
	}
	const active = deps.printJobs.activeOf(user.id);
	if (active) {
		return {
			ok: false,
			status: 409,
			error: `您已有一个打印任务在${active.state === 'queued' ? '排队' : '生成中'}（${countyName(active.county)}，已完成 ${active.done} / ${active.total}）：请等它完成或取消后再开始新的`,
			id: active.id
		};
	}
	const records = await deps.store.records.printable(county, statuses);
	if (records.length === 0) {
		return {
			ok: false,
			status: 422,
			error: `${countyName(county)}没有处于所选状态的记录：没有可打印的登记表`
		};
	}
	if (records.length > PRINT_MAX_FORMS) {
		return {
			ok: false,
			status: 413,
			error: `所选记录共 ${records.length} 条，一次最多打印 ${PRINT_MAX_FORMS} 份登记表：请少选几种状态，或分批打印`
		};
	}
	if (deps.printJobs.full) {
		return {
			ok: false,
			status: 503,
			error: '服务器上排队的打印任务太多：请过几分钟再试'
		};
	}
	const view = deps.printJobs.enqueue({
		ownerId: user.id,
		token,
		county,
		statuses,
		items: printItems(records),
		title: printTitle(county, records.length)
	});
	return { ok: true, value: publicView(view) };
}

/** The job without what only the server needs. */
export function publicView(view: JobView): PrintJob {
	const { path: _, title: __, ...job } = view;
	return job;
}

/** Job `id` of `user` (404 for anyone else, and once it expired). */
export function readPrintJob(
	printJobs: PrintJobs,
	user: Principal,
	id: string
): PrintOutcome<JobView> {
	const refused = reviewersOnly(user);
	if (refused) return refused;
	const job = printJobs.get(user.id, id);
	return job ? { ok: true, value: job } : NO_JOB;
}

/** Cancels job `id` of `user`, or removes it when it has ended. */
export async function cancelPrintJob(
	printJobs: PrintJobs,
	user: Principal,
	id: string
): Promise<PrintOutcome<PrintJob | null>> {
	const refused = reviewersOnly(user);
	if (refused) return refused;
	const outcome = await printJobs.cancel(user.id, id);
	if (!outcome) return NO_JOB;
	if (outcome === 'removed') return { ok: true, value: null };
	const job = printJobs.get(user.id, id);
	return { ok: true, value: job ? publicView(job) : null };
}

/** The download's file names: Chinese, and ASCII for clients that cannot read that. */
export function pdfFileName(job: Pick<PrintJob, 'county' | 'createdAt'>): {
	name: string;
	ascii: string;
} {
	const day = chinaDate(job.createdAt).replaceAll('-', '');
	return {
		name: `${countyName(job.county)}不可移动文物登记表-${day}.pdf`,
		ascii: `registration-forms-${job.county}-${day}.pdf`
	};
}

/**
 * The PDF of a finished job as a download, streamed from its file (opened here, so a job that
 * expires while the download runs does not cut it); 404 when it is not finished, 409 while it is
 * still being made.
 */
export async function pdfResponse(
	printJobs: PrintJobs,
	user: Principal,
	id: string
): Promise<PrintOutcome<Response>> {
	const found = readPrintJob(printJobs, user, id);
	if (!found.ok) return found;
	const job = found.value;
	if (job.state === 'queued' || job.state === 'running') {
		return {
			ok: false,
			status: 409,
			error: `PDF 还在生成（已完成 ${job.done} / ${job.total}）：完成后再下载`
		};
	}
	if (job.state !== 'done' || !job.path) {
		return {
			ok: false,
			status: 404,
			error:
				job.state === 'failed' ? `这个打印任务失败了：${job.error ?? ''}` : '这个打印任务已取消'
		};
	}
	const file = await open(job.path).catch(() => undefined);
	if (!file) return NO_JOB;
	const { size } = await file.stat();
	const { name, ascii } = pdfFileName(job);
	return {
		ok: true,
		value: new Response(streamOf(fileChunks(file)), {
			headers: {
				'content-type': 'application/pdf',
				'content-length': String(size),
				'content-disposition': contentDisposition(name, ascii),
				'cache-control': 'private, no-store',
				'x-content-type-options': 'nosniff'
			}
		})
	};
}

/** An open file's bytes; the file closes at its end, or when the download is cancelled. */
async function* fileChunks(file: FileHandle): AsyncGenerator<Uint8Array> {
	for await (const chunk of file.createReadStream({ autoClose: true })) yield chunk as Buffer;
}
