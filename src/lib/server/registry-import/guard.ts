import type { RequestEvent } from '@sveltejs/kit';
import type { Principal } from '../auth/roles.js';
import { HttpError, requireUser } from '../http.js';
import { REGISTRY_IMPORT_MAX_BYTES } from './read-sheet.js';

/** Importing the registry is the city's (contract §1): anyone else gets 403, whatever the body. */
export function requireRegistryImporter(event: RequestEvent): Principal {
	const user = requireUser(event);
	if (user.role !== 'city_reviewer') {
		throw new HttpError(
			403,
			'只有市文物局审核员可以导入名录和旗区边界：旗区审核员和调查员可以查看名录，但不能导入'
		);
	}
	return user;
}

/** The raw body of an upload, refused early when it declares more than the cap. */
export function uploadBody(event: RequestEvent): AsyncIterable<Uint8Array> {
	const declared = Number(event.request.headers.get('content-length') ?? NaN);
	if (declared > REGISTRY_IMPORT_MAX_BYTES) {
		throw new HttpError(
			413,
			`文件超过 ${REGISTRY_IMPORT_MAX_BYTES / 1024 / 1024} MB 上限：请分成几个文件导入，或删去不需要的列`
		);
	}
	if (!event.request.body) throw new HttpError(400, '请求中没有文件：请把文件内容作为请求体发送');
	return event.request.body as unknown as AsyncIterable<Uint8Array>;
}
