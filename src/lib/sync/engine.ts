import type { DeviceStore, StoredPhoto, StoredRecord } from '$lib/db/index.js';
import { isEmpty, parseWith } from '$lib/domain/schemas/common.js';
import { RegisteredSiteSchema } from '$lib/domain/schemas/site.js';
import {
	SURVEY_RECORD_KEYS,
	SurveyRecordSchema,
	type SurveyRecord
} from '$lib/domain/schemas/survey-record.js';
import { withCurrentAnswers } from '$lib/records/answers.js';
import { PHOTO_MIME_TYPES } from '$lib/domain/schemas/photo.js';
import { countyName } from '$lib/domain/codelists/index.js';
import { photoWriteBytes } from '$lib/storage/space.js';
import { isUnsent } from '$lib/backup/format.js';
import { isTeammateCopy } from '$lib/records/rules.js';
import { PUSH_BATCH_BYTES, PUSH_MAX_RECORDS } from '$lib/domain/sync/limits.js';
import { SyncError, type FailureKind, type PhotoMime, type SyncApi } from './api.js';
import type {
	PullChange,
	PushResult,
	RecordChange,
	RegistrySummary,
	WireFinding
} from '$lib/domain/sync/wire.js';

/*
 * The outbox engine: one sync run, in the order the contract needs.
 *
 * 1. For each queued record (oldest change first), its photos MUST be on the server before the
 *    record is pushed: `HEAD` each, `PUT` only those the server answers 404 for. An interrupted
 *    run therefore re-sends only the photos still missing.
 * 2. Records whose photos are all up are pushed in batches (≤ 50 records, ≤ 2 MB of JSON).
 * 3. The pull loop brings review outcomes and registry changes until `more` is false; the
 *    cursor is stored after every page. A record returned to this account that the device does
 *    not hold (a replacement tablet) is fetched with its photos and stored as an editable draft.
 *    With teams (issue 13) the pull sends the roster token the device holds: a teammate's
 *    record the device lacks, or holds as sent at an older revision, is fetched
 *    (`GET /api/records/{id}`) and stored as a copy marked with its author; when the roster
 *    changed, `team.records` lists every teammate record (a teammate who joined late has older
 *    cursors), and the copies as sent of former teammates' records are removed. A teammate's
 *    record holding this surveyor's unsent edits is never replaced nor removed.
 * 4. The registry's own changes since its cursor (or the whole registry when none is stored).
 * 5. A report of the records the device still holds unsent (`POST /api/devices/report`).
 *
 * Local data changes ONLY when the server has answered for it: a record leaves the outbox on
 * `accepted`/`unchanged`, a `conflict` keeps the local content and stores the server's beside
 * it, a `rejected` record stays queued with the server's issues. A failure of the connection,
 * the server or the login ends the run with what was acknowledged so far kept.
 */

export { PUSH_MAX_RECORDS } from '$lib/domain/sync/limits.js';

export type Counter = { done: number; total: number };

export type SyncProgress = {
	phase: 'photos' | 'push' | 'pull' | 'registry';
	records: Counter;
	photos: Counter;
	/** The record whose photos are being uploaded (上传中 n/m). */
	current: ({ recordId: string } & Counter) | null;
};

export type SyncContext = {
	store: DeviceStore;
	api: SyncApi;
	deviceId: string;
	/** The logged-in account; cursors are kept per account. */
	username: string;
	/** The account's counties, for the label of a registry loaded from the server. */
	counties: readonly string[];
	onProgress?: (progress: SyncProgress) => void;
	/** Called with each record row the run changed. */
	onRecord?: (row: StoredRecord) => void;
	/** Called when the registry on the device changed. */
	onRegistry?: () => void;
	/**
	 * Called instead of a first registry download when the account's team has an assignment and
	 * the surveyor has not chosen yet (issue 13), with what each download would bring.
	 */
	onRegistryChoice?: (summary: RegistrySummary) => void;
	/** The bytes of the registry download received so far. */
	onRegistryBytes?: (received: number) => void;
	/** Sites of a downloaded registry stored so far (of `total`). */
	onRegistryStore?: (done: number, total: number) => void;
	/**
	 * Whether a write of `bytes` may start without leaving less than the device's free-space
	 * margin (src/lib/storage/space.ts); asked before a returned record is fetched.
	 */
	checkSpace?: (bytes: number) => Promise<{ ok: boolean }>;
	now?: () => string;
};

