import { createReadStream } from 'node:fs';

/** A file's bytes, as a generator: the file is opened when the first chunk is asked for. */
export async function* fileChunks(path: string): AsyncGenerator<Uint8Array> {
	for await (const chunk of createReadStream(path)) yield chunk as Buffer;
}
