import { z } from 'zod';
import { COUNTY_CODES } from '../domain/codelists/index.js';
import type { Issue } from '../domain/schemas/common.js';
import { parseWith } from '../domain/schemas/common.js';
import { hashPassword } from './auth/password.js';
import { ROLES, type Principal } from './auth/roles.js';
import type { DataStore } from './db/store.js';
import type { DeviceRow, UserRow } from './db/users.js';

/** User management by a city reviewer (issue 5): the UI and the API both come through here. */

export const MIN_PASSWORD_LENGTH = 8;
/** What a username may be (the API, the review UI and the command-line tool). */
export const USERNAME_PATTERN = /^[A-Za-z0-9_.-]{2,64}$/;
export const USERNAME_RULE = '用户名只能用字母、数字、_ . -，2–64 个字符';

const password = z
	.string()
	.min(MIN_PASSWORD_LENGTH, `密码至少 ${MIN_PASSWORD_LENGTH} 个字符`)
	.max(200, '密码不能超过 200 个字符');
const counties = z
	.array(z.enum(COUNTY_CODES, { error: '旗区代码不存在' }))
	.max(COUNTY_CODES.length);

export const NewUserSchema = z.strictObject({
	username: z.string().trim().regex(USERNAME_PATTERN, USERNAME_RULE),
	role: z.enum(ROLES, { error: '请选择角色' }),
	counties,
	displayName: z.string().trim().max(100).optional(),
	password
});
export type NewUser = z.infer<typeof NewUserSchema>;

export const UserChangeSchema = z.strictObject({
	role: z.enum(ROLES, { error: '请选择角色' }).optional(),
	counties: counties.optional(),
	displayName: z.string().trim().max(100).optional(),
	disabled: z.boolean().optional(),
	password: password.optional()
});
export type UserChange = z.infer<typeof UserChangeSchema>;

export type AdminOutcome<T> =
	| { ok: true; value: T }
	| { ok: false; status: 400 | 403 | 404 | 409; error: string; issues?: Issue[] };

export type UserWithDevices = UserRow & { devices: DeviceRow[] };

const FORBIDDEN = { ok: false, status: 403, error: '只有市级审核员可以管理用户' } as const;

function mayManage(actor: Principal): boolean {
	return actor.role === 'city_reviewer';
}

/** Surveyors and county reviewers work in at least one county; city reviewers in all. */
function countyRefusal(role: string, counties: readonly string[]): AdminOutcome<never> | null {
	return role !== 'city_reviewer' && counties.length === 0
		? {
				ok: false,
				status: 400,
				error: '调查员和旗区审核员至少要有一个旗区',
				issues: [{ path: 'counties', message: '请选择旗区' }]
			}
		: null;
}

export async function listUsers(
	store: DataStore,
	actor: Principal
): Promise<AdminOutcome<UserWithDevices[]>> {
	if (!mayManage(actor)) return FORBIDDEN;
	return store.read(async ({ users }) => {
		const devices = await users.devicesByUser();
		const list = await users.list();
		return { ok: true, value: list.map((u) => ({ ...u, devices: devices.get(u.id) ?? [] })) };
	});
}

export async function addUser(
	store: DataStore,
	actor: Principal,
	input: unknown
): Promise<AdminOutcome<UserRow>> {
	if (!mayManage(actor)) return FORBIDDEN;
	const parsed = parseWith(NewUserSchema, input);
	if (!parsed.ok)
		return { ok: false, status: 400, error: '新用户的信息不完整或有误', issues: parsed.issues };
	const user = parsed.value;
	const noCounty = countyRefusal(user.role, user.counties);
	if (noCounty) return noCounty;
	const passwordHash = await hashPassword(user.password);
	return store.write(async ({ users }): Promise<AdminOutcome<UserRow>> => {
		if (await users.byUsername(user.username))
			return { ok: false, status: 409, error: `用户名 ${user.username} 已被使用` };
		const created = await users.create({
			username: user.username,
			role: user.role,
			counties: user.counties,
			passwordHash,
			...(user.displayName ? { displayName: user.displayName } : {})
		});
		return { ok: true, value: created };
	});
}

/**
 * Changes a user. A new password or disabling ends every login of the user, so a stolen tablet
 * stops syncing at once.
 */
export async function changeUser(
	store: DataStore,
	actor: Principal,
	username: string,
	input: unknown
): Promise<AdminOutcome<UserRow & { endedLogins: number }>> {
	if (!mayManage(actor)) return FORBIDDEN;
	const parsed = parseWith(UserChangeSchema, input);
	if (!parsed.ok) return { ok: false, status: 400, error: '修改内容有误', issues: parsed.issues };
	const existing = await store.users.byUsername(username);
	if (!existing) return { ok: false, status: 404, error: `没有用户 ${username}` };
	const change = parsed.value;
	if (
		existing.id === actor.id &&
		(change.disabled === true || (change.role && change.role !== 'city_reviewer'))
	) {
		return { ok: false, status: 409, error: '不能停用自己，也不能取消自己的市级审核员角色' };
	}
	const noCounty = countyRefusal(
		change.role ?? existing.role,
		change.counties ?? existing.counties
	);
	if (noCounty) return noCounty;
	const passwordHash = change.password ? await hashPassword(change.password) : undefined;
	// the change and the end of the user's logins together, or neither
	return store.write(async ({ users }) => {
		const updated = (await users.update(existing.id, {
			...(change.role ? { role: change.role } : {}),
			...(change.counties ? { counties: change.counties } : {}),
			...(change.displayName !== undefined ? { displayName: change.displayName || null } : {}),
			...(change.disabled !== undefined ? { disabled: change.disabled } : {}),
			...(passwordHash ? { passwordHash } : {})
		}))!;
		const endedLogins =
			change.password || change.disabled ? await users.revokeUserTokens(existing.id) : 0;
		return { ok: true, value: { ...updated, endedLogins } };
	});
}

/** A city reviewer's action on a device that exists, in one writing transaction. */
async function onDevice<T>(
	store: DataStore,
	actor: Principal,
	deviceId: string,
	act: (tx: DataStore) => Promise<T>
): Promise<AdminOutcome<T>> {
	if (!mayManage(actor)) return FORBIDDEN;
	return store.write(async (tx): Promise<AdminOutcome<T>> => {
		if (!(await tx.users.deviceBinding(deviceId)))
			return { ok: false, status: 404, error: '没有这台设备' };
		return { ok: true, value: await act(tx) };
	});
}

/**
 * Ends every login of one device: it gets 401 on its next sync and keeps its data, and no login
 * on it is accepted until it is reinstated.
 */
export function revokeDevice(
	store: DataStore,
	actor: Principal,
	deviceId: string
): Promise<AdminOutcome<{ ended: number }>> {
	return onDevice(store, actor, deviceId, async ({ users }) => ({
		ended: await users.revokeDevice(deviceId)
	}));
}

/** A revoked device that was found again: its own account may log in on it once more. */
export function reinstateDevice(
	store: DataStore,
	actor: Principal,
	deviceId: string
): Promise<AdminOutcome<{ reinstated: boolean }>> {
	return onDevice(store, actor, deviceId, async ({ users }) => ({
		reinstated: await users.reinstateDevice(deviceId)
	}));
}