export type SyncSummary = {
	accepted: number;
	unchanged: number;
	rejected: number;
	conflicts: number;
	/** Records held back on the device (a photo missing or refused, a record too large). */
	held: number;
	photosUploaded: number;
	changesPulled: number;
	/** Returned records fetched from the server because the device did not hold them. */
	recordsFetched: number;
	/** Teammates' records fetched or refreshed from the server (issue 13). */
	teammateRecords: number;
	sitesUpdated: number;
};

export type SyncOutcome =
	| ({ ok: true } & SyncSummary)
	| ({ ok: false; kind: FailureKind; status: number | null; detail: string } & SyncSummary);

/**
 * The record as it is sent: `baseRevision` is the revision the device last had acknowledged. A
 * record answering a return carries only the answers to that return's comments (an answer to a
 * comment a later return replaced is dropped).
 */
export function wireRecord(row: StoredRecord): SurveyRecord {
	const answering = row.serverStatus === 'returned' || (row.serverComments?.length ?? 0) > 0;
	const record = answering ? withCurrentAnswers(row.record, row.serverComments ?? []) : row.record;
	return { ...record, baseRevision: row.serverRevision ?? 0 };
}

const encoder = new TextEncoder();

export async function runSync(ctx: SyncContext): Promise<SyncOutcome> {
	const now = ctx.now ?? (() => new Date().toISOString());
	const summary: SyncSummary = {
		accepted: 0,
		unchanged: 0,
		rejected: 0,
		conflicts: 0,
		held: 0,
		photosUploaded: 0,
		changesPulled: 0,
		recordsFetched: 0,
		teammateRecords: 0,
		sitesUpdated: 0
	};
	const queued = await ctx.store.queuedRecords();
	const progress: SyncProgress = {
		phase: 'photos',
		records: { done: 0, total: queued.length },
		photos: { done: 0, total: queued.reduce((n, r) => n + uniquePhotos(r.record).length, 0) },
		current: null
	};
	const report = () => ctx.onProgress?.(structuredClone(progress));
	report();

	const changed = async (
		id: string,
		change: (row: StoredRecord) => StoredRecord | undefined
	): Promise<boolean> => {
		let wrote = false;
		const row = await ctx.store.updateRecord(id, (r) => {
			const next = change(r);
			wrote = next !== undefined;
			return next;
		});
		if (row && wrote) ctx.onRecord?.(row);
		return row !== undefined;
	};

	try {
		// --- 1 + 2: photos, then records in batches ---------------------------------------
		let batch: { row: StoredRecord; wire: SurveyRecord; bytes: number }[] = [];
		let batchBytes = 0;
		const flush = async () => {
			if (batch.length === 0) return;
			const sending = batch;
			batch = [];
			batchBytes = 0;
			progress.phase = 'push';
			report();
			await pushBatch(ctx, sending, summary, changed, now);
			progress.records.done += sending.length;
			progress.phase = 'photos';
			report();
		};
		const uploaded = new Set<string>();
		for (const row of queued) {
			const photos = uniquePhotos(row.record);
			progress.current = { recordId: row.id, done: 0, total: photos.length };
			report();
			const problems: { path: string; message: string }[] = [];
			// the record's photo metadata, read once, when the first PUT needs a type
			let metas: Promise<StoredPhoto[]> | undefined;
			const metasOf = () => (metas ??= ctx.store.photosOf(row.id));
			for (const { sha256, index } of photos) {
				if (!uploaded.has(sha256)) {
					const outcome = await uploadPhoto(ctx, sha256, index, metasOf);
					if (typeof outcome === 'object') problems.push(outcome);
					else {
						uploaded.add(sha256);
						if (outcome === 'uploaded') summary.photosUploaded++;
					}
				}
				progress.current.done++;
				progress.photos.done++;
				report();
			}
			progress.current = null;
			if (problems.length) {
				summary.held++;
				progress.records.done++;
				await changed(row.id, (r) => ({ ...r, syncIssues: problems }));
				continue;
			}
			const wire = wireRecord(row);
			const bytes = encoder.encode(JSON.stringify(wire)).length + 1;
			if (bytes > PUSH_BATCH_BYTES) {
				summary.held++;
				progress.records.done++;
				await changed(row.id, (r) => ({
					...r,
					syncIssues: [{ path: '', message: '记录超过 2 MB，无法上传：请减少边界的点数或缩短文字' }]
				}));
				continue;
			}
			if (batch.length >= PUSH_MAX_RECORDS || batchBytes + bytes > PUSH_BATCH_BYTES) await flush();
			batch.push({ row, wire, bytes });
			batchBytes += bytes;
		}
		await flush();
		progress.current = null;

		// --- 3: pull ------------------------------------------------------------------------
		progress.phase = 'pull';
		report();
		summary.changesPulled = await pull(ctx, changed, summary, now);

		// --- 4: the registry's own changes -------------------------------------------------
		progress.phase = 'registry';
		report();
		summary.sitesUpdated += await syncRegistry(ctx, now);

		await reportUnsent(ctx);
		await ctx.store.setSetting('lastSync', { at: now() });
		return { ok: true, ...summary };
	} catch (error) {
		if (error instanceof SyncError) {
			return {
				ok: false,
				kind: error.kind,
				status: error.status,
				detail: error.detail,
				...summary
			};
		}
		throw error;
	}
}

