import { tick } from 'svelte';
import type { CommentSeverity } from '$lib/domain/sync/wire.js';

export type DraftComment = {
	key: number;
	path: string;
	severity: CommentSeverity;
	message: string;
};

/**
 * The comments of a return being written: rows of (field, severity, text). A field's 意见 button
 * adds a row for that field; the decision panel edits and sends them.
 */
export class CommentDraft {
	rows = $state<DraftComment[]>([]);
	#next = 0;

	constructor(initial: readonly { path: string; severity: string; message: string }[] = []) {
		this.reset(initial);
	}

	/** Starts over from `initial` (what the server sent back after a refusal), or one empty row. */
	reset(initial: readonly { path: string; severity: string; message: string }[] = []): void {
		const rows = initial.map((c) => ({
			key: this.#next++,
			path: c.path,
			severity: (c.severity === '建议' ? '建议' : '必须修改') as CommentSeverity,
			message: c.message
		}));
		this.rows = rows.length > 0 ? rows : [this.#row('')];
	}

	#row(path: string): DraftComment {
		return { key: this.#next++, path, severity: '必须修改', message: '' };
	}

	/**
	 * A comment on `path` ('' for the whole record): an empty row of that field if there is one,
	 * else an empty row taken over, else a new row. Focuses its text box.
	 */
	async add(path: string): Promise<void> {
		let row =
			this.rows.find((r) => r.path === path && r.message.trim() === '') ??
			this.rows.find((r) => r.message.trim() === '' && r.path === '');
		if (row) row.path = path;
		else {
			row = this.#row(path);
			this.rows.push(row);
		}
		const key = row.key;
		await tick();
		const box = document.getElementById(`comment-${key}`);
		box?.scrollIntoView({ block: 'center' });
		box?.focus();
	}

	remove(key: number): void {
		this.rows = this.rows.filter((r) => r.key !== key);
		if (this.rows.length === 0) this.rows = [this.#row('')];
	}
}
