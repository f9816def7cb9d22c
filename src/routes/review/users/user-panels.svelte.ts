import type { SubmitFunction } from '@sveltejs/kit';
import type { ActionData, PageData } from './$types';

export type PanelKind = 'add' | 'edit' | 'password' | 'disable' | 'revoke';
type Panel = { username: string; kind: PanelKind; deviceId?: string };
export type UserView = PageData['users'][number];
/** The answer to the last form sent. */
export type Answer = NonNullable<ActionData>;
export type UserValues = {
	username: string;
	displayName: string;
	role: string;
	counties: string[];
};

/**
 * Which panel of the users page is open and what the last answer says to each form: a refused
 * form stays open with its errors and what was typed; a success closes it.
 */
export class UserPanels {
	// Set by the constructor; declared first because the derived fields below read it.
	#form: () => ActionData = () => null;
	/** What the reviewer opened, or `null` to follow the last answer, or 'none' after a success. */
	#chosen = $state<Panel | 'none' | null>(null);

	constructor(form: () => ActionData) {
		this.#form = form;
	}

	readonly #refused = $derived.by((): Panel | null => {
		const form = this.#form();
		if (!form || form.ok || form.action === 'enable' || form.action === 'reinstate') return null;
		const kind: PanelKind = form.action === 'update' ? 'edit' : form.action;
		return { username: form.username, kind, ...(form.deviceId ? { deviceId: form.deviceId } : {}) };
	});
	readonly #open = $derived(this.#chosen === 'none' ? null : (this.#chosen ?? this.#refused));

	readonly addErrors = $derived.by((): Record<string, string> => {
		const form = this.#form();
		return (form && !form.ok && form.action === 'add' && form.errors) || {};
	});
	/** What the add form shows: what was typed before a refusal, else nothing. */
	readonly addValues = $derived.by((): UserValues => {
		const form = this.#form();
		return form && !form.ok && form.action === 'add' && form.values
			? form.values
			: { username: '', displayName: '', role: 'surveyor', counties: [] };
	});

	isOpen(username: string, kind: PanelKind, deviceId?: string): boolean {
		const open = this.#open;
		if (!open || open.kind !== kind) return false;
		if (kind === 'add') return true;
		return open.username === username && (deviceId === undefined || open.deviceId === deviceId);
	}

	toggled(panel: Panel, isNowOpen: boolean): void {
		if (isNowOpen) this.#chosen = panel;
		else if (this.isOpen(panel.username, panel.kind, panel.deviceId)) this.#chosen = 'none';
	}

	/** Keeps what was typed on a refusal; after a success closes the panel. */
	readonly keep = this.#submitWith(false);
	/** The same, and clears the form after a success. */
	readonly clear = this.#submitWith(true);

	/** The answer that concerns this user (not an add), to show beside it. */
	answerFor(username: string): Answer | null {
		const form = this.#form();
		return form && form.action !== 'add' && form.username === username ? form : null;
	}

	errorsOf(username: string, action: string): Record<string, string> {
		const form = this.#form();
		return (
			(form && !form.ok && form.action === action && form.username === username && form.errors) ||
			{}
		);
	}

	/** What the edit form of a user shows: what was typed before a refusal, else the user. */
	editValues(user: UserView): UserValues {
		const form = this.#form();
		const failed = form && !form.ok && form.action === 'update' && form.username === user.username;
		return failed && form.values
			? form.values
			: {
					username: user.username,
					displayName: user.displayName ?? '',
					role: user.role as string,
					counties: user.counties as string[]
				};
	}

	#submitWith(reset: boolean): SubmitFunction {
		return () =>
			async ({ result, update }) => {
				await update({ reset });
				this.#chosen = result.type === 'success' ? 'none' : null;
			};
	}
}
