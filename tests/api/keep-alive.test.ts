/**
 * A refused request must not break the connection it came on: when the server answers without
 * reading the body, the client's next request on the same keep-alive connection would hang until
 * the server's keep-alive timeout and then fail (ECONNRESET). Devices upload photos and push over
 * one connection, so this matters in the field.
 */
import { Agent } from 'node:http';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { TestServer } from './harness.js';
import { FIXTURE_JPEG, sha256Hex, uniqueJpeg } from '../fixtures/builders.js';

let server: TestServer;
let token: string;
let agent: Agent;

beforeAll(async () => {
	server = await TestServer.start();
	token = await server.as('surveyor-150627');
	// one socket, kept alive: every request of a test goes over the same connection
	agent = new Agent({ keepAlive: true, maxSockets: 1 });
});
afterAll(async () => {
	agent?.destroy();
	await server?.stop();
});

/** The refused request, then a follow-up on the same connection that must answer promptly. */
async function refusedThenFollowUp(
	method: string,
	path: string,
	body: Uint8Array | string,
	headers: Record<string, string>,
	status: number,
	withToken = true
) {
	const refused = await server.raw(method, path, {
		token: withToken ? token : undefined,
		body,
		headers,
		agent
	});
	expect(refused.status, refused.text).toBe(status);
	// a connection left waiting for the rest of a refused body would hang here until the test's
	// timeout: the next request on it must simply answer
	const next = await server.raw('GET', '/api/auth/me', { token, agent });
	expect(next.status).toBe(200);
}

const json = { 'content-type': 'application/json' };
const jpeg = { 'content-type': 'image/jpeg' };

it('after PUT of a photo already stored (200)', async () => {
	const bytes = uniqueJpeg();
	await server.uploadPhoto(token, bytes);
	await refusedThenFollowUp('PUT', `/api/photos/${sha256Hex(bytes)}`, bytes, jpeg, 200);
});

it('after PUT with a Content-Type that is not a photo type (400)', async () => {
	await refusedThenFollowUp(
		'PUT',
		`/api/photos/${sha256Hex(FIXTURE_JPEG)}`,
		FIXTURE_JPEG,
		{ 'content-type': 'application/octet-stream' },
		400
	);
});

it('after PUT to a malformed hash (400)', async () => {
	const upper = sha256Hex(FIXTURE_JPEG).toUpperCase();
	await refusedThenFollowUp('PUT', `/api/photos/${upper}`, FIXTURE_JPEG, jpeg, 400);
});

it('after PUT with bytes that do not match the hash (400)', async () => {
	await refusedThenFollowUp('PUT', `/api/photos/${'ab'.repeat(32)}`, uniqueJpeg(), jpeg, 400);
});

it('after a push with a non-JSON Content-Type (400)', async () => {
	await refusedThenFollowUp(
		'POST',
		'/api/sync/push',
		JSON.stringify({ deviceId: 'd', records: [] }),
		{ 'content-type': 'application/xml' },
		400
	);
});

it('after a login with a non-JSON Content-Type (400)', async () => {
	await refusedThenFollowUp(
		'POST',
		'/api/auth/login',
		JSON.stringify({ username: 'city', password: 'x' }),
		{ 'content-type': 'application/xml' },
		400
	);
});

it('after a decision by a surveyor (403)', async () => {
	const site = (await server.sites('150627'))[0]!;
	const { recheckOf } = await import('./harness.js');
	const record = recheckOf(site, await server.uploadPhotos(token, 2));
	expect((await server.pushOne(token, record)).status).toBe('accepted');
	await refusedThenFollowUp(
		'POST',
		`/api/records/${record.id}/decision`,
		JSON.stringify({ decision: 'approve', revision: 1 }),
		json,
		403
	);
});

it('after a push without a login (401)', async () => {
	await refusedThenFollowUp(
		'POST',
		'/api/sync/push',
		JSON.stringify({ deviceId: 'd', records: [] }),
		json,
		401,
		false
	);
});

it('after PUT of a photo without a login (401)', async () => {
	await refusedThenFollowUp(
		'PUT',
		`/api/photos/${sha256Hex(FIXTURE_JPEG)}`,
		FIXTURE_JPEG,
		jpeg,
		401,
		false
	);
});
