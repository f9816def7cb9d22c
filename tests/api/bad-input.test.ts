/**
 * The bad-input corpus: malformed, mistyped, oversized, out-of-list and path-trick requests to
 * every endpoint that takes input. Each one must be refused — a 4xx with a JSON `{error}`, or a
 * `rejected` result with `issues` inside a 200 push — the server must stay up, and the database
 * and photo store must be exactly as before.
 *
 * Every request goes on a connection of its own and with the path byte for byte as written (no
 * URL normalization on the client side).
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SurveyRecord } from '$lib/domain/schemas/index.js';
import { newFind, recheckOf, TestServer, type ApiResponse } from './harness.js';
import { offset, pushBody, sha256Hex, uniqueJpeg } from '../fixtures/builders.js';

let server: TestServer;
let surveyor: string;
let reviewer: string;
/** A valid 复查 (photos uploaded), never pushed: each case breaks one thing in a copy. */
let recheck: SurveyRecord;
/** A valid 新发现, never pushed. */
let find: SurveyRecord;
/** A pushed record the decision cases aim at. */
let target: SurveyRecord;
let otherCountySite: string;
let photoBytes: Uint8Array;
let baseline: Awaited<ReturnType<TestServer['snapshot']>>;

beforeAll(async () => {
	server = await TestServer.start();
	surveyor = await server.as('surveyor-150627');
	reviewer = await server.as('reviewer-150627');
	const sites = await server.sites('150627');
	otherCountySite = (await server.sites('150602'))[0]!.code;
	recheck = recheckOf(sites[0]!, await server.uploadPhotos(surveyor, 2));
	find = newFind(
		'150627',
		offset(sites[1]!.location, 2500, 0),
		await server.uploadPhotos(surveyor, 2)
	);
	target = recheckOf(sites[2]!, await server.uploadPhotos(surveyor, 2));
	expect((await server.pushOne(surveyor, target)).status).toBe('accepted');
	photoBytes = uniqueJpeg();
	baseline = await server.snapshot();
});
afterAll(async () => {
	await server?.stop();
});

// ---- how cases are sent ----

type Expect = number | 'rejected';
type Case = [name: string, send: () => Promise<ApiResponse>, expected: Expect];

const JSON_TYPE: Record<string, string> = { 'content-type': 'application/json' };

const send = (
	method: string,
	path: string,
	body?: string | Uint8Array,
	headers: Record<string, string> = body === undefined ? {} : JSON_TYPE,
	token: string | undefined = surveyor,
	chunked = false
) =>
	server.raw(method, path, {
		token,
		body,
		// `origin: 'same'` stands for this server's origin (unknown when the table is built)
		headers: headers.origin === 'same' ? { ...headers, origin: server.url } : headers,
		chunked
	});

const pushText = (text: string, headers = JSON_TYPE) =>
	send('POST', '/api/sync/push', text, headers);
const pushRecords = (records: unknown[]) =>
	pushText(JSON.stringify(pushBody('corpus-device', records)));

type Json = Record<string, unknown>;
const obj = (value: unknown) => value as Json;

/** A copy of a base record with one thing broken. */
function broken(base: () => SurveyRecord, change: (r: Json) => void): () => Promise<ApiResponse> {
	return () => {
		const record = structuredClone(base()) as unknown as Json;
		change(record);
		return pushRecords([record]);
	};
}
const brokenRecheck = (change: (r: Json) => void) => broken(() => recheck, change);
const brokenFind = (change: (r: Json) => void) => broken(() => find, change);
/** A record whose JSON text has `"@@"` replaced by `literal` (numbers JSON.stringify cannot write). */
function literal(change: (r: Json) => void, value: string): () => Promise<ApiResponse> {
	return () => {
		const record = structuredClone(recheck) as unknown as Json;
		change(record);
		const text = JSON.stringify(pushBody('corpus-device', [record]));
		return pushText(text.replace('"@@"', value));
	};
}
/** The 复查 with a member spliced into its JSON text (keys JSON.stringify would not write). */
function withKey(member: string): () => Promise<ApiResponse> {
	return () => {
		const text = JSON.stringify(pushBody('corpus-device', [recheck]));
		return pushText(text.replace(/"schemaVersion":(\d)/, `${member},"schemaVersion":$1`));
	};
}
const location = (r: Json) => obj(r.location);
const photo = (r: Json, i = 0) => obj((r.photos as unknown[])[i]);
const boundary = (value: unknown) => brokenRecheck((r) => (r.boundary = value));

const decide =
	(body: unknown, id = () => target.id, token = () => reviewer) =>
	() =>
		send('POST', `/api/records/${id()}/decision`, JSON.stringify(body), JSON_TYPE, token());
const decideText =
	(text: string, headers = JSON_TYPE) =>
	() =>
		send('POST', `/api/records/${target.id}/decision`, text, headers, reviewer);

const login = (body: unknown) => () =>
	send('POST', '/api/auth/login', JSON.stringify(body), JSON_TYPE, undefined);
const loginText =
	(text: string, headers = JSON_TYPE) =>
	() =>
		send('POST', '/api/auth/login', text, headers, undefined);