function uniquePhotos(record: SurveyRecord): { sha256: string; index: number }[] {
	const seen = new Set<string>();
	const out: { sha256: string; index: number }[] = [];
	record.photos.forEach((p, index) => {
		if (seen.has(p.sha256)) return;
		seen.add(p.sha256);
		out.push({ sha256: p.sha256, index });
	});
	return out;
}

/**
 * Puts one photo on the server unless it is there. Resolves to what happened, or to a problem
 * of the record (the bytes are missing on the device, the server refuses them); connection,
 * server and login failures throw and end the run.
 */
async function uploadPhoto(
	ctx: SyncContext,
	sha256: string,
	index: number,
	metasOf: () => Promise<StoredPhoto[]>
): Promise<'present' | 'uploaded' | { path: string; message: string }> {
	const label = `照片 Z${String(index + 1).padStart(3, '0')}`;
	// The bytes are looked up while HEAD is on its way, so a PUT follows its HEAD at once.
	const local = Promise.all([ctx.store.photoBlob(sha256), metasOf()]);
	local.catch(() => undefined);
	if (await ctx.api.photoStored(sha256)) return 'present';
	const [blob, metas] = await local;
	if (!blob) {
		return {
			path: `photos.${index}`,
			message: `${label} 的文件不在本机，无法上传：请删除后重新拍摄`
		};
	}
	const meta = metas.find((p) => p.sha256 === sha256);
	const type = [meta?.mimeType, blob.type].find((t): t is PhotoMime =>
		(PHOTO_MIME_TYPES as readonly string[]).includes(t ?? '')
	);
	try {
		await ctx.api.putPhoto(sha256, blob, type ?? 'image/jpeg');
		return 'uploaded';
	} catch (error) {
		if (error instanceof SyncError && error.kind === 'refused') {
			return {
				path: `photos.${index}`,
				message: `服务器拒收${label}（${error.status}）${error.detail ? `：${error.detail}` : ''}`
			};
		}
		throw error;
	}
}

type Sent = { row: StoredRecord; wire: SurveyRecord; bytes: number };
/** Changes a stored record in one transaction; resolves to false when the device has no such row. */
type Changer = (
	id: string,
	change: (row: StoredRecord) => StoredRecord | undefined
) => Promise<boolean>;

async function pushBatch(
	ctx: SyncContext,
	batch: Sent[],
	summary: SyncSummary,
	changed: Changer,
	now: () => string
): Promise<void> {
	let results: PushResult[];
	try {
		results = await ctx.api.push(
			ctx.deviceId,
			batch.map((b) => b.wire)
		);
	} catch (error) {
		// Over a limit after all (the server counts differently): halve the batch and retry.
		if (error instanceof SyncError && error.status === 413) {
			if (batch.length > 1) {
				const half = Math.ceil(batch.length / 2);
				await pushBatch(ctx, batch.slice(0, half), summary, changed, now);
				await pushBatch(ctx, batch.slice(half), summary, changed, now);
				return;
			}
			summary.held++;
			await changed(batch[0]!.row.id, (r) => ({
				...r,
				syncIssues: [{ path: '', message: `服务器认为记录过大，未接收${detail(error)}` }]
			}));
			return;
		}
		throw error;
	}
	for (const [i, sent] of batch.entries()) {
		// One result per record in request order (contract §3); the id must agree.
		const result = results[i];
		if (!result || result.id !== sent.wire.id) {
			throw new SyncError('server', 200, '服务器的推送结果与所发记录对不上');
		}
		await applyResult(result, sent, summary, changed, now);
	}
}

