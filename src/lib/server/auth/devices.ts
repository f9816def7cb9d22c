import { chinaDateTime } from '../../review/format.js';
import type { UserRepository } from '../db/users.js';
import type { Principal } from './roles.js';

export type DeviceRefusal = { status: 403 | 409; error: string };

/**
 * Why `user` may not use the device `deviceId`, or undefined when it may (issue 10 point 7).
 *
 * - A device id belongs to the account that first signed in or synced with it: another account
 *   gets `409`, so records of one surveyor never travel under another's name.
 * - A device a city reviewer revoked stays revoked (`403`) until a city reviewer reinstates it.
 */
export async function deviceRefusal(
	users: UserRepository,
	user: Pick<Principal, 'id'>,
	deviceId: string
): Promise<DeviceRefusal | undefined> {
	const binding = await users.deviceBinding(deviceId);
	if (!binding) return undefined;
	if (binding.userId !== user.id) {
		const owner = (await users.byId(binding.userId))?.username ?? '另一个账号';
		return {
			status: 409,
			error: `这台设备已登记在账号 ${owner} 名下，不能换用其他账号。请用 ${owner} 登录；如要换人使用，请先同步或备份本机数据，清除本机数据后再登录。`
		};
	}
	if (binding.revokedAt) {
		return {
			status: 403,
			error: `这台设备已于 ${chinaDateTime(binding.revokedAt)} 被市文物局注销，不能再登录或同步。如设备已找回，请市文物局在「用户与设备」中恢复它`
		};
	}
	return undefined;
}