const putPhoto =
	(rawPath: string, type = 'image/jpeg') =>
	() =>
		send('PUT', `/api/photos/${rawPath}`, photoBytes, { 'content-type': type });
const getPhoto = (rawPath: string) => () => send('GET', `/api/photos/${rawPath}`);

const get =
	(rawPath: string, token = () => reviewer) =>
	() =>
		send('GET', rawPath, undefined, {}, token());

const long = (n: number) => '文'.repeat(n);
const SHA = () => sha256Hex(photoBytes);

// ---- the corpus ----

const envelope: Case[] = [
	['push: broken JSON', () => pushText('{"deviceId": "d", "records": [{'), 400],
	['push: empty body', () => pushText(''), 400],
	[
		'push: a deviceId with a null byte',
		() => pushText(JSON.stringify(pushBody('d\u0000', []))),
		400
	],
	[
		'device report: a deviceId with a null byte',
		() => send('POST', '/api/devices/report', JSON.stringify({ deviceId: 'd\u0000', unsent: 0 })),
		400
	],
	['push: whitespace body', () => pushText('  \n '), 400],
	['push: NaN in JSON', () => pushText('{"deviceId":"d","records":[NaN]}'), 400],
	['push: JSON with a byte-order mark', () => pushText('\uFEFF{"deviceId":"d","records":[]}'), 400],
	[
		'push: not UTF-8 JSON',
		() => send('POST', '/api/sync/push', new Uint8Array([0x7b, 0xff, 0xfe, 0x7d])),
		400
	],
	[
		'push: Content-Type text/plain (same origin)',
		() =>
			pushText(JSON.stringify(pushBody('d', [])), {
				'content-type': 'text/plain',
				origin: 'same'
			}),
		400
	],
	[
		'push: Content-Type application/xml',
		() =>
			pushText(JSON.stringify(pushBody('d', [])), {
				'content-type': 'application/xml'
			}),
		400
	],
	[
		'push: form-encoded (same origin)',
		() =>
			pushText('deviceId=d&records=1', {
				'content-type': 'application/x-www-form-urlencoded',
				origin: 'same'
			}),
		400
	],
	['push: no Content-Type', () => pushText(JSON.stringify(pushBody('d', [])), {}), 400],
	['push: an array instead of an object', () => pushText('[]'), 400],
	['push: null', () => pushText('null'), 400],
	['push: a string', () => pushText('"records"'), 400],
	['push: a number', () => pushText('42'), 400],
	['push: records missing', () => pushText('{"deviceId":"d"}'), 400],
	['push: records an object', () => pushText('{"deviceId":"d","records":{}}'), 400],
	['push: records a string', () => pushText('{"deviceId":"d","records":"[]"}'), 400],
	['push: deviceId missing', () => pushText('{"records":[]}'), 400],
	['push: deviceId empty', () => pushText('{"deviceId":"  ","records":[]}'), 400],
	['push: deviceId a number', () => pushText('{"deviceId":7,"records":[]}'), 400],
	[
		'push: deviceId over 200 characters',
		() => pushText(JSON.stringify(pushBody('d'.repeat(201), []))),
		400
	],
	[
		'push: unknown top-level key',
		() => pushText('{"deviceId":"d","records":[],"force":true}'),
		400
	],
	[
		'push: duplicate key, the last one wrong',
		() => pushText('{"deviceId":"d","records":[],"deviceId":1}'),
		400
	],
	[
		'push: 100 000 nested arrays',
		() => pushText(`{"deviceId":${'['.repeat(100_000)}${']'.repeat(100_000)},"records":[]}`),
		400
	],
	['push: 51 records', () => pushRecords(Array.from({ length: 51 }, () => recheck)), 413],
	[
		'push: over 2 MB (declared)',
		() =>
			pushRecords([
				{ ...recheck, description: long(19_000) },
				...Array.from({ length: 40 }, () => ({ ...recheck, description: long(19_000) }))
			]),
		413
	],
	[
		'push: over 2 MB (chunked, no length)',
		() =>
			send(
				'POST',
				'/api/sync/push',
				JSON.stringify({
					deviceId: 'd',
					records: [{ description: 'x'.repeat(2 * 1024 * 1024 + 10) }]
				}),
				JSON_TYPE,
				surveyor,
				true
			),
		413
	],
	['push: a record that is an array', () => pushRecords([[]]), 'rejected'],
	['push: a record that is null', () => pushRecords([null]), 'rejected'],
	['push: a record that is a string', () => pushRecords(['record']), 'rejected'],
	['push: a record that is a number', () => pushRecords([42]), 'rejected'],
	['push: an empty object', () => pushRecords([{}]), 'rejected']
];