function detail(error: SyncError): string {
	return error.detail ? `：${error.detail}` : '';
}

async function applyResult(
	result: PushResult,
	sent: Sent,
	summary: SyncSummary,
	changed: Changer,
	now: () => string
): Promise<void> {
	const sentAt = sent.wire.updatedAt;
	switch (result.status) {
		case 'accepted':
		case 'unchanged': {
			if (result.status === 'accepted') summary.accepted++;
			else summary.unchanged++;
			await changed(sent.row.id, (row) => {
				const revision = result.revision;
				// `unchanged` writes nothing on the server: the status it had stays (a returned
				// record pushed back without a change is still returned).
				const status =
					result.status === 'unchanged' &&
					row.serverStatus &&
					row.serverRevision !== undefined &&
					row.serverRevision === revision
						? row.serverStatus
						: 'submitted';
				const next: StoredRecord = {
					...row,
					serverStatus: status,
					serverRevision: revision,
					serverFindings: serverFindings(revision, result.findings)
				};
				delete next.conflict;
				// Only the content that was sent leaves the outbox; a newer edit stays queued.
				if (row.record.updatedAt === sentAt) {
					if (row.outbox === 'queued') delete next.outbox;
					next.record = { ...sent.wire, baseRevision: revision };
					if (status === 'returned') {
						next.localState = 'draft';
						next.syncIssues = [
							{
								path: '',
								message: '内容与退回时相同，服务器没有重新提交：请按审核意见修改后再完成'
							}
						];
					} else {
						delete next.serverComments;
						delete next.syncIssues;
					}
				}
				return next;
			});
			return;
		}
		case 'conflict':
			summary.conflicts++;
			await changed(sent.row.id, (row) => ({
				...row,
				outbox: 'conflict',
				conflict: { current: result.current, at: now() }
			}));
			return;
		case 'rejected':
			summary.rejected++;
			await changed(sent.row.id, (row) => ({
				...row,
				syncIssues: result.issues.length
					? result.issues.map((i) => ({ path: i.path, message: i.message }))
					: [{ path: '', message: '服务器拒收，未说明原因' }]
			}));
			return;
	}
}

function isRecordChange(change: PullChange): change is RecordChange {
	return change.type === 'record' && 'revision' in change;
}

/** The server's findings of one revision as the device keeps them: the engine's fields only. */
function serverFindings(
	revision: number,
	findings: readonly WireFinding[]
): NonNullable<StoredRecord['serverFindings']> {
	return {
		revision,
		findings: findings.slice(0, 500).map(({ rule, severity, message, path }) => ({
			rule,
			severity,
			message,
			...(path === undefined ? {} : { path })
		}))
	};
}

/**
 * Applies one review outcome to the local record; an older or known one changes nothing. A
 * change carrying the record's content (a reviewer's correction, issue 12) goes to
 * `applyCorrection`.
 */
export function applyRecordChange(
	row: StoredRecord,
	change: RecordChange,
	now: string
): StoredRecord | undefined {
	const known = row.serverRevision ?? 0;
	if (change.revision < known) return undefined;
	if (change.revision === known && change.status === row.serverStatus) return undefined;
	if (change.record || change.correction) return applyCorrection(row, change, now);
	const next: StoredRecord = {
		...row,
		serverStatus: change.status,
		serverRevision: change.revision
	};
	const comments = change.comments ?? [];
	if (comments.length) next.serverComments = comments;
	else delete next.serverComments;
	// Returned: editable again, unless the device already holds a newer version to send. The
	// row changed on this device now (the backup reminder and the lists count from here). The
	// answers to an earlier return's comments go: they answer comments that are no longer there.
	if (change.status === 'returned' && !row.outbox) {
		next.localState = 'draft';
		next.updatedAt = now;
		next.record = withCurrentAnswers(row.record, comments);
	}
	return next;
}

/** The top-level fields whose values differ between two versions of a record's content. */
function changedFields(before: SurveyRecord, after: SurveyRecord): string[] {
	const same = (a: unknown, b: unknown) =>
		(isEmpty(a) && isEmpty(b)) || JSON.stringify(a) === JSON.stringify(b);
	return SURVEY_RECORD_KEYS.filter(
		(k) => k !== 'updatedAt' && k !== 'baseRevision' && !same(before[k], after[k])
	);
}

