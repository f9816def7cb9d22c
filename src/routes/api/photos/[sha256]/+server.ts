import { Readable } from 'node:stream';
import type { RequestEvent } from './$types';
import { app } from '$lib/server/instance.js';
import { endpoint, HttpError, requireSurveyor, requireUser } from '$lib/server/http.js';
import { PhotoStoreError, SHA256_PATTERN } from '$lib/server/photos/store.js';
import { PHOTO_MIME_TYPES, type PhotoMime } from '$lib/domain/schemas/photo.js';
import { PHOTO_MAX_BYTES } from '$lib/domain/sync/limits.js';

async function drain(body: ReadableStream<Uint8Array> | null): Promise<void> {
	if (!body) return;
	const reader = body.getReader();
	while (!(await reader.read()).done) {
		/* discard */
	}
}

function hashOf(event: RequestEvent): string {
	const sha = event.params.sha256;
	if (!SHA256_PATTERN.test(sha)) {
		throw new HttpError(400, '照片地址必须是 64 位小写十六进制的 SHA-256');
	}
	return sha;
}

/** Is it stored? Not scoped: knowing a hash means having the photo (contract §1). */
export const HEAD = endpoint(async (event: RequestEvent) => {
	requireUser(event);
	const stored = await app().photos.has(hashOf(event));
	return new Response(null, { status: stored ? 200 : 404 });
});

/** Stores a photo: streamed to disk, hashed, type-checked, fsynced, renamed into place. */
export const PUT = endpoint(async (event: RequestEvent) => {
	const user = requireSurveyor(event);
	const sha = hashOf(event);
	const type = (event.request.headers.get('content-type') ?? '')
		.split(';')[0]!
		.trim()
		.toLowerCase();
	if (!(PHOTO_MIME_TYPES as readonly string[]).includes(type)) {
		throw new HttpError(400, `照片的 Content-Type 必须是 ${PHOTO_MIME_TYPES.join('、')} 之一`);
	}
	const declared = Number(event.request.headers.get('content-length') ?? NaN);
	if (declared > PHOTO_MAX_BYTES)
		throw new HttpError(413, `照片超过 ${PHOTO_MAX_BYTES / 1024 / 1024} MB 上限`);
	const server = app();
	if (await server.photos.has(sha)) {
		// read and drop the bytes: cancelling the body would destroy the keep-alive socket
		await drain(event.request.body);
		return new Response(null, { status: 200 });
	}
	if (!event.request.body) throw new HttpError(400, '照片内容为空');
	let size: number;
	try {
		size = await server.photoStore.put(
			sha,
			type as PhotoMime,
			event.request.body as unknown as AsyncIterable<Uint8Array>
		);
	} catch (error) {
		if (error instanceof PhotoStoreError) throw new HttpError(error.status, error.message);
		throw error;
	}
	const added = await server.photos.add(sha, size, type, user.id);
	return new Response(null, {
		status: added ? 201 : 200,
		headers: { Location: `/api/photos/${sha}` }
	});
});

/** The bytes, to the uploader and to whoever may read a record that names the photo. */
export const GET = endpoint(async (event: RequestEvent) => {
	const user = requireUser(event);
	const sha = hashOf(event);
	const server = app();
	const photo = await server.photos.get(sha);
	const allowed =
		photo &&
		(photo.uploadedBy === user.id || (await server.records.photoReadable(sha, user.counties)));
	if (!photo || !allowed) throw new HttpError(404, '没有这张照片');
	const stream = Readable.toWeb(server.photoStore.read(sha)) as ReadableStream<Uint8Array>;
	return new Response(stream, {
		headers: {
			'Content-Type': photo.mime,
			'Content-Length': String(photo.size),
			// content-addressed: the bytes under a hash never change
			'Cache-Control': 'private, max-age=31536000, immutable',
			ETag: `"${sha}"`
		}
	});
});