const presence: Case[] = [
	['record: id missing', brokenRecheck((r) => delete r.id), 'rejected'],
	[
		'record: a null byte in the id',
		brokenRecheck((r) => (r.id = `${r.id as string}\u0000`)),
		'rejected'
	],
	[
		'record: a null byte in the name',
		brokenRecheck((r) => (r.name = '朱开沟\u0000遗址')),
		'rejected'
	],
	[
		'record: a null byte in the description',
		brokenRecheck((r) => (r.description = `${(r.description as string) ?? ''}\u0000`)),
		'rejected'
	],
	['record: schemaVersion missing', brokenRecheck((r) => delete r.schemaVersion), 'rejected'],
	['record: kind missing', brokenRecheck((r) => delete r.kind), 'rejected'],
	['record: countyCode missing', brokenRecheck((r) => delete r.countyCode), 'rejected'],
	['record: baseRevision missing', brokenRecheck((r) => delete r.baseRevision), 'rejected'],
	['record: location missing', brokenRecheck((r) => delete r.location), 'rejected'],
	['record: location.lat missing', brokenRecheck((r) => delete location(r).lat), 'rejected'],
	['record: location.source missing', brokenRecheck((r) => delete location(r).source), 'rejected'],
	['record: photos missing', brokenRecheck((r) => delete r.photos), 'rejected'],
	['record: updatedAt missing', brokenRecheck((r) => delete r.updatedAt), 'rejected'],
	['record: location null', brokenRecheck((r) => (r.location = null)), 'rejected'],
	['record: photos null', brokenRecheck((r) => (r.photos = null)), 'rejected'],
	['record: countyCode null', brokenRecheck((r) => (r.countyCode = null)), 'rejected'],
	['record: id empty', brokenRecheck((r) => (r.id = '')), 'rejected'],
	['photo: sha256 missing', brokenRecheck((r) => delete photo(r).sha256), 'rejected'],
	['photo: kind missing', brokenRecheck((r) => delete photo(r, 1).kind), 'rejected'],
	['photo: an empty object', brokenRecheck((r) => ((r.photos as unknown[])[0] = {})), 'rejected'],
	['photo: a string', brokenRecheck((r) => ((r.photos as unknown[])[0] = SHA())), 'rejected']
];

const types: Case[] = [
	['id: a number', brokenRecheck((r) => (r.id = 12345)), 'rejected'],
	['id: not a UUID', brokenRecheck((r) => (r.id = 'record-1')), 'rejected'],
	[
		'id: a UUID v1',
		brokenRecheck((r) => (r.id = 'c232ab00-9414-11ec-b3c8-9f6bdeced846')),
		'rejected'
	],
	['id: path tricks', brokenRecheck((r) => (r.id = '../../survey.sqlite')), 'rejected'],
	['schemaVersion: 3 (unknown)', brokenRecheck((r) => (r.schemaVersion = 3)), 'rejected'],
	[
		'schemaVersion 1 with answers (version 2 only)',
		brokenRecheck((r) => {
			r.schemaVersion = 1;
			r.answers = [{ commentId: '2.1', reply: '已修改' }];
		}),
		'rejected'
	],
	['schemaVersion: "1"', brokenRecheck((r) => (r.schemaVersion = '1')), 'rejected'],
	['schemaVersion: true', brokenRecheck((r) => (r.schemaVersion = true)), 'rejected'],
	['baseRevision: -1', brokenRecheck((r) => (r.baseRevision = -1)), 'rejected'],
	['baseRevision: 1.5', brokenRecheck((r) => (r.baseRevision = 1.5)), 'rejected'],
	['baseRevision: "0"', brokenRecheck((r) => (r.baseRevision = '0')), 'rejected'],
	[
		'baseRevision: 2^53 + 1',
		literal((r) => (r.baseRevision = '@@'), '9007199254740993'),
		'rejected'
	],
	['baseRevision: 1e400 (Infinity)', literal((r) => (r.baseRevision = '@@'), '1e400'), 'rejected'],
	['areaM2: 1e400 (Infinity)', literal((r) => (r.areaM2 = '@@'), '1e400'), 'rejected'],
	['areaM2: -1e400', literal((r) => (r.areaM2 = '@@'), '-1e400'), 'rejected'],
	['areaM2: 1e11 (over the limit)', brokenRecheck((r) => (r.areaM2 = 1e11)), 'rejected'],
	['areaM2: negative', brokenRecheck((r) => (r.areaM2 = -5)), 'rejected'],
	['areaM2: a string', brokenRecheck((r) => (r.areaM2 = '10000')), 'rejected'],
	['name: a number', brokenRecheck((r) => (r.name = 42)), 'rejected'],
	['township: a boolean', brokenRecheck((r) => (r.township = true)), 'rejected'],
	['address: an object', brokenRecheck((r) => (r.address = { text: 'x' })), 'rejected'],
	['description: an array', brokenRecheck((r) => (r.description = ['简介'])), 'rejected'],
	['usage: a string instead of a list', brokenRecheck((r) => (r.usage = '无人使用')), 'rejected'],
	['threats: an object', brokenRecheck((r) => (r.threats = { 0: '农耕' })), 'rejected'],
	['threats: a number in the list', brokenRecheck((r) => (r.threats = [1])), 'rejected'],
	['surveyors: a string', brokenRecheck((r) => (r.surveyors = '张三')), 'rejected'],
	['surveyors: null in the list', brokenRecheck((r) => (r.surveyors = [null])), 'rejected'],
	[
		'surveyors: 51 names',
		brokenRecheck((r) => (r.surveyors = Array.from({ length: 51 }, (_, i) => `人${i}`))),
		'rejected'
	],
	['photos: an object', brokenRecheck((r) => (r.photos = {})), 'rejected'],
	[
		'photos: 501 entries',
		brokenRecheck((r) => (r.photos = Array.from({ length: 501 }, () => photo(r)))),
		'rejected'
	],
	['location: an array', brokenRecheck((r) => (r.location = [39.3, 109.7])), 'rejected'],
	['location.lat: a string', brokenRecheck((r) => (location(r).lat = '39.3')), 'rejected'],
	['location.accuracyM: negative', brokenRecheck((r) => (location(r).accuracyM = -1)), 'rejected'],
	['location.samples: 0', brokenRecheck((r) => (location(r).samples = 0)), 'rejected'],
	['location.samples: 2.5', brokenRecheck((r) => (location(r).samples = 2.5)), 'rejected'],
	['location.altitude: 1e6', brokenRecheck((r) => (location(r).altitude = 1e6)), 'rejected'],
	['qcNotes: a string', brokenRecheck((r) => (r.qcNotes = 'LOC-003')), 'rejected'],
	[
		'qcNotes: a malformed rule',
		brokenRecheck((r) => (r.qcNotes = [{ rule: 'loc3', note: 'x' }])),
		'rejected'
	],
	[
		'qcNotes: a note without a rule',
		brokenRecheck((r) => (r.qcNotes = [{ note: 'x' }])),
		'rejected'
	],
	['photo: sha256 a number', brokenRecheck((r) => (photo(r).sha256 = 1234)), 'rejected'],
	['photo: lat a string', brokenRecheck((r) => (photo(r).lat = '39.3')), 'rejected']
];

