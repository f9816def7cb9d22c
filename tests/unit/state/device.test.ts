import 'fake-indexeddb/auto';
import { describe, expect, it, vi } from 'vitest';
import { DeviceStore } from '$lib/db/index.js';
import { DeviceState, LOW_STORAGE_BYTES } from '$lib/state/device.svelte.js';

describe('DeviceState', () => {
	it('applies a waiting update only when no form is open', async () => {
		const device = new DeviceState(new DeviceStore('device-state-1'));
		const apply = vi.fn(async () => undefined);
		device.offerUpdate(apply);
		expect(device.updateReady).toBe(true);

		device.openForms = 1;
		expect(await device.applyUpdate()).toBe(false);
		expect(apply).not.toHaveBeenCalled();

		device.openForms = 0;
		expect(await device.applyUpdate()).toBe(true);
		expect(apply).toHaveBeenCalledWith(true);
	});

	it('reports low storage below the margin', () => {
		const device = new DeviceState(new DeviceStore('device-state-2'));
		expect(device.storageLow).toBe(false);
		device.storage = { usage: 1_000, quota: 1_000 + LOW_STORAGE_BYTES + 1 };
		expect(device.storageLow).toBe(false);
		device.storage = { usage: 1_000, quota: 1_000 + LOW_STORAGE_BYTES - 1 };
		expect(device.storageLow).toBe(true);
		expect(device.freeBytes).toBe(LOW_STORAGE_BYTES - 1);
	});

	it('keeps the margin set on the device and refuses a write that would eat into it', async () => {
		const store = new DeviceStore('device-state-3');
		const device = new DeviceState(store);
		const MB = 1024 * 1024;
		const estimate = vi.fn(async () => ({ usage: 100 * MB, quota: 400 * MB }));
		vi.stubGlobal('navigator', { storage: { estimate } });
		try {
			expect(await device.checkSpace(50 * MB)).toEqual({ ok: true, free: 300 * MB });
			await device.setMarginMb(260);
			expect(device.storageLow).toBe(false);
			expect(await device.checkSpace(50 * MB)).toEqual({
				ok: false,
				free: 300 * MB,
				needed: 50 * MB,
				margin: 260 * MB
			});
			expect(await store.getSetting('storageMarginMb')).toBe(260);
			await expect(device.setMarginMb(10)).rejects.toThrow(/storageMarginMb/);
			expect(device.marginMb).toBe(260);
		} finally {
			vi.unstubAllGlobals();
		}
	});

	it('keeps the refused-persistence warning closed across starts, and can ask again', async () => {
		const store = new DeviceStore('device-state-4');
		let granted = false;
		const persist = vi.fn(async () => granted);
		vi.stubGlobal('navigator', {
			onLine: true,
			storage: {
				persisted: async () => granted,
				persist,
				estimate: async () => ({ usage: 0, quota: 1024 ** 3 })
			}
		});
		vi.stubGlobal('window', {
			isSecureContext: true,
			addEventListener: () => undefined,
			removeEventListener: () => undefined
		});
		try {
			const first = new DeviceState(store);
			const stop = first.start();
			await vi.waitFor(() => expect(first.persisted).toBe(false));
			expect(first.persistNoticeClosed).toBe(false);
			await first.dismissPersistNotice();
			stop();

			// The next start: still refused, the warning stays closed.
			const again = new DeviceState(store);
			const stopAgain = again.start();
			await vi.waitFor(() => expect(again.persisted).toBe(false));
			expect(again.persistNoticeClosed).toBe(true);

			// 请求持久存储 in the settings asks the browser again.
			granted = true;
			expect(await again.requestPersist()).toBe(true);
			expect(again.persisted).toBe(true);
			stopAgain();
		} finally {
			vi.unstubAllGlobals();
			store.close();
			await store.db.delete();
		}
	});
});
