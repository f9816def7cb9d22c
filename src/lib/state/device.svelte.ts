import { getContext, setContext } from 'svelte';
import { DeviceStore } from '$lib/db';

/** Below this much free space the app warns before any photo (issue: storage pressure). */
export const LOW_STORAGE_BYTES = 200 * 1024 * 1024;

export type StorageInfo = { usage: number; quota: number };

/**
 * Device-wide state: connectivity, storage, the database connection and app updates.
 * One instance per app, shared through context.
 */
export class DeviceState {
	readonly store: DeviceStore;
	online = $state(true);
	secure = $state(true);
	storage = $state<StorageInfo | null>(null);
	persisted = $state<boolean | null>(null);
	dbNotice = $state<'reconnected' | 'failed' | null>(null);
	dbError = $state('');
	updateReady = $state(false);
	offlineReady = $state(false);
	/** Forms currently open; an update is applied only when none is. */
	openForms = $state(0);
	#applyUpdate: ((reload?: boolean) => Promise<void>) | null = null;

	constructor(store = new DeviceStore()) {
		this.store = store;
	}

	get freeBytes(): number | null {
		return this.storage ? Math.max(0, this.storage.quota - this.storage.usage) : null;
	}

	get storageLow(): boolean {
		const free = this.freeBytes;
		return free !== null && free < LOW_STORAGE_BYTES;
	}

	/** Wires browser events; returns the function that unwires them. */
	start(): () => void {
		this.online = navigator.onLine;
		this.secure = window.isSecureContext;
		const setOnline = () => (this.online = navigator.onLine);
		window.addEventListener('online', setOnline);
		window.addEventListener('offline', setOnline);
		const off = this.store.onConnection((event, error) => {
			if (event === 'reopened') this.dbNotice = 'reconnected';
			if (event === 'failed') {
				this.dbNotice = 'failed';
				this.dbError = error instanceof Error ? error.message : String(error);
			}
		});
		void this.#initStorage();
		return () => {
			window.removeEventListener('online', setOnline);
			window.removeEventListener('offline', setOnline);
			off();
		};
	}

	async #initStorage() {
		const storage = navigator.storage;
		if (storage?.persisted) {
			let persisted = await storage.persisted();
			if (!persisted && storage.persist) persisted = await storage.persist();
			this.persisted = persisted;
		}
		await this.refreshStorage();
	}

	async refreshStorage(): Promise<void> {
		const estimate = await navigator.storage?.estimate?.().catch(() => undefined);
		this.storage =
			estimate && estimate.quota !== undefined
				? { usage: estimate.usage ?? 0, quota: estimate.quota }
				: null;
	}

	offerUpdate(apply: (reload?: boolean) => Promise<void>): void {
		this.#applyUpdate = apply;
		this.updateReady = true;
	}

	/** Applies a waiting update, unless a form is open (a surveyor is never interrupted). */
	async applyUpdate(): Promise<boolean> {
		if (this.openForms > 0 || !this.#applyUpdate) return false;
		await this.#applyUpdate(true);
		return true;
	}

	/** For tests. */
	reset(): void {
		this.storage = null;
		this.persisted = null;
		this.dbNotice = null;
		this.updateReady = false;
		this.openForms = 0;
	}
}

const KEY = Symbol('device');
export const provideDevice = (device: DeviceState) => setContext(KEY, device);
export const useDevice = () => getContext<DeviceState>(KEY);
