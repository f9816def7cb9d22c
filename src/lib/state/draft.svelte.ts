import type { DeviceStore, StoredRecord } from '$lib/db';
import type { SurveyRecord } from '$lib/domain/schemas/survey-record.js';
import { nowIso } from '$lib/format';

export type SaveState = 'saved' | 'saving' | 'error';

/**
 * One record being edited. Every change is written to the device database at once: while a
 * write is in flight the next one waits and then writes the latest content, so at most one
 * write is queued and nothing typed waits longer than one write (a few milliseconds).
 * `flush()` resolves when the latest content is on disk (pagehide, visibilitychange, leaving).
 */
export class DraftEditor {
	readonly #store: DeviceStore;
	readonly #row: Omit<StoredRecord, 'record' | 'updatedAt' | 'locationTaken'>;
	record: SurveyRecord = $state() as SurveyRecord;
	saveState = $state<SaveState>('saved');
	savedAt = $state<string | null>(null);
	/** The surveyor has taken the location (not the provisional point). */
	locationTaken = $state(false);
	saveError = $state('');
	#writing: Promise<void> | null = null;
	/** Bumped when the local state changes, so `editable` is re-read by the UI. */
	#version = $state(0);
	#dirty = false;

	constructor(store: DeviceStore, row: StoredRecord) {
		this.#store = store;
		// eslint-disable-next-line @typescript-eslint/no-unused-vars
		const { record, updatedAt, locationTaken, ...rest } = row;
		this.#row = rest;
		this.record = record;
		this.savedAt = updatedAt;
		this.locationTaken = row.locationTaken;
	}

	get id(): string {
		return this.#row.id;
	}

	get editable(): boolean {
		void this.#version;
		return this.#row.localState === 'draft';
	}

	/** A finalized record may be reopened as a draft until the server has it. */
	get canReopen(): boolean {
		void this.#version;
		return this.#row.localState === 'finalized' && !this.#row.serverStatus;
	}

	/** Turns a finalized, unsent record back into a draft. */
	async reopen(): Promise<void> {
		if (!this.canReopen) return;
		await this.flush();
		await this.#write('draft');
	}

	/** Writes the current content, optionally moving the record to another local state. */
	async #write(localState = this.#row.localState): Promise<void> {
		const now = nowIso();
		const record = { ...$state.snapshot(this.record), updatedAt: now } as SurveyRecord;
		await this.#store.putRecord({
			...this.#row,
			localState,
			locationTaken: this.locationTaken,
			record,
			updatedAt: now
		});
		if (localState !== this.#row.localState) {
			this.#row.localState = localState;
			this.#version++;
		}
		this.savedAt = now;
	}

	/** Call after every change of `record`. */
	changed(): void {
		this.#dirty = true;
		this.saveState = 'saving';
		if (!this.#writing) this.#writing = this.#drain();
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

	/** Marks the record finalized (待上传) after a last save. */
	async finalize(): Promise<void> {
		await this.flush();
		await this.#write('finalized');
	}
}