/**
 * A reviewer's correction (a `record` change with the corrected content, contract issue 12).
 * The device MUST replace only a record it holds as sent (finalized, nothing in the outbox):
 * the content becomes the server's and its revision the change's. A record with local unsent
 * edits (a draft being fixed, a queued or conflicting version) keeps its content AND its
 * revision, so its next push names the older revision and meets a conflict, which the surveyor
 * resolves field by field. Either way the correction is noted on the row, to be shown.
 */
function applyCorrection(row: StoredRecord, change: RecordChange, now: string): StoredRecord {
	const parsed = change.record ? parseWith(SurveyRecordSchema, change.record) : null;
	const content = parsed?.ok && parsed.value.id === row.id ? parsed.value : null;
	const asSent = row.localState === 'finalized' && !row.outbox;
	const apply = asSent && content !== null;
	const next: StoredRecord = { ...row };
	if (apply) {
		next.record = { ...content, baseRevision: change.revision };
		next.serverRevision = change.revision;
		next.serverStatus = change.status;
		next.updatedAt = now;
	}
	const comments = change.comments ?? [];
	if (comments.length) next.serverComments = comments;
	const noted = (row.serverCorrections ?? []).some((c) => c.revision === change.revision);
	if (change.correction && !noted) {
		const note = {
			by: change.correction.by.slice(0, 200),
			reason: change.correction.reason.slice(0, 20_000),
			revision: change.revision,
			at: change.at.slice(0, 100),
			// what the reviewer changed, known only against the content as sent (a device with
			// local edits cannot tell the reviewer's changes from its own: the conflict shows both)
			fields: apply ? changedFields(row.record, content) : [],
			applied: apply
		};
		next.serverCorrections = [...(row.serverCorrections ?? []), note].slice(-50);
	}
	return next;
}

const SITE_KEYS = Object.keys(RegisteredSiteSchema.shape);

/** A registered site with only the fields the device knows (the server may add others). */
function knownSiteFields(site: Record<string, unknown>): Record<string, unknown> {
	return Object.fromEntries(Object.entries(site).filter(([k]) => SITE_KEYS.includes(k)));
}

async function pull(
	ctx: SyncContext,
	changed: Changer,
	summary: SyncSummary,
	now: () => string
): Promise<number> {
	const stored = await ctx.store.getSetting('syncCursor');
	let cursor = stored?.username === ctx.username ? stored.cursor : undefined;
	const roster = await ctx.store.getSetting('teamRoster');
	let held = roster?.username === ctx.username ? roster : undefined;
	let count = 0;
	for (let page = 0; page < 10_000; page++) {
		const answer = await ctx.api.pull(cursor, held?.token ?? '');
		const sites: Record<string, unknown>[] = [];
		const at = now();
		const team = answer.team;
		const names = new Map(
			(team?.members ?? []).map((m) => [m.username, (m.displayName || m.username).slice(0, 200)])
		);
		/** teammates' records to fetch from the server, by id: their author */
		const wanted = new Map<string, string>();
		for (const change of answer.changes) {
			count++;
			if (isRecordChange(change) && change.author) {
				const row = await ctx.store.getRecord(change.id);
				if (row && change.record && isTeammateCopy(row))
					await changed(change.id, (r) => applyRecordChange(r, change, at));
				else if (teammateNeeds(row, change.revision)) wanted.set(change.id, change.author);
			} else if (isRecordChange(change)) {
				const holds = await changed(change.id, (row) => applyRecordChange(row, change, at));
				if (!holds && change.status === 'returned') {
					const row = await fetchReturned(ctx, change.id, at);
					if (row) {
						summary.recordsFetched++;
						ctx.onRecord?.(row);
					}
				}
			} else if (change.type === 'site' && 'site' in change) {
				sites.push(knownSiteFields(change.site as Record<string, unknown>));
			}
		}
		// the roster changed (joined, left, team deleted): every record of the team now
		for (const entry of team?.records ?? [])
			if (teammateNeeds(await ctx.store.getRecord(entry.id), entry.revision))
				wanted.set(entry.id, entry.author);
		for (const [id, author] of wanted) {
			const row = await fetchTeammate(
				ctx,
				id,
				{ username: author, name: names.get(author) ?? author },
				at
			);
			if (row) {
				summary.teammateRecords++;
				ctx.onRecord?.(row);
			}
		}
		// `team` is absent from a server before issue 13: nothing of teams changes then
		if (team !== undefined && (team?.token ?? '') !== (held?.token ?? '')) {
			await dropFormerTeammates(ctx, new Set(names.keys()));
			held = {
				username: ctx.username,
				token: team?.token ?? '',
				...(team ? { team: team.name.slice(0, 200) } : {}),
				members: [...names].slice(0, 200).map(([username, name]) => ({
					username: username.slice(0, 200),
					name
				}))
			};
			await ctx.store.setSetting('teamRoster', held);
		}
		if (sites.length) {
			summary.sitesUpdated += await ctx.store.putSites(sites);
			ctx.onRegistry?.();
		}
		const moved = answer.cursor !== cursor;
		cursor = answer.cursor;
		await ctx.store.setSetting('syncCursor', { username: ctx.username, cursor });
		// A server that says `more` without moving its cursor would loop forever.
		if (!answer.more || !moved) break;
	}
	return count;
}

