import type { DeviceStore, StoredRecord } from '$lib/db/index.js';
import type { SurveyRecord } from '$lib/domain/schemas/survey-record.js';
import { nowIso } from '$lib/format.js';
import { finalizeVerdict, refusalText, type FinalizeVerdict } from '$lib/domain/qc/finalize.js';
import type { CountyCollection } from '$lib/domain/geometry/counties.js';
import { checkRecord } from '$lib/records/check.js';
import { answered, type AnswerReply } from '$lib/records/answers.js';
import { mayRevise } from '$lib/records/rules.js';

export type SaveState = 'saved' | 'saving' | 'error';

/** What the editor shows of a row besides its content: local and server bookkeeping. */
export type RowMeta = Omit<StoredRecord, 'record' | 'updatedAt' | 'locationTaken'>;

/**
 * One record being edited. Every change is written to the device database at once: while a
 * write is in flight the next one waits and then writes the latest content, so at most one
 * write is queued and nothing typed waits longer than one write (a few milliseconds).
 * `flush()` resolves when the latest content is on disk (pagehide, visibilitychange, leaving).
 *
 * Writes go through `DeviceStore.updateRecord`: the editor replaces the content and the local
 * state only, so what the sync engine wrote meanwhile (server status, comments) is kept.
 */
/** `finalize` was refused: the QC gate blocks the record (its verdict says why). */
export class FinalizeRefusedError extends Error {
	constructor(readonly verdict: FinalizeVerdict) {
		super(refusalText(verdict));
		this.name = 'FinalizeRefusedError';
	}
}

export type DraftEditorOptions = {
	/** Where the QC check reads the county boundaries (the app's file by default). */
	loadCounties?: () => Promise<CountyCollection>;
};

export class DraftEditor {
	readonly #store: DeviceStore;
	readonly #id: string;
	readonly #options: DraftEditorOptions;
	record: SurveyRecord = $state() as SurveyRecord;
	/** The row's bookkeeping as last read or written (outbox, server status, comments). */
	meta = $state.raw<RowMeta>() as RowMeta;
	saveState = $state<SaveState>('saved');
	savedAt = $state<string | null>(null);
	/** The surveyor has taken the location (not the provisional point). */
	locationTaken = $state(false);
	saveError = $state('');
	#writing: Promise<void> | null = null;
	#dirty = false;

	constructor(store: DeviceStore, row: StoredRecord, options: DraftEditorOptions = {}) {
		this.#store = store;
		this.#options = options;
		this.#id = row.id;
		// eslint-disable-next-line @typescript-eslint/no-unused-vars
		const { record, updatedAt, locationTaken, ...rest } = row;
		this.meta = rest;
		this.record = record;
		this.savedAt = updatedAt;
		this.locationTaken = row.locationTaken;
	}

	get id(): string {
		return this.#id;
	}

	get editable(): boolean {
		return this.meta.localState === 'draft';
	}

	/** A finalized record may be reopened as a draft until the server has acknowledged it. */
	get canReopen(): boolean {
		return this.meta.localState === 'finalized' && this.meta.outbox === 'queued';
	}

	/**
	 * Takes what another writer stored (the sync engine acknowledged or pulled a change). The
	 * content is taken too when this editor has nothing unsaved.
	 */
	refresh(row: StoredRecord): void {
		const { record, updatedAt, locationTaken, ...rest } = row;
		this.meta = rest;
		if (!this.#dirty && !this.#writing) {
			this.record = record;
			this.locationTaken = locationTaken;
			this.savedAt = updatedAt;
		}
	}

	/**
	 * A teammate's record held as sent may be revised on this device (issue 13, `mayRevise`):
	 * `revise` makes it a draft here; finalized, it is pushed as the teammate's revision.
	 */
	get canRevise(): boolean {
		return mayRevise(this.meta);
	}

	async revise(): Promise<void> {
		if (!this.canRevise) return;
		await this.flush();
		await this.#write({ localState: 'draft', outbox: undefined });
	}

	/** Turns a finalized, unsent record back into a draft (it leaves the outbox). */
	async reopen(): Promise<void> {
		if (!this.canReopen) return;
		await this.flush();
		await this.#write({ localState: 'draft', outbox: undefined });
	}

	/** Writes the current content, optionally moving the record to another local state. */
	async #write(move?: Pick<StoredRecord, 'localState' | 'outbox'>): Promise<void> {
		const now = nowIso();
		const record = { ...$state.snapshot(this.record), updatedAt: now } as SurveyRecord;
		const locationTaken = this.locationTaken;
		const stored = await this.#store.updateRecord(this.#id, (row) => {
			const next: StoredRecord = { ...row, locationTaken, record, updatedAt: now };
			if (move) {
				next.localState = move.localState;
				if (move.outbox) next.outbox = move.outbox;
				else delete next.outbox;
			}
			return next;
		});
		if (!stored) throw new Error('记录已不在本机');
		const { record: _r, updatedAt: _u, locationTaken: _l, ...rest } = stored;
		this.meta = rest;
		this.savedAt = now;
	}

	/** Call after every change of `record`. */
	changed(): void {
		this.#dirty = true;
		this.saveState = 'saving';
		if (!this.#writing) this.#writing = this.#drain();
	}

	/**
	 * Answers a reviewer's comment (已修改, or 说明 with a text), or withdraws the answer (null).
	 * Stored like every keystroke; the first answer makes the record schemaVersion 2.
	 */
	answer(commentId: string, reply: AnswerReply | null, text = ''): void {
		const next = answered($state.snapshot(this.record) as SurveyRecord, commentId, reply, text);
		this.record.schemaVersion = next.schemaVersion;
		this.record.answers = next.answers;
		this.changed();
	}

	async #drain(): Promise<void> {
		try {
			while (this.#dirty) {
				this.#dirty = false;
				await this.#write();
			}
			this.saveState = 'saved';
			this.saveError = '';
		} catch (error) {
			this.saveState = 'error';
			this.saveError = (error as Error).message;
		} finally {
			this.#writing = null;
		}
	}

	/** Resolves when everything changed so far is stored. */
	async flush(): Promise<void> {
		if (this.#dirty && !this.#writing) this.#writing = this.#drain();
		while (this.#writing) await this.#writing;
	}

	/**
	 * Marks the record finalized (待上传): it joins the outbox after a last save. Runs the QC
	 * check on what is stored and refuses (FinalizeRefusedError, nothing changed) what the gate
	 * blocks, whatever the screen showed.
	 */
	async finalize(): Promise<void> {
		await this.flush();
		const record = $state.snapshot(this.record) as SurveyRecord;
		const findings = await checkRecord(this.#store, record, this.#options.loadCounties);
		const verdict = finalizeVerdict({
			findings,
			locationTaken: this.locationTaken,
			qcNotes: record.qcNotes
		});
		if (!verdict.ok) throw new FinalizeRefusedError(verdict);
		await this.#write({ localState: 'finalized', outbox: 'queued' });
	}
}