const codeLists: Case[] = [
	['kind: not 复查 or 新发现', brokenRecheck((r) => (r.kind = '普查')), 'rejected'],
	['countyCode: not an Ordos county', brokenRecheck((r) => (r.countyCode = '150699')), 'rejected'],
	['countyCode: a number', brokenRecheck((r) => (r.countyCode = 150627)), 'rejected'],
	['category: the alias 古遗址', brokenRecheck((r) => (r.category = '古遗址')), 'rejected'],
	['category: a trailing space', brokenRecheck((r) => (r.category = '古文化遗址 ')), 'rejected'],
	['subcategory: unknown', brokenRecheck((r) => (r.subcategory = '烽火台')), 'rejected'],
	['eraGroup: an era instead of a group', brokenRecheck((r) => (r.eraGroup = '明')), 'rejected'],
	[
		'protectionLevel: the short form',
		brokenRecheck((r) => (r.protectionLevel = '国保')),
		'rejected'
	],
	['ownership: unknown', brokenRecheck((r) => (r.ownership = '公有')), 'rejected'],
	['usage: unknown value', brokenRecheck((r) => (r.usage = ['旅游'])), 'rejected'],
	['industry: unknown', brokenRecheck((r) => (r.industry = '旅游业')), 'rejected'],
	['specialLists: unknown', brokenRecheck((r) => (r.specialLists = ['世界遗产名录X'])), 'rejected'],
	['condition: unknown', brokenRecheck((r) => (r.condition = '很好')), 'rejected'],
	['openStatus: unknown', brokenRecheck((r) => (r.openStatus = '部分开放')), 'rejected'],
	['threats: unknown', brokenRecheck((r) => (r.threats = ['地震X'])), 'rejected'],
	['changeType: unknown', brokenRecheck((r) => (r.changeType = '修缮')), 'rejected'],
	['location.source: gps', brokenRecheck((r) => (location(r).source = 'gps')), 'rejected'],
	['photo: kind unknown', brokenRecheck((r) => (photo(r).kind = '自拍')), 'rejected'],
	['photo: direction unknown', brokenRecheck((r) => (photo(r).direction = '东')), 'rejected']
];

const lengths: Case[] = [
	['name: 201 characters', brokenRecheck((r) => (r.name = long(201))), 'rejected'],
	['township: 201 characters', brokenRecheck((r) => (r.township = long(201))), 'rejected'],
	['era: 201 characters', brokenRecheck((r) => (r.era = long(201))), 'rejected'],
	[
		'surveyors: a name of 201 characters',
		brokenRecheck((r) => (r.surveyors = [long(201)])),
		'rejected'
	],
	[
		'photo: photographer of 201 characters',
		brokenRecheck((r) => (photo(r).photographer = long(201))),
		'rejected'
	],
	[
		'description: 20 001 characters',
		brokenRecheck((r) => (r.description = long(20_001))),
		'rejected'
	],
	['address: 20 001 characters', brokenRecheck((r) => (r.address = long(20_001))), 'rejected'],
	['usageNote: 20 001 characters', brokenRecheck((r) => (r.usageNote = long(20_001))), 'rejected'],
	[
		'qcNotes: a note of 20 001 characters',
		brokenRecheck((r) => (r.qcNotes = [{ rule: 'LOC-003', note: long(20_001) }])),
		'rejected'
	],
	[
		'photo: caption of 20 001 characters',
		brokenRecheck((r) => (photo(r).caption = long(20_001))),
		'rejected'
	]
];

