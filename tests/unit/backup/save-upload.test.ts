/**
 * Where an exported file goes (the save-file picker when the browser has one), and the chunked
 * upload client of the review UI against a scripted server.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { chooseSaveTarget, saveStream } from '$lib/backup/export.js';
import { uploadBackup, UploadError } from '$lib/backup/upload.js';

afterEach(() => {
	vi.unstubAllGlobals();
});

describe('chooseSaveTarget / saveStream', () => {
	it('downloads when the browser has no save-file picker', async () => {
		vi.stubGlobal('showSaveFilePicker', undefined);
		expect(await chooseSaveTarget('四普备份.zip')).toEqual({
			kind: 'download',
			name: '四普备份.zip'
		});
	});

	it('streams into the file the surveyor chose', async () => {
		const written: Uint8Array[] = [];
		const picker = vi.fn(async () => ({
			name: '我的备份.zip',
			createWritable: async () =>
				new WritableStream<Uint8Array>({ write: (chunk) => void written.push(chunk) })
		}));
		vi.stubGlobal('showSaveFilePicker', picker);
		const target = await chooseSaveTarget('四普备份.zip');
		expect(picker).toHaveBeenCalledWith(expect.objectContaining({ suggestedName: '四普备份.zip' }));
		expect(target).toMatchObject({ kind: 'file', name: '我的备份.zip' });
		const parts = [new Uint8Array([1, 2]), new Uint8Array([3])];
		await saveStream(
			new ReadableStream({
				start(c) {
					for (const p of parts) c.enqueue(p);
					c.close();
				}
			}),
			target!
		);
		expect(written).toEqual(parts);
	});

	it('gives up quietly when the surveyor cancels the picker', async () => {
		vi.stubGlobal('showSaveFilePicker', async () => {
			throw new DOMException('cancelled', 'AbortError');
		});
		expect(await chooseSaveTarget('四普备份.zip')).toBeNull();
	});
});

describe('uploadBackup', () => {
	type Call = { method: string; path: string; body?: Uint8Array };

	function server(script: (call: Call, calls: Call[]) => Response | undefined) {
		const calls: Call[] = [];
		const fetch = vi.fn(async (input: RequestInfo | URL, init?: RequestInit) => {
			const body =
				init?.body instanceof Blob ? new Uint8Array(await init.body.arrayBuffer()) : undefined;
			const call = {
				method: init?.method ?? 'GET',
				path: String(input),
				...(body ? { body } : {})
			};
			calls.push(call);
			const scripted = script(call, calls);
			if (scripted) return scripted;
			if (call.path === '/api/imports')
				return Response.json({ id: 'abc', chunkBytes: 4 }, { status: 201 });
			if (call.path.includes('/chunks/')) return new Response(null, { status: 201 });
			return Response.json({ results: [], counts: {} });
		});
		return { calls, fetch: fetch as unknown as typeof globalThis.fetch };
	}

	it('sends the file in chunks of at most the server’s size, in order, then finishes', async () => {
		const s = server(() => undefined);
		const progress: number[] = [];
		const file = new Blob([new Uint8Array([1, 2, 3, 4, 5, 6, 7, 8, 9, 10])]);
		await uploadBackup(file, {
			fetch: s.fetch,
			chunkBytes: 1024,
			onProgress: (p) => progress.push(p.sentBytes)
		});
		expect(s.calls.map((c) => `${c.method} ${c.path}`)).toEqual([
			'POST /api/imports',
			'PUT /api/imports/abc/chunks/0',
			'PUT /api/imports/abc/chunks/1',
			'PUT /api/imports/abc/chunks/2',
			'POST /api/imports/abc/finish'
		]);
		expect(s.calls.filter((c) => c.body).map((c) => [...c.body!])).toEqual([
			[1, 2, 3, 4],
			[5, 6, 7, 8],
			[9, 10]
		]);
		expect(progress).toEqual([0, 4, 8, 10]);
	});

	it('sends a chunk again after a server failure, but not after a refusal', async () => {
		let failures = 1;
		const flaky = server((call) =>
			call.path.endsWith('/chunks/1') && failures-- > 0
				? new Response(null, { status: 503 })
				: undefined
		);
		await uploadBackup(new Blob([new Uint8Array(8)]), { fetch: flaky.fetch });
		expect(flaky.calls.filter((c) => c.path.endsWith('/chunks/1'))).toHaveLength(2);

		const refused = server((call) =>
			call.path.endsWith('/chunks/0')
				? Response.json({ error: '分块超过 4 MB 上限' }, { status: 413 })
				: undefined
		);
		await expect(
			uploadBackup(new Blob([new Uint8Array(8)]), { fetch: refused.fetch })
		).rejects.toEqual(new UploadError(413, '分块超过 4 MB 上限'));
		expect(refused.calls.filter((c) => c.path.includes('/chunks/'))).toHaveLength(1);
	});
});
