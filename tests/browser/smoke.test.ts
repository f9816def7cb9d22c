import { expect, it } from 'vitest';
import photoUrl from '../fixtures/photos/site-dongsheng-1600x1200.jpg?url';

it('decodes a fixture photo with the browser', async () => {
	const blob = await (await fetch(photoUrl)).blob();
	const bitmap = await createImageBitmap(blob);
	expect([bitmap.width, bitmap.height]).toEqual([1600, 1200]);
});