const shape: Case[] = [
	['unknown top-level key', brokenRecheck((r) => (r.extra = 1)), 'rejected'],
	['a status set by the client', brokenRecheck((r) => (r.status = 'accepted')), 'rejected'],
	['a revision set by the client', brokenRecheck((r) => (r.revision = 9)), 'rejected'],
	['a key differing only in case', brokenRecheck((r) => (r.Name = 'x')), 'rejected'],
	['a __proto__ key', withKey('"__proto__":{"status":"accepted"}'), 'rejected'],
	['a constructor key', withKey('"constructor":{"name":"x"}'), 'rejected'],
	['unknown key in location', brokenRecheck((r) => (location(r).datum = 'GCJ-02')), 'rejected'],
	['unknown key in a photo', brokenRecheck((r) => (photo(r).url = 'http://x')), 'rejected'],
	['新发现 with siteCode', brokenFind((r) => (r.siteCode = '150627-0001')), 'rejected'],
	['新发现 with changeType', brokenFind((r) => (r.changeType = '无变更')), 'rejected'],
	['新发现 with lostReason', brokenFind((r) => (r.lostReason = '被毁')), 'rejected'],
	['复查 without siteCode', brokenRecheck((r) => delete r.siteCode), 'rejected'],
	['复查 with an empty siteCode', brokenRecheck((r) => (r.siteCode = '')), 'rejected'],
	['复查 with a malformed siteCode', brokenRecheck((r) => (r.siteCode = '150627-42')), 'rejected'],
	['复查 of an unregistered site', brokenRecheck((r) => (r.siteCode = '150627-9999')), 'rejected'],
	[
		'复查 of a site of another county',
		brokenRecheck((r) => (r.siteCode = otherCountySite)),
		'rejected'
	],
	['a county outside the user’s list', brokenFind((r) => (r.countyCode = '150602')), 'rejected'],
	['a photo the server lacks', brokenRecheck((r) => (photo(r).sha256 = 'f'.repeat(64))), 'rejected']
];

const datesAndPlaces: Case[] = [
	['surveyedOn: 2025-02-30', brokenRecheck((r) => (r.surveyedOn = '2025-02-30')), 'rejected'],
	['surveyedOn: 2025-13-01', brokenRecheck((r) => (r.surveyedOn = '2025-13-01')), 'rejected'],
	['surveyedOn: 2025/06/02', brokenRecheck((r) => (r.surveyedOn = '2025/06/02')), 'rejected'],
	['surveyedOn: 2025-6-2', brokenRecheck((r) => (r.surveyedOn = '2025-6-2')), 'rejected'],
	[
		'surveyedOn: a date-time',
		brokenRecheck((r) => (r.surveyedOn = '2025-06-02T00:00:00Z')),
		'rejected'
	],
	['updatedAt: no offset', brokenRecheck((r) => (r.updatedAt = '2025-06-02T10:00:00')), 'rejected'],
	[
		'updatedAt: a space instead of T',
		brokenRecheck((r) => (r.updatedAt = '2025-06-02 10:00:00+08:00')),
		'rejected'
	],
	['updatedAt: hour 25', brokenRecheck((r) => (r.updatedAt = '2025-06-02T25:00:00Z')), 'rejected'],
	['updatedAt: words', brokenRecheck((r) => (r.updatedAt = 'yesterday')), 'rejected'],
	[
		'updatedAt: epoch milliseconds',
		brokenRecheck((r) => (r.updatedAt = 1717300000000)),
		'rejected'
	],
	[
		'location.fixedAt: invalid',
		brokenRecheck((r) => (location(r).fixedAt = '2025-06-02')),
		'rejected'
	],
	[
		'photo: takenAt month 13',
		brokenRecheck((r) => (photo(r).takenAt = '2025-13-01T00:00:00Z')),
		'rejected'
	],
	['location.lat: 91', brokenRecheck((r) => (location(r).lat = 91)), 'rejected'],
	['location.lat: -90.5', brokenRecheck((r) => (location(r).lat = -90.5)), 'rejected'],
	['location.lon: 181', brokenRecheck((r) => (location(r).lon = 181)), 'rejected'],
	['location.lon: -180.0001', brokenRecheck((r) => (location(r).lon = -180.0001)), 'rejected'],
	['photo: lat 90.5', brokenRecheck((r) => (photo(r).lat = 90.5)), 'rejected'],
	['photo: lon -200', brokenRecheck((r) => (photo(r).lon = -200)), 'rejected']
];

