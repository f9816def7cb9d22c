import { getContext, setContext } from 'svelte';
import { DeviceStore } from '$lib/db/index.js';
import { DEFAULT_MARGIN_MB, checkSpace, mbToBytes, type SpaceCheck } from '$lib/storage/space.js';
import { nowIso } from '$lib/format.js';

/** The default margin: below this much free space no photo is started (issue 5.3). */
export const LOW_STORAGE_BYTES = mbToBytes(DEFAULT_MARGIN_MB);

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
	/**
	 * The surveyor closed the warning that persistent storage was refused (setting
	 * `persistNoticeDismissed`, kept across starts); the request stays on the home screen.
	 */
	persistNoticeClosed = $state(false);
	/** Free space a write must leave, in MB (setting `storageMarginMb`). */
	marginMb = $state(DEFAULT_MARGIN_MB);
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
		return free !== null && free < this.marginBytes;
	}

	get marginBytes(): number {
		return mbToBytes(this.marginMb);
	}

	/**
	 * Whether a write of at most `needed` bytes may start, from a fresh estimate: never one
	 * that would leave less than the margin free. Call it before every large write.
	 */
	async checkSpace(needed: number): Promise<SpaceCheck> {
		await this.refreshStorage();
		return checkSpace(this.storage, needed, this.marginBytes);
	}

	async setMarginMb(mb: number): Promise<void> {
		await this.store.setSetting('storageMarginMb', mb);
		this.marginMb = mb;
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
		const [margin, dismissed] = await Promise.all([
			this.store.getSetting('storageMarginMb').catch(() => undefined),
			this.store.getSetting('persistNoticeDismissed').catch(() => undefined)
		]);
		if (margin !== undefined) this.marginMb = margin;
		if (dismissed) this.persistNoticeClosed = true;
		const storage = navigator.storage;
		if (storage?.persisted) {
			let persisted = await storage.persisted();
			if (!persisted && storage.persist) persisted = await storage.persist();
			this.persisted = persisted;
		}
		await this.refreshStorage();
	}

	/** 知道了 on the refused-persistence warning: it stays away on this device from now on. */
	async dismissPersistNotice(): Promise<void> {
		this.persistNoticeClosed = true;
		await this.store.setSetting('persistNoticeDismissed', { at: nowIso() });
	}

	/**
	 * Asks the browser for persistent storage again (请求持久存储). Resolves to what it answered;
	 * null where the browser cannot be asked.
	 */
	async requestPersist(): Promise<boolean | null> {
		const storage = navigator.storage;
		if (!storage?.persist) return null;
		const granted = await storage.persist().catch(() => false);
		this.persisted = granted || ((await storage.persisted?.().catch(() => false)) ?? false);
		return this.persisted;
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
		this.persistNoticeClosed = false;
		this.marginMb = DEFAULT_MARGIN_MB;
		this.dbNotice = null;
		this.updateReady = false;
		this.openForms = 0;
	}
}

const KEY = Symbol('device');
export const provideDevice = (device: DeviceState) => setContext(KEY, device);
export const useDevice = () => getContext<DeviceState>(KEY);