/**
 * Whether a teammate's record at `revision` must be fetched: the device does not hold it, or
 * holds a copy as sent of an older revision. A row with this surveyor's unsent edits is never
 * refreshed: its push names the older revision and meets a conflict, resolved field by field.
 */
function teammateNeeds(row: StoredRecord | undefined, revision: number): boolean {
	if (!row) return true;
	return isTeammateCopy(row) && (row.serverRevision ?? 0) < revision;
}

/**
 * The records of former teammates (the author left the team, or the team was deleted; issue
 * 13): a copy as sent goes, since the server holds it and this device may no longer revise it.
 * A record holding this surveyor's unsent edits stays, with a note that its author left: its
 * push is refused (`not_author`) and the surveyor keeps it, or exports it in a backup.
 */
async function dropFormerTeammates(ctx: SyncContext, members: Set<string>): Promise<void> {
	for (const row of await ctx.store.recordsOf('all')) {
		if (!row.teammate || members.has(row.teammate.username)) continue;
		if (!(await ctx.store.dropTeammateCopy(row.id))) continue;
		ctx.onRecord?.(row);
	}
}

/** `GET /api/records/{id}`, or null when the server refuses it (gone, or out of scope). */
async function serverRecord(
	ctx: SyncContext,
	id: string
): Promise<Awaited<ReturnType<SyncContext['api']['record']>> | null> {
	try {
		return await ctx.api.record(id);
	} catch (error) {
		if (error instanceof SyncError && error.kind === 'refused') return null;
		throw error;
	}
}

/**
 * A teammate's record (issue 13), fetched with `GET /api/records/{id}` and stored as a copy as
 * sent, marked with its author: added, or in place of an older copy. Its photos come with it
 * while the device has room for them; without room the record comes alone (its photos stay on
 * the server, which a revision still names, and the run goes on). Resolves to the stored row,
 * or null when nothing was stored (a record this app cannot read, one gone from the server or
 * out of scope, or a row with local edits).
 */
async function fetchTeammate(
	ctx: SyncContext,
	id: string,
	author: { username: string; name: string },
	now: string
): Promise<StoredRecord | null> {
	const answer = await serverRecord(ctx, id);
	if (!answer) return null;
	const parsed = parseWith(SurveyRecordSchema, answer.record);
	if (!parsed.ok || parsed.value.id !== id) return null;
	const record = { ...parsed.value, baseRevision: answer.revision };
	const photos = await fetchPhotos(ctx, id, record, now, 'skip');
	const comments = answer.comments ?? [];
	const row: StoredRecord = {
		id,
		countyCode: record.countyCode,
		kind: record.kind,
		siteCode: record.siteCode || '',
		localState: 'finalized',
		serverStatus: answer.status,
		serverRevision: answer.revision,
		...(comments.length ? { serverComments: comments } : {}),
		serverFindings: serverFindings(answer.revision, answer.findings),
		record,
		teammate: author,
		locationTaken: true,
		createdAt: now,
		updatedAt: now
	};
	return (await ctx.store.storeTeammateCopy(row, photos)) === 'kept' ? null : row;
}