const ring = [
	[109.7, 39.3],
	[109.71, 39.3],
	[109.71, 39.31],
	[109.7, 39.3]
];
const geojson: Case[] = [
	['boundary: a Point', boundary({ type: 'Point', coordinates: [109.7, 39.3] }), 'rejected'],
	['boundary: type in lower case', boundary({ type: 'polygon', coordinates: [ring] }), 'rejected'],
	['boundary: no type', boundary({ coordinates: [ring] }), 'rejected'],
	[
		'boundary: coordinates a string',
		boundary({ type: 'Polygon', coordinates: '109.7,39.3' }),
		'rejected'
	],
	['boundary: no rings', boundary({ type: 'Polygon', coordinates: [] }), 'rejected'],
	[
		'boundary: a ring of numbers',
		boundary({ type: 'Polygon', coordinates: [[109.7, 39.3]] }),
		'rejected'
	],
	[
		'boundary: a one-number position',
		boundary({ type: 'Polygon', coordinates: [[[109.7], ...ring]] }),
		'rejected'
	],
	[
		'boundary: a four-number position',
		boundary({ type: 'Polygon', coordinates: [[[109.7, 39.3, 1, 2], ...ring]] }),
		'rejected'
	],
	[
		'boundary: strings as coordinates',
		boundary({ type: 'Polygon', coordinates: [ring.map(([x, y]) => [String(x), String(y)])] }),
		'rejected'
	],
	[
		'boundary: latitude out of range',
		boundary({ type: 'Polygon', coordinates: [[[109.7, 95], ...ring]] }),
		'rejected'
	],
	[
		'boundary: lat/lon swapped past 90',
		boundary({ type: 'Polygon', coordinates: [ring.map(([x, y]) => [y, x])] }),
		'rejected'
	],
	[
		'boundary: a Feature',
		boundary({
			type: 'Feature',
			geometry: { type: 'Polygon', coordinates: [ring] },
			properties: {}
		}),
		'rejected'
	],
	[
		'boundary: MultiPolygon with Polygon depth',
		boundary({ type: 'MultiPolygon', coordinates: [ring] }),
		'rejected'
	],
	[
		'boundary: an extra crs member',
		boundary({ type: 'Polygon', coordinates: [ring], crs: { type: 'name' } }),
		'rejected'
	],
	[
		'boundary: a string',
		boundary('POLYGON((109.7 39.3, 109.71 39.3, 109.71 39.31, 109.7 39.3))'),
		'rejected'
	],
	[
		'boundary: NaN as a coordinate',
		literal(
			(r) => (r.boundary = { type: 'Polygon', coordinates: [[['@@', 39.3], ...ring]] }),
			'NaN'
		),
		400
	]
];

const photoHashes: Case[] = [
	[
		'photo entry: sha256 in upper case',
		brokenRecheck((r) => (photo(r).sha256 = (photo(r).sha256 as string).toUpperCase())),
		'rejected'
	],
	[
		'photo entry: sha256 of 63 characters',
		brokenRecheck((r) => (photo(r).sha256 = (photo(r).sha256 as string).slice(1))),
		'rejected'
	],
	[
		'photo entry: sha256 of 65 characters',
		brokenRecheck((r) => (photo(r).sha256 = `${photo(r).sha256 as string}0`)),
		'rejected'
	],
	[
		'photo entry: sha256 ../../survey.sqlite',
		brokenRecheck((r) => (photo(r).sha256 = '../../survey.sqlite')),
		'rejected'
	],
	[
		'photo entry: sha256 with a null byte',
		brokenRecheck((r) => (photo(r).sha256 = `${(photo(r).sha256 as string).slice(1)}\u0000`)),
		'rejected'
	],
	[
		'photo entry: originalSha256 malformed',
		brokenRecheck((r) => (photo(r).originalSha256 = 'xyz')),
		'rejected'
	],
	['PUT photo: ..%2F..%2Fsurvey.sqlite', putPhoto('..%2F..%2Fsurvey.sqlite'), 400],
	['PUT photo: %2e%2e%2f%2e%2e%2fsurvey.sqlite', putPhoto('%2e%2e%2f%2e%2e%2fsurvey.sqlite'), 400],
	['PUT photo: %2E%2E%5Csurvey.sqlite', putPhoto('%2E%2E%5Csurvey.sqlite'), 400],
	['PUT photo: ../ in the path', putPhoto('..%2Ftmp%2Fx'), 400],
	['PUT photo: upper-case hex', () => putPhoto(SHA().toUpperCase())(), 400],
	['PUT photo: 63 characters', () => putPhoto(SHA().slice(1))(), 400],
	['PUT photo: 65 characters', () => putPhoto(`${SHA()}0`)(), 400],
	['PUT photo: a null byte', () => putPhoto(`${SHA().slice(1)}%00`)(), 400],
	['PUT photo: %2500', () => putPhoto(`${SHA()}%2500`)(), 400],
	['PUT photo: a trailing space', () => putPhoto(`${SHA()}%20`)(), 400],
	['PUT photo: ;.jpg suffix', () => putPhoto(`${SHA()};.jpg`)(), 400],
	['PUT photo: non-hex letters', () => putPhoto(`${SHA().slice(1)}g`)(), 400],
	['PUT photo: two segments', () => putPhoto(`${SHA().slice(0, 2)}/${SHA()}`)(), 404],
	['GET photo: ..%2F..%2Fsurvey.sqlite', getPhoto('..%2F..%2Fsurvey.sqlite'), 400],
	['GET photo: %2e%2e%2fsurvey.sqlite', getPhoto('%2e%2e%2fsurvey.sqlite'), 400],
	['GET photo: the tmp directory', getPhoto('tmp'), 400],
	['GET photo: /api/photos/%2e%2e/survey.sqlite', getPhoto('%2e%2e/survey.sqlite'), 404],
	[
		'GET photo: /api/photos/../../api/photos/..%2Fsurvey.sqlite',
		getPhoto('../../api/photos/..%2Fsurvey.sqlite'),
		400
	]
];

