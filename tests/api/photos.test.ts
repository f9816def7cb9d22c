/** PUT / HEAD / GET /api/photos/{sha256} (contract §1 and §3). */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { recheckOf, TestServer, type ApiResponse } from './harness.js';
import { FIXTURE_JPEG, PNG_BYTES, sha256Hex, uniqueJpeg } from '../fixtures/builders.js';

let server: TestServer;
let surveyor: string;

beforeAll(async () => {
	server = await TestServer.start();
	surveyor = await server.as('surveyor-150627');
});
afterAll(async () => {
	await server?.stop();
});

const put = (sha: string, body: Uint8Array | string, type: string, token = surveyor) =>
	server.request('PUT', `/api/photos/${sha}`, { token, body, headers: { 'content-type': type } });
const head = (sha: string, token = surveyor) =>
	server.request('HEAD', `/api/photos/${sha}`, { token });

function expectError(response: ApiResponse, status: number) {
	expect(response.status, response.text).toBe(status);
	expect(response.json).toMatchObject({ error: expect.any(String) });
	expect((response.json as { error: string }).error.length).toBeGreaterThan(0);
}

describe('PUT', () => {
	it('stores a photo (201), then answers 200 for the same bytes; HEAD then says 200', async () => {
		const bytes = new Uint8Array(readFileSync('tests/fixtures/photos/site-hangjin-1600x1200.jpg'));
		const sha = sha256Hex(bytes);
		expect((await head(sha)).status).toBe(404);
		const first = await put(sha, bytes, 'image/jpeg');
		expect(first.status).toBe(201);
		expect((await head(sha)).status).toBe(200);
		const again = await put(sha, bytes, 'image/jpeg');
		expect(again.status).toBe(200);
		// another user uploading the same bytes: already stored
		expect((await put(sha, bytes, 'image/jpeg', await server.as('surveyor-150602'))).status).toBe(
			200
		);
		const get = await server.request('GET', `/api/photos/${sha}`, { token: surveyor });
		expect(get.status).toBe(200);
		expect(get.headers.get('content-type')).toBe('image/jpeg');
		expect(Number(get.headers.get('content-length'))).toBe(bytes.length);
	});

	it('gives back exactly the bytes it stored', async () => {
		const bytes = uniqueJpeg();
		const { sha256 } = await server.uploadPhoto(surveyor, bytes);
		const response = await fetch(`${server.url}/api/photos/${sha256}`, {
			headers: { authorization: `Bearer ${surveyor}` }
		});
		const back = new Uint8Array(await response.arrayBuffer());
		expect(sha256Hex(back)).toBe(sha256);
	});

	it('refuses bytes whose SHA-256 differs from the path (400) and stores nothing', async () => {
		const bytes = uniqueJpeg();
		const wrong = sha256Hex(uniqueJpeg());
		const before = await server.snapshot();
		expectError(await put(wrong, bytes, 'image/jpeg'), 400);
		expect((await head(wrong)).status).toBe(404);
		expect((await head(sha256Hex(bytes))).status).toBe(404);
		expect(await server.snapshot()).toEqual(before);
	});

	it.each([
		['PNG bytes as image/jpeg', PNG_BYTES, 'image/jpeg'],
		['text as image/jpeg', new TextEncoder().encode('this is not a photo at all'), 'image/jpeg'],
		['a JPEG as image/png', FIXTURE_JPEG, 'image/png'],
		['a JPEG as image/webp', FIXTURE_JPEG, 'image/webp'],
		['a JPEG as application/octet-stream', FIXTURE_JPEG, 'application/octet-stream'],
		['a JPEG as image/gif', FIXTURE_JPEG, 'image/gif'],
		['an empty body as image/jpeg', new Uint8Array(0), 'image/jpeg']
	])('refuses %s (400) and stores nothing', async (_name, bytes, type) => {
		const sha = sha256Hex(bytes);
		const before = await server.snapshot();
		expectError(await put(sha, bytes, type), 400);
		expect((await head(sha)).status).toBe(404);
		expect(await server.snapshot()).toEqual(before);
	});

	it('refuses Content-Type text/plain (400, with or without an Origin)', async () => {
		const sha = sha256Hex(FIXTURE_JPEG);
		const before = await server.snapshot();
		// as the app's own pages send it: same origin
		const sameOrigin = await server.request('PUT', `/api/photos/${sha}`, {
			token: surveyor,
			body: FIXTURE_JPEG,
			headers: { 'content-type': 'text/plain', origin: server.url }
		});
		expectError(sameOrigin, 400);
		// a device's Bearer request is no cross-site form: without an Origin it is refused for its
		// type all the same (sent on a connection of its own)
		const noOrigin = await server.raw('PUT', `/api/photos/${sha}`, {
			token: surveyor,
			body: FIXTURE_JPEG,
			headers: { 'content-type': 'text/plain' }
		});
		expect(noOrigin.status).toBe(400);
		expect((await head(sha)).status).toBe(404);
		expect(await server.snapshot()).toEqual(before);
	});

	it('refuses a photo over 20 MB (413), declared by Content-Length', async () => {
		const bytes = new Uint8Array(20 * 1024 * 1024 + 1);
		bytes.set(FIXTURE_JPEG.subarray(0, 1024));
		const sha = sha256Hex(bytes);
		const before = await server.snapshot();
		expectError(await put(sha, bytes, 'image/jpeg'), 413);
		expect((await head(sha)).status).toBe(404);
		expect(await server.snapshot()).toEqual(before);
	});

	it('refuses a photo over 20 MB (413) sent in chunks without a length', async () => {
		const total = 21 * 1024 * 1024;
		const chunk = new Uint8Array(1024 * 1024);
		chunk.set(FIXTURE_JPEG.subarray(0, 1024));
		let sent = 0;
		const body = new ReadableStream<Uint8Array>({
			pull(controller) {
				if (sent >= total) return controller.close();
				controller.enqueue(sent === 0 ? chunk : new Uint8Array(1024 * 1024));
				sent += chunk.length;
			}
		});
		const sha = 'cd'.repeat(32);
		const before = await server.snapshot();
		let response: ApiResponse | undefined;
		try {
			response = await server.request('PUT', `/api/photos/${sha}`, {
				token: surveyor,
				body,
				headers: { 'content-type': 'image/jpeg' }
			});
		} catch {
			// the server may close the connection while the client still sends: also a refusal
		}
		if (response) expectError(response, 413);
		expect((await head(sha)).status).toBe(404);
		expect(await server.snapshot()).toEqual(before);
	});

	it('accepts a photo just under the limit', async () => {
		const bytes = new Uint8Array(20 * 1024 * 1024);
		bytes.set(FIXTURE_JPEG.subarray(0, 1024));
		bytes.set(new TextEncoder().encode(String(Date.now())), 2048);
		const result = await server.uploadPhoto(surveyor, bytes);
		expect(result.status).toBe(201);
	});
});

