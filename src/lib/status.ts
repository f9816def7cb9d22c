import type { DeviceStatus } from './domain/codelists/index.js';

/** One colour per status, the same in the list, on the map and in badges (design brief). */
export const STATUS_COLOR: Record<DeviceStatus, string> = {
	未复查: '#5b6270',
	草稿: '#1d4ed8',
	待上传: '#b45309',
	上传中: '#b45309',
	已送达: '#0f766e',
	审核中: '#0f766e',
	已退回: '#b91c1c',
	冲突: '#7e22ce',
	已通过: '#15803d',
	已公布: '#15803d'
};
