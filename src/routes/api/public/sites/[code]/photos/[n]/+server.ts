import type { RequestEvent } from './$types';
import { app } from '$lib/server/instance.js';
import { endpoint, HttpError } from '$lib/server/http.js';
import { publicPhoto } from '$lib/server/registry/public/registry.js';

/**
 * Photo `n` of a published site, without EXIF, XMP or any other metadata (contract §5): only the
 * photos of the record the site came from, and only their cleaned bytes.
 */
export const GET = endpoint(async ({ params }: RequestEvent) => {
	const n = Number(params.n);
	const server = app();
	const photo =
		Number.isInteger(n) && n >= 0 && n < 500
			? await publicPhoto(server.store, server.photoStore, params.code, n)
			: undefined;
	if (!photo) throw new HttpError(404, '没有这张公开照片');
	return new Response(photo.bytes as Uint8Array<ArrayBuffer>, {
		headers: {
			'Content-Type': photo.mime,
			'Content-Length': String(photo.bytes.length),
			'Cache-Control': 'public, max-age=3600',
			ETag: photo.etag
		}
	});
});