describe('HEAD', () => {
	it('answers 200 for a stored photo and 404 for an unknown hash, to any logged-in user', async () => {
		const { sha256 } = await server.uploadPhoto(surveyor, uniqueJpeg());
		expect((await head(sha256)).status).toBe(200);
		expect((await head(sha256, await server.as('surveyor-150602'))).status).toBe(200);
		expect((await head('0'.repeat(64))).status).toBe(404);
	});
});

describe('GET', () => {
	it('gives the bytes to the uploader and to readers of a record naming the photo, 404 to others', async () => {
		const [panorama, closeUp] = await server.uploadPhotos(surveyor, 2);
		const lonely = (await server.uploadPhoto(surveyor, uniqueJpeg())).sha256;
		const site = (await server.sites('150627'))[0]!;
		const record = recheckOf(site, [panorama!, closeUp!]);
		expect((await server.pushOne(surveyor, record)).status).toBe('accepted');

		const status = async (sha: string, user: string) =>
			(await server.request('GET', `/api/photos/${sha}`, { token: await server.as(user) })).status;

		// the uploader: always, named by a record or not
		expect(await status(panorama!, 'surveyor-150627')).toBe(200);
		expect(await status(lonely, 'surveyor-150627')).toBe(200);
		// readers of the record: the county's reviewer, the city
		expect(await status(panorama!, 'reviewer-150627')).toBe(200);
		expect(await status(closeUp!, 'city')).toBe(200);
		// a surveyor and a reviewer of another county
		const other = await server.request('GET', `/api/photos/${panorama}`, {
			token: await server.as('surveyor-150602')
		});
		expectError(other, 404);
		expect(await status(panorama!, 'reviewer-150602')).toBe(404);
		// a photo no record names: only its uploader
		expect(await status(lonely, 'reviewer-150627')).toBe(404);
		expect(await status(lonely, 'city')).toBe(404);
		// unknown: 404, the same answer
		expectError(
			await server.request('GET', `/api/photos/${'1'.repeat(64)}`, { token: surveyor }),
			404
		);
	});
});