const queries: Case[] = [
	['pull: since=abc', get('/api/sync/pull?since=abc'), 400],
	['pull: since=-1', get('/api/sync/pull?since=-1'), 400],
	['pull: since=1.5', get('/api/sync/pull?since=1.5'), 400],
	['pull: since=1e3', get('/api/sync/pull?since=1e3'), 400],
	['pull: since=0x10', get('/api/sync/pull?since=0x10'), 400],
	['pull: since with a space', get('/api/sync/pull?since=%2010'), 400],
	['pull: since of 20 digits', get(`/api/sync/pull?since=${'9'.repeat(20)}`), 400],
	['pull: since with a null byte', get('/api/sync/pull?since=1%00'), 400],
	['pull: unknown parameter', get('/api/sync/pull?cursor=0'), 400],
	['registry: since=abc', get('/api/registry?since=abc'), 400],
	['registry: since=-5', get('/api/registry?since=-5'), 400],
	['registry: unknown parameter', get('/api/registry?countyCode=150627'), 400],
	['registry: county not in the city', get('/api/registry?county=150699'), 400],
	['registry: county empty', get('/api/registry?county='), 400],
	['registry: county outside the list', get('/api/registry?county=150602'), 403],
	['review: status=draft', get('/api/review/records?status=draft'), 400],
	['review: status in upper case', get('/api/review/records?status=SUBMITTED'), 400],
	['review: unknown parameter', get('/api/review/records?state=submitted'), 400],
	['review: county outside the list', get('/api/review/records?county=150602'), 403],
	['review: county malformed', get('/api/review/records?county=15062%27'), 400],
	['record: path tricks in the id', get('/api/records/..%2F..%2Fsurvey.sqlite'), 404],
	['record: a null byte id', get('/api/records/%00'), 404],
	['record: a uuid with a null byte', get(`/api/records/${randomUUID()}%00`), 404],
	['an unknown API route', get('/api/records'), 404],
	['an unknown API route, POST', () => send('POST', '/api/nothing-here', '{}'), 404]
];

const decisions: Case[] = [
	['decision: empty object', decide({}), 400],
	['decision: revision missing', decide({ decision: 'approve' }), 400],
	['decision: decision missing', decide({ revision: 1 }), 400],
	['decision: reject is not a decision', decide({ decision: 'reject', revision: 1 }), 400],
	['decision: APPROVE in upper case', decide({ decision: 'APPROVE', revision: 1 }), 400],
	['decision: revision a string', decide({ decision: 'approve', revision: '1' }), 400],
	['decision: revision 1.5', decide({ decision: 'approve', revision: 1.5 }), 400],
	['decision: revision 0', decide({ decision: 'approve', revision: 0 }), 400],
	['decision: revision -1', decide({ decision: 'approve', revision: -1 }), 400],
	['decision: revision 1e400', decideText('{"decision":"approve","revision":1e400}'), 400],
	['decision: comments a string', decide({ decision: 'return', revision: 1, comments: '改' }), 400],
	[
		'decision: a comment without message',
		decide({ decision: 'return', revision: 1, comments: [{}] }),
		400
	],
	[
		'decision: an empty comment',
		decide({ decision: 'return', revision: 1, comments: [{ message: '' }] }),
		400
	],
	[
		'decision: a blank comment',
		decide({ decision: 'return', revision: 1, comments: [{ message: '   ' }] }),
		400
	],
	[
		'decision: a comment with an unknown key',
		decide({ decision: 'return', revision: 1, comments: [{ message: 'x', severity: 1 }] }),
		400
	],
	[
		'decision: a comment of 20 001 characters',
		decide({ decision: 'return', revision: 1, comments: [{ message: long(20_001) }] }),
		400
	],
	[
		'decision: a comment path of 201 characters',
		decide({
			decision: 'return',
			revision: 1,
			comments: [{ path: 'p'.repeat(201), message: 'x' }]
		}),
		400
	],
	[
		'decision: 201 comments',
		decide({
			decision: 'return',
			revision: 1,
			comments: Array.from({ length: 201 }, () => ({ message: 'x' }))
		}),
		400
	],
	['decision: unknown key', decide({ decision: 'approve', revision: 1, status: 'accepted' }), 400],
	['decision: an array', decide([{ decision: 'approve', revision: 1 }]), 400],
	['decision: broken JSON', decideText('{"decision":"approve",'), 400],
	['decision: empty body', decideText(''), 400],
	[
		'decision: text/plain (same origin)',
		decideText('{"decision":"approve","revision":1}', {
			'content-type': 'text/plain',
			origin: 'same'
		}),
		400
	],
	[
		'decision: a return without comments',
		decide({ decision: 'return', revision: 1, comments: [] }),
		422
	],
	['decision: a stale revision', decide({ decision: 'approve', revision: 2 }), 409],
	[
		'decision: by a surveyor',
		decide(
			{ decision: 'approve', revision: 1 },
			() => target.id,
			() => surveyor
		),
		403
	],
	[
		'decision: an unknown id',
		decide({ decision: 'approve', revision: 1 }, () => '00000000-0000-4000-8000-000000000000'),
		404
	],
	['decision: a malformed id', decide({ decision: 'approve', revision: 1 }, () => 'not-an-id'), 404]
];

