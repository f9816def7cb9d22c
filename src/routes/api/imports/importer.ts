import type { RequestEvent } from '@sveltejs/kit';
import type { Principal } from '$lib/server/auth/roles.js';
import { HttpError, requireUser } from '$lib/server/http.js';
import { ImportUploadError, type ImportUploads } from '$lib/server/import-uploads.js';

/** Importing a device's backup is the city's (contract §1: an action outside the role is 403). */
export function requireImporter(event: RequestEvent): Principal {
	const user = requireUser(event);
	if (user.role !== 'city_reviewer') {
		throw new HttpError(403, '只有市文物局审核员可以导入设备备份');
	}
	return user;
}

/** The upload, when it exists and is this user's (another's answers 404, as if absent). */
export async function ownUpload(uploads: ImportUploads, id: string, user: Principal) {
	try {
		const meta = await uploads.meta(id);
		if (meta.userId !== user.id) throw new HttpError(404, '没有这个上传');
		return meta;
	} catch (error) {
		throw asHttp(error);
	}
}

export function asHttp(error: unknown): unknown {
	return error instanceof ImportUploadError ? new HttpError(error.status, error.message) : error;
}