/**
 * A record returned to this account that the device does not hold (a replacement tablet, the
 * app installed again, a record imported from a lost tablet's backup file): fetched with its
 * photos and stored as an editable draft with the reviewer's comments, so it can be fixed here.
 * Only while the server still holds it `returned`: a record that has moved on needs nothing
 * from this device. A photo the server cannot give (or gives damaged) is left out; the record
 * then says so when it is sent again. Resolves to the stored row, or null when nothing was stored.
 */
async function fetchReturned(
	ctx: SyncContext,
	id: string,
	now: string
): Promise<StoredRecord | null> {
	const answer = await serverRecord(ctx, id);
	if (!answer) return null;
	if (answer.status !== 'returned') return null;
	const parsed = parseWith(SurveyRecordSchema, answer.record);
	// A record this version of the app cannot read stays on the server, for a newer app.
	if (!parsed.ok || parsed.value.id !== id) return null;
	const comments = answer.comments ?? [];
	const record = withCurrentAnswers(parsed.value, comments);

	const photos = await fetchPhotos(ctx, id, record, now, 'throw');
	const row: StoredRecord = {
		id,
		countyCode: record.countyCode,
		kind: record.kind,
		siteCode: record.siteCode || '',
		localState: 'draft',
		serverStatus: 'returned',
		serverRevision: answer.revision,
		...(comments.length ? { serverComments: comments } : {}),
		serverFindings: serverFindings(answer.revision, answer.findings),
		record,
		locationTaken: true,
		createdAt: now,
		updatedAt: now
	};
	return (await ctx.store.addRecord(row, photos)) === 'added' ? row : null;
}

/**
 * The photos of a record fetched from the server, those the device holds taken from it. Never a
 * write the device cannot finish: without room for every photo it lacks (at the most a photo
 * can take) the run stops (`throw`: the cursor stays, so the next run fetches it) or the record
 * comes without them (`skip`). A photo the server cannot give, or gives damaged, is left out.
 */
async function fetchPhotos(
	ctx: SyncContext,
	id: string,
	record: SurveyRecord,
	now: string,
	noRoom: 'throw' | 'skip'
): Promise<{ meta: Omit<StoredPhoto, 'key'>; blob: Blob }[]> {
	const wanted = uniquePhotos(record);
	const held = await Promise.all(wanted.map(({ sha256 }) => ctx.store.photoBlob(sha256)));
	const needed = held.filter((b) => !b).length * photoWriteBytes(0) + 64 * 1024;
	if (ctx.checkSpace && !(await ctx.checkSpace(needed)).ok) {
		if (noRoom === 'skip') return [];
		throw new Error(
			`剩余空间不足，无法取回被退回的记录“${record.name || id}”（约需 ${Math.ceil(needed / 1024 / 1024)} MB）：请备份到文件或删除不需要的照片后再同步`
		);
	}

	const { describePhoto, sha256Hex } = await import('$lib/photos/process.js');
	const photos: { meta: Omit<StoredPhoto, 'key'>; blob: Blob }[] = [];
	for (const [i, { sha256, index }] of wanted.entries()) {
		let blob = held[i];
		if (!blob) {
			try {
				blob = await ctx.api.photo(sha256);
			} catch (error) {
				if (error instanceof SyncError && error.kind === 'refused') continue;
				throw error;
			}
			if ((await sha256Hex(blob)) !== sha256) continue;
		}
		let described;
		try {
			described = await describePhoto(blob);
		} catch {
			continue;
		}
		const photo = record.photos[index]!;
		photos.push({
			meta: {
				...photo,
				recordId: id,
				number: index + 1,
				mimeType: described.mimeType,
				bytes: blob.size,
				width: described.width,
				height: described.height,
				...(Object.keys(described.exif).length ? { exif: described.exif } : {}),
				createdAt: photo.takenAt || now
			},
			blob: blob.type === described.mimeType ? blob : new Blob([blob], { type: described.mimeType })
		});
	}
	return photos;
}

/**
 * Tells the server how many records this device holds that it has not acknowledged (drafts,
 * the outbox, conflicts), so a lost tablet's unsent work is known. Informational: a server
 * without the endpoint, or any refusal, changes nothing; a lost connection or login still ends
 * the run like any other call.
 */