const logins: Case[] = [
	['login: empty object', login({}), 400],
	['login: an array', login([{ username: 'city', password: 'x' }]), 400],
	['login: null', loginText('null'), 400],
	['login: username a number', login({ username: 1, password: 'x' }), 400],
	['login: username a list', login({ username: ['city'], password: 'x' }), 400],
	['login: password missing', login({ username: 'city' }), 400],
	['login: username missing', login({ password: 'x' }), 400],
	['login: password an object', login({ username: 'city', password: { $ne: null } }), 400],
	['login: username empty', login({ username: '', password: 'x' }), 400],
	['login: username of 101 characters', login({ username: 'u'.repeat(101), password: 'x' }), 400],
	[
		'login: password of 1001 characters',
		login({ username: 'city', password: 'p'.repeat(1001) }),
		400
	],
	['login: deviceId a number', login({ username: 'city', password: 'x', deviceId: 5 }), 400],
	[
		'login: deviceId of 201 characters',
		login({ username: 'city', password: 'x', deviceId: 'd'.repeat(201) }),
		400
	],
	['login: unknown key', login({ username: 'city', password: 'x', role: 'city_reviewer' }), 400],
	['login: broken JSON', loginText('{"username":"city"'), 400],
	['login: empty body', loginText(''), 400],
	[
		'login: form-encoded (same origin)',
		loginText('username=city&password=x', {
			'content-type': 'application/x-www-form-urlencoded',
			origin: 'same'
		}),
		400
	],
	['login: over 16 KB', login({ username: 'city', password: 'x'.repeat(20_000) }), 413],
	[
		'login: SQL in the username',
		login({ username: "city' OR '1'='1", password: "' OR '1'='1" }),
		401
	]
];

const CORPUS: Case[] = [
	...envelope,
	...presence,
	...types,
	...codeLists,
	...lengths,
	...shape,
	...datesAndPlaces,
	...geojson,
	...photoHashes,
	...queries,
	...decisions,
	...logins
];

function expectRefused(response: ApiResponse, expected: Expect) {
	if (expected === 'rejected') {
		expect(response.status, response.text.slice(0, 500)).toBe(200);
		const { results } = response.json as {
			results: {
				status: string;
				issues?: { path: string; message: string }[];
				revision?: number;
			}[];
		};
		expect(results.length).toBeGreaterThan(0);
		for (const result of results) {
			expect(result.status, JSON.stringify(result).slice(0, 500)).toBe('rejected');
			expect(result.revision).toBeUndefined();
			expect(result.issues?.length).toBeGreaterThan(0);
			for (const issue of result.issues ?? []) {
				expect(typeof issue.path).toBe('string');
				expect(issue.message.length).toBeGreaterThan(0);
			}
		}
		return;
	}
	expect(response.status, response.text.slice(0, 500)).toBe(expected);
	expect(response.headers.get('content-type')).toMatch(/^application\/json/);
	const body = response.json as { error?: unknown; issues?: unknown };
	expect(typeof body?.error, response.text.slice(0, 500)).toBe('string');
	expect((body.error as string).length).toBeGreaterThan(0);
	if (body.issues !== undefined) expect(Array.isArray(body.issues)).toBe(true);
}

describe('bad-input corpus', () => {
	it('has at least 50 cases with distinct names', () => {
		expect(CORPUS.length).toBeGreaterThanOrEqual(50);
		expect(new Set(CORPUS.map(([name]) => name)).size).toBe(CORPUS.length);
	});

	it.each(CORPUS)('%s', async (_name, run, expected) => {
		const response = await run();
		expectRefused(response, expected);
		// still up, and still answering on a fresh connection
		expect(server.alive).toBe(true);
		const me = await server.get('/api/auth/me', surveyor);
		expect(me.status).toBe(200);
		// and nothing written
		expect(await server.snapshot()).toEqual(baseline);
	});

	it('never serves the data directory through a path that climbs out of /api/', async () => {
		for (const path of [
			'/api/photos/../../survey.sqlite',
			'/api/photos/..%2F..%2Fsurvey.sqlite',
			'/api/../survey.sqlite',
			'/survey.sqlite',
			'/photos/tmp',
			'/data/survey.sqlite'
		]) {
			const response = await send('GET', path);
			expect(response.status, path).not.toBe(200);
			expect(response.text.startsWith('SQLite format 3'), path).toBe(false);
		}
		expect(server.alive).toBe(true);
		expect(await server.snapshot()).toEqual(baseline);
	});

	it('control: the unbroken base records are accepted', async () => {
		const results = await server.push(surveyor, [recheck, find]);
		expect(results.map((r) => r.status)).toEqual(['accepted', 'accepted']);
	});
});
