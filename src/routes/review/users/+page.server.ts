import { error, fail } from '@sveltejs/kit';
import { randomInt } from 'node:crypto';
import type { Actions, PageServerLoad, RequestEvent } from './$types';
import { m } from '$lib/paraglide/messages.js';
import { app } from '$lib/server/instance.js';
import {
	addUser,
	changeUser,
	listUsers,
	MIN_PASSWORD_LENGTH,
	reinstateDevice,
	revokeDevice,
	type AdminOutcome
} from '$lib/server/admin.js';
import type { Principal } from '$lib/server/auth/roles.js';
import type { Issue } from '$lib/domain/schemas/common.js';
import { shortDevice } from '$lib/review/format.js';

/** What every action answers: the page shows it beside the user (or the form) it concerns. */
type UserActionResult = {
	action: 'add' | 'update' | 'disable' | 'enable' | 'password' | 'revoke' | 'reinstate';
	ok: boolean;
	/** The user concerned ('' for a failed add without a username). */
	username: string;
	deviceId?: string;
	/** The confirmation, or what went wrong as a whole. */
	message: string;
	/** Field → message, next to the field. */
	errors?: Record<string, string>;
	/** What was entered, to show again after a refusal (never a password). */
	values?: { username: string; displayName: string; role: string; counties: string[] };
	/** A generated password, shown once. */
	generated?: string;
};

function cityReviewer(event: { locals: App.Locals }): Principal {
	const user = event.locals.user;
	if (!user || user.role !== 'city_reviewer') error(403, m.review_forbidden_users());
	return user;
}

export const load: PageServerLoad = async (event) => {
	const actor = cityReviewer(event);
	const outcome = await listUsers(app().store, actor);
	if (!outcome.ok) error(outcome.status, outcome.error);
	return { users: outcome.value, self: actor.username, minPassword: MIN_PASSWORD_LENGTH };
};

const text = (data: FormData, name: string): string => {
	const value = data.get(name);
	return typeof value === 'string' ? value : '';
};

/** Issues by field: the first message of each top-level path. */
function fieldErrors(issues: Issue[] | undefined): Record<string, string> {
	const errors: Record<string, string> = {};
	for (const issue of issues ?? []) {
		const field = issue.path.split('.')[0] || 'form';
		errors[field] ??= issue.message;
	}
	return errors;
}

function refused(
	outcome: Extract<AdminOutcome<unknown>, { ok: false }>,
	result: Omit<UserActionResult, 'ok' | 'message' | 'errors'>
) {
	if (outcome.status === 403) error(403, outcome.error);
	const errors = fieldErrors(outcome.issues);
	// a taken username belongs beside the username
	if (outcome.status === 409 && result.action === 'add') errors.username ??= outcome.error;
	return fail(outcome.status, {
		...result,
		ok: false,
		message: outcome.error,
		errors
	} satisfies UserActionResult);
}

/** 12 characters without look-alikes (0/O, 1/l/I), in groups of four: easy to read out. */
function generatePassword(): string {
	const alphabet = 'abcdefghjkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789';
	const groups = Array.from({ length: 3 }, () =>
		Array.from({ length: 4 }, () => alphabet[randomInt(alphabet.length)]).join('')
	);
	return groups.join('-');
}

async function formOf(event: RequestEvent) {
	const actor = cityReviewer(event);
	const data = await event.request.formData();
	return { actor, data, username: text(data, 'username').trim() };
}

export const actions: Actions = {
	add: async (event) => {
		const { actor, data, username } = await formOf(event);
		const displayName = text(data, 'displayName').trim();
		const role = text(data, 'role');
		const counties = data.getAll('counties').filter((c): c is string => typeof c === 'string');
		const values = { username, displayName, role, counties };
		const outcome = await addUser(app().store, actor, {
			username,
			role: role || undefined,
			counties,
			...(displayName ? { displayName } : {}),
			password: text(data, 'password')
		});
		if (!outcome.ok) return refused(outcome, { action: 'add', username, values });
		return {
			action: 'add',
			ok: true,
			username: outcome.value.username,
			message: m.review_added({ username: outcome.value.username })
		} satisfies UserActionResult;
	},

	update: async (event) => {
		const { actor, data, username } = await formOf(event);
		const displayName = text(data, 'displayName').trim();
		const role = text(data, 'role');
		const counties = data.getAll('counties').filter((c): c is string => typeof c === 'string');
		const values = { username, displayName, role, counties };
		const outcome = await changeUser(app().store, actor, username, {
			role: role || undefined,
			counties,
			displayName
		});
		if (!outcome.ok) return refused(outcome, { action: 'update', username, values });
		return {
			action: 'update',
			ok: true,
			username,
			message: m.review_updated({ username })
		} satisfies UserActionResult;
	},

	disable: async (event) => {
		const { actor, username } = await formOf(event);
		const outcome = await changeUser(app().store, actor, username, { disabled: true });
		if (!outcome.ok) return refused(outcome, { action: 'disable', username });
		return {
			action: 'disable',
			ok: true,
			username,
			message: m.review_disabled_done({ username, count: outcome.value.endedLogins })
		} satisfies UserActionResult;
	},

	enable: async (event) => {
		const { actor, username } = await formOf(event);
		const outcome = await changeUser(app().store, actor, username, { disabled: false });
		if (!outcome.ok) return refused(outcome, { action: 'enable', username });
		return {
			action: 'enable',
			ok: true,
			username,
			message: m.review_enabled_done({ username })
		} satisfies UserActionResult;
	},

	password: async (event) => {
		const { actor, data, username } = await formOf(event);
		const generate = text(data, 'mode') === 'generate';
		const password = generate ? generatePassword() : text(data, 'password');
		const outcome = await changeUser(app().store, actor, username, { password });
		if (!outcome.ok) return refused(outcome, { action: 'password', username });
		const count = outcome.value.endedLogins;
		return {
			action: 'password',
			ok: true,
			username,
			message: generate
				? m.review_password_generated({ username, count })
				: m.review_password_set({ username, count }),
			...(generate ? { generated: password } : {})
		} satisfies UserActionResult;
	},

	revoke: (event) => deviceAction(event, 'revoke'),
	reinstate: (event) => deviceAction(event, 'reinstate')
};

/** 注销此设备 / 恢复此设备: the same form, the same answer, a different repository call. */
async function deviceAction(event: RequestEvent, action: 'revoke' | 'reinstate') {
	const { actor, data, username } = await formOf(event);
	const deviceId = text(data, 'deviceId');
	const outcome = await (action === 'revoke' ? revokeDevice : reinstateDevice)(
		app().store,
		actor,
		deviceId
	);
	if (!outcome.ok) return refused(outcome, { action, username, deviceId });
	const device = shortDevice(deviceId);
	return {
		action,
		ok: true,
		username,
		deviceId,
		message:
			action === 'revoke' ? m.review_revoked_done({ device }) : m.review_reinstated_done({ device })
	} satisfies UserActionResult;
}