async function reportUnsent(ctx: SyncContext): Promise<void> {
	const rows = await ctx.store.recordsOf('all');
	const unsent = rows.filter(isUnsent);
	const oldest = unsent.map((r) => r.updatedAt).sort()[0];
	try {
		await ctx.api.report({
			deviceId: ctx.deviceId,
			unsent: unsent.length,
			...(oldest ? { oldestUnsentAt: oldest } : {})
		});
	} catch (error) {
		if (error instanceof SyncError && error.kind === 'refused') return;
		throw error;
	}
}

/**
 * Brings the registry of the account's counties: only what changed since the stored cursor,
 * or, when the device has none for this account, the whole registry in place of what it holds.
 */
/**
 * Step 4, the registry (issue 13: the county's, or the team's assignment). The scope is the one
 * the surveyor chose (`registryScope`); without a choice, a device that holds this account's
 * registry keeps what it holds, and a first download of an account whose team has an
 * assignment waits for the choice (`onRegistryChoice` hears the sizes; nothing is downloaded).
 * A download replaces the registry on the device (sites only: records and drafts are never
 * touched) when there is no cursor of this account and scope, or the assignment's token differs
 * from the held one; otherwise the changes since the cursor are added. An account whose team
 * has no assignment (`409`) gets the county's registry.
 */
export async function syncRegistry(ctx: SyncContext, now: () => string): Promise<number> {
	const stored = await ctx.store.getSetting('registryCursor');
	const held = stored?.username === ctx.username ? stored : undefined;
	const chosen = await ctx.store.getSetting('registryScope');
	let scope = chosen?.username === ctx.username ? chosen.scope : undefined;
	if (scope === undefined) {
		if (held) scope = held.scope ?? 'county';
		else {
			const summary = await registrySummary(ctx);
			if (summary?.team) {
				ctx.onRegistryChoice?.(summary);
				return 0;
			}
			scope = 'county';
		}
	}
	if (scope === 'team') {
		const since = held?.scope === 'team' ? held.cursor : undefined;
		try {
			let answer = await ctx.api.teamRegistry(since, ctx.onRegistryBytes);
			let full = since === undefined;
			if (!full && answer.assignment.token !== held?.token) {
				// the assignment changed: what the device holds is no longer the team's
				answer = await ctx.api.teamRegistry(undefined, ctx.onRegistryBytes);
				full = true;
			}
			const { assignment } = answer;
			const count = await storeRegistry(ctx, answer.sites, full, now, {
				label: `服务器名录 · ${assignment.teamName}（本队分配）`
			});
			await ctx.store.setSetting('registryCursor', {
				username: ctx.username,
				cursor: answer.cursor,
				scope: 'team',
				token: assignment.token,
				team: {
					id: assignment.teamId,
					name: assignment.teamName.slice(0, 200),
					sites: assignment.sites
				}
			});
			return count;
		} catch (error) {
			if (!(error instanceof SyncError && error.kind === 'refused' && error.status === 409))
				throw error;
			// in no team, or nothing assigned: the county's registry
		}
	}
	const since = held && (held.scope ?? 'county') === 'county' ? held.cursor : undefined;
	const answer = await ctx.api.countyRegistry(since, ctx.onRegistryBytes);
	const count = await storeRegistry(ctx, answer.sites, since === undefined, now, {
		label: `服务器名录 · ${ctx.counties.map(countyName).join('、')}`
	});
	await ctx.store.setSetting('registryCursor', {
		username: ctx.username,
		cursor: answer.cursor,
		scope: 'county'
	});
	return count;
}

/** The sizes of each download; null from a server that has no summary (before issue 13). */
async function registrySummary(ctx: SyncContext): Promise<RegistrySummary | null> {
	try {
		return await ctx.api.registrySummary();
	} catch (error) {
		if (error instanceof SyncError && error.kind === 'refused') return null;
		throw error;
	}
}

async function storeRegistry(
	ctx: SyncContext,
	raw: unknown[],
	full: boolean,
	now: () => string,
	source: { label: string }
): Promise<number> {
	const sites = raw.map((s) => knownSiteFields((s ?? {}) as Record<string, unknown>));
	let count = 0;
	if (full) {
		count = await ctx.store.replaceRegistry(
			sites,
			{ kind: 'server', label: source.label.slice(0, 200), loadedAt: now() },
			ctx.onRegistryStore
		);
		ctx.onRegistry?.();
	} else if (sites.length) {
		count = await ctx.store.putSites(sites);
		ctx.onRegistry?.();
	}
	return count;
}
