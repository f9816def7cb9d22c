import { getContext, setContext } from 'svelte';
import type { DeviceStore, StoredRecord } from '$lib/db/index.js';
import type { FailureKind, Fetch } from './api.js';
import type { SyncOutcome, SyncProgress } from './engine.js';
import type { LoginResult, Session } from './session.js';
import type { RecordResponse, RegistryScope, RegistrySummary } from '$lib/domain/sync/wire.js';
import { backoffDelay } from './backoff.js';
import { isoAt } from '$lib/format.js';
import { countRecords, summarizeRecord } from '$lib/records/status.js';

/** Why the last run or login did not complete; `device`: the device's own storage failed. */
export type SyncFailure = {
	kind: FailureKind | 'device';
	status: number | null;
	detail: string;
	at: string;
};

type Events = {
	/** A record row the sync changed (for an open form). */
	record: StoredRecord;
	/** Records changed during a run (for lists). */
	records: void;
	/** The registry on the device changed. */
	registry: void;
};
type Listener<K extends keyof Events> = (payload: Events[K]) => void;

export type SyncOptions = {
	fetch?: Fetch | undefined;
	/** Whether the browser believes it is online (`navigator.onLine`). */
	online?: () => boolean;
	now?: () => number;
	/** The device's free-space check before a large write (`DeviceState.checkSpace`). */
	checkSpace?: (bytes: number) => Promise<{ ok: boolean }>;
};

/**
 * The device's sync: the account, the outbox counts, runs of the engine, and when to try again.
 *
 * A run starts on app start when logged in, on reconnect (`online`), after a record is
 * finalized, on 立即同步, and when a backoff timer fires. After a failed run the next try
 * waits `backoffDelay(failures)` (≤ 5 minutes); 立即同步 and reconnecting skip the wait. With
 * the browser offline no timer runs: the `online` event starts the next run. A 401 stops
 * retrying until the user logs in again; no data is ever removed.
 */
export class SyncState {
	readonly #store: DeviceStore;
	readonly #fetch: Fetch | undefined;
	readonly #online: () => boolean;
	readonly #now: () => number;
	readonly #checkSpace: SyncOptions['checkSpace'];
	session = $state.raw<Session | null>(null);
	deviceId = $state<string | null>(null);
	initialized = $state(false);
	running = $state(false);
	progress = $state.raw<SyncProgress | null>(null);
	failure = $state.raw<SyncFailure | null>(null);
	/** Failed runs in a row. */
	failures = $state(0);
	/** When the next automatic try is due (ms since the epoch), while backing off. */
	nextTryAt = $state<number | null>(null);
	lastSyncAt = $state<string | null>(null);
	lastOutcome = $state.raw<SyncOutcome | null>(null);
	/** Records in the outbox waiting to be sent, and those held by a conflict. */
	queued = $state(0);
	conflicts = $state(0);
	/** Loading the registry of the account after login. */
	registryLoading = $state(false);
	/**
	 * What each registry download would bring (`GET /api/registry/summary`, issue 13), once
	 * asked; and whether the first download waits for the surveyor to choose between them.
	 */
	registrySummary = $state.raw<RegistrySummary | null>(null);
	registryChoiceNeeded = $state(false);
	/** The registry the surveyor chose for this account (a remembered setting), if any. */
	registryScope = $state<RegistryScope | null>(null);
	/** What the device holds from the server: the county's registry or the team's assignment. */
	registryHeld = $state.raw<{
		scope: RegistryScope;
		team: { id: number; name: string; sites: number } | null;
	} | null>(null);
	/** A registry download going on: bytes received of about `total`, then sites stored. */
	registryProgress = $state.raw<{
		phase: 'download' | 'store';
		done: number;
		total: number;
	} | null>(null);
	#timer: ReturnType<typeof setTimeout> | null = null;
	#again = false;
	#current: Promise<void> | null = null;
	// A plain array, replaced on change: listeners are wiring, not state to render.
	#listeners: readonly { event: keyof Events; fn: (payload: never) => void }[] = [];

	constructor(store: DeviceStore, options: SyncOptions = {}) {
		this.#store = store;
		this.#fetch = options.fetch;
		this.#checkSpace = options.checkSpace;
		this.#online = options.online ?? (() => globalThis.navigator?.onLine ?? true);
		this.#now = options.now ?? (() => Date.now());
	}

	/** Logged in with a token the server has not refused. */
	get loggedIn(): boolean {
		return !!this.session && !this.session.expired;
	}

	/** The counties the account may work in; null when nobody is logged in. */
	get counties(): readonly string[] | null {
		return this.session?.user.counties ?? null;
	}

	on<K extends keyof Events>(event: K, listener: Listener<K>): () => void {
		const entry = { event, fn: listener as (payload: never) => void };
		this.#listeners = [...this.#listeners, entry];
		return () => {
			this.#listeners = this.#listeners.filter((e) => e !== entry);
		};
	}

	#emit<K extends keyof Events>(event: K, payload: Events[K]): void {
		for (const entry of this.#listeners) {
			if (entry.event === event) (entry.fn as Listener<K>)(payload);
		}
	}

	async init(): Promise<void> {
		const [session, lastSync, deviceId] = await Promise.all([
			this.#store.getSetting('session'),
			this.#store.getSetting('lastSync'),
			this.#store.getSetting('deviceId')
		]);
		this.session = session ?? null;
		this.lastSyncAt = lastSync?.at ?? null;
		this.deviceId = deviceId ?? null;
		await this.refreshCounts();
		await this.#readRegistryState();
		this.initialized = true;
	}

	/** The first run after start-up: init if needed, then sync when logged in and online. */
	async #firstRun(): Promise<void> {
		if (!this.initialized) await this.init();
		if (this.loggedIn && this.#online()) void this.syncNow();
	}

	/**
	 * Wires the browser: a run on reconnect, none while offline, and one shortly after start
	 * when logged in. Returns the function that unwires it.
	 */
	start(): () => void {
		const onOnline = () => void this.syncNow();
		const onOffline = () => this.#clearTimer();
		window.addEventListener('online', onOnline);
		window.addEventListener('offline', onOffline);
		// After start-up, so the first sync never competes with the work list.
		const first = setTimeout(() => void this.#firstRun(), 1_500);
		return () => {
			clearTimeout(first);
			this.#clearTimer();
			window.removeEventListener('online', onOnline);
			window.removeEventListener('offline', onOffline);
		};
	}

	/** The outbox counts, from the states of the records in it (`recordStatus`). */
	async refreshCounts(): Promise<void> {
		const counts = countRecords(
			(await this.#store.outboxRecords()).map((row) => summarizeRecord(row))
		);
		this.queued = counts.pending;
		this.conflicts = counts.conflicts;
	}

	/** After a record was finalized or reopened: counts again, and sends it when it can. */
	async queueChanged(): Promise<void> {
		await this.refreshCounts();
		if (this.loggedIn && this.#online() && this.nextTryAt === null) void this.syncNow();
	}

	async login(username: string, password: string): Promise<LoginResult> {
		const { login } = await import('./session.js');
		const result = await login(this.#store, username.trim(), password, { fetch: this.#fetch });
		if (!result.ok) return result;
		this.session = result.session;
		this.deviceId = (await this.#store.getSetting('deviceId')) ?? null;
		await this.#readRegistryState();
		this.failure = null;
		this.failures = 0;
		this.#clearTimer();
		await this.loadRegistry();
		void this.syncNow();
		return result;
	}

	/**
	 * The server's record with its history (`GET /api/records/{id}`), for resolving a conflict.
	 * Throws a `SyncError` (`auth` when nobody is logged in, `offline` without a connection).
	 */
	async fetchRecord(id: string): Promise<RecordResponse> {
		const { SyncApi, SyncError } = await import('./api.js');
		const session = this.session;
		if (!session || session.expired) throw new SyncError('auth', null, '');
		return new SyncApi({ fetch: this.#fetch, token: session.token }).record(id);
	}

	/**
	 * Loads the registry of the account's counties from the server (the whole of it when the
	 * device holds none from this account yet, else the changes). A failure is shown and the
	 * next sync run tries again.
	 */
	async loadRegistry(): Promise<boolean> {
		const session = this.session;
		if (!session || session.expired) return false;
		this.registryLoading = true;
		try {
			const [{ SyncApi, SyncError }, { syncRegistry }] = await Promise.all([
				import('./api.js'),
				import('./engine.js')
			]);
			try {
				await syncRegistry(
					{
						store: this.#store,
						api: new SyncApi({ fetch: this.#fetch, token: session.token }),
						deviceId: this.deviceId ?? '',
						username: session.user.username,
						counties: session.user.counties,
						onRegistry: () => this.#emit('registry', undefined),
						...this.#registryHooks()
					},
					() => isoAt(this.#now())
				);
				await this.#readRegistryState();
				return true;
			} catch (error) {
				if (error instanceof SyncError) {
					await this.#failed({ kind: error.kind, status: error.status, detail: error.detail });
					return false;
				}
				throw error;
			}
		} catch (error) {
			this.failure = this.#failure({ kind: 'device', status: null, detail: String(error) });
			return false;
		} finally {
			this.registryLoading = false;
			this.registryProgress = null;
		}
	}

	/** The remembered choice and what the device holds, for this account. */
	async #readRegistryState(): Promise<void> {
		const username = this.session?.user.username;
		const [chosen, held] = await Promise.all([
			this.#store.getSetting('registryScope'),
			this.#store.getSetting('registryCursor')
		]);
		this.registryScope = chosen && chosen.username === username ? chosen.scope : null;
		this.registryHeld =
			held && held.username === username
				? {
						scope: held.scope ?? 'county',
						team: held.scope === 'team' ? (held.team ?? null) : null
					}
				: null;
	}

	/**
	 * Asks the server what each registry download would bring (the sync page shows it before
	 * any download). Resolves to null when it cannot be asked (offline, logged out).
	 */
	async loadRegistrySummary(): Promise<RegistrySummary | null> {
		const session = this.session;
		if (!session || session.expired || !this.#online()) return null;
		const { SyncApi, SyncError } = await import('./api.js');
		try {
			this.registrySummary = await new SyncApi({
				fetch: this.#fetch,
				token: session.token
			}).registrySummary();
		} catch (error) {
			if (!(error instanceof SyncError)) throw error;
			return null;
		}
		return this.registrySummary;
	}

	/** The surveyor's choice of registry: remembered, then that registry is downloaded. */
	async chooseRegistry(scope: RegistryScope): Promise<boolean> {
		const session = this.session;
		if (!session) return false;
		await this.#store.setSetting('registryScope', { username: session.user.username, scope });
		this.registryScope = scope;
		this.registryChoiceNeeded = false;
		return this.loadRegistry();
	}

	/** The wiring of the registry step for the engine (choice, progress, state after). */
	#registryHooks() {
		const expected = () => {
			const summary = this.registrySummary;
			if (!summary) return 0;
			return this.registryScope === 'team' && summary.team
				? summary.team.bytes
				: summary.county.bytes;
		};
		return {
			onRegistryChoice: (summary: RegistrySummary) => {
				this.registrySummary = summary;
				this.registryChoiceNeeded = true;
			},
			onRegistryBytes: (received: number) => {
				this.registryProgress = {
					phase: 'download',
					done: received,
					total: Math.max(received, expected())
				};
			},
			onRegistryStore: (done: number, total: number) => {
				this.registryProgress = { phase: 'store', done, total };
			}
		};
	}

	/** Signs out: the token goes, every record, photo and the registry stay on the device. */
	async logout(): Promise<void> {
		const { logout } = await import('./session.js');
		this.#clearTimer();
		await logout(this.#store, { fetch: this.#fetch });
		this.session = null;
		this.failure = null;
		this.failures = 0;
		this.registryHeld = null;
		this.registrySummary = null;
		this.registryChoiceNeeded = false;
	}

	/** Runs now, whatever the backoff says (立即同步, reconnect). Resolves when it is done. */
	syncNow(): Promise<void> {
		this.#clearTimer();
		if (this.#current) {
			// A run is going: one more follows it, so what was queued meanwhile is sent too.
			this.#again = true;
			return this.#current;
		}
		this.#current = this.#run().finally(() => {
			this.#current = null;
		});
		return this.#current;
	}

	/** Resolves when no run is going (at once when none is). */
	async settled(): Promise<void> {
		while (this.#current) await this.#current;
	}

	async #run(): Promise<void> {
		do {
			this.#again = false;
			await this.#once();
		} while (this.#again && this.loggedIn && this.failure === null);
	}

	async #once(): Promise<void> {
		const session = this.session;
		if (!session || session.expired) return;
		if (!this.#online()) {
			// Offline: no timer; the `online` event starts the next run.
			this.failure = this.#failure({ kind: 'offline', status: null, detail: '' });
			await this.refreshCounts();
			return;
		}
		this.running = true;
		try {
			const deviceId =
				this.deviceId ?? (await (await import('./session.js')).ensureDeviceId(this.#store));
			this.deviceId = deviceId;
			const [{ SyncApi }, { runSync }] = await Promise.all([
				import('./api.js'),
				import('./engine.js')
			]);
			let changedRecords = false;
			const run = () =>
				runSync({
					store: this.#store,
					api: new SyncApi({ fetch: this.#fetch, token: session.token }),
					deviceId,
					username: session.user.username,
					counties: session.user.counties,
					onProgress: (progress) => (this.progress = progress),
					onRecord: (row) => {
						changedRecords = true;
						this.#emit('record', row);
					},
					onRegistry: () => this.#emit('registry', undefined),
					...this.#registryHooks(),
					...(this.#checkSpace ? { checkSpace: this.#checkSpace } : {}),
					now: () => isoAt(this.#now())
				});
			// One run at a time across the tabs of this browser, where the browser can tell.
			const locks = globalThis.navigator?.locks;
			const outcome = locks
				? await locks.request('ordos-survey-sync', { ifAvailable: true }, (lock) =>
						lock ? run() : null
					)
				: await run();
			if (changedRecords) this.#emit('records', undefined);
			await this.#readRegistryState();
			if (!outcome) return;
			this.lastOutcome = outcome;
			if (outcome.ok) {
				this.failure = null;
				this.failures = 0;
				this.nextTryAt = null;
				this.lastSyncAt = isoAt(this.#now());
			} else {
				await this.#failed(outcome);
			}
		} catch (error) {
			// The device's own storage failed (quota, a closed database): tried again later.
			await this.#failed({ kind: 'device', status: null, detail: (error as Error)?.message ?? '' });
		} finally {
			this.running = false;
			this.progress = null;
			this.registryProgress = null;
			await this.refreshCounts().catch(() => undefined);
		}
	}

	#failure(f: Omit<SyncFailure, 'at'>): SyncFailure {
		return { ...f, at: isoAt(this.#now()) };
	}

	async #failed(f: Omit<SyncFailure, 'at'>): Promise<void> {
		this.failure = this.#failure(f);
		if (f.kind === 'auth') {
			// Refused login: nothing is retried until the user logs in again.
			const { expireSession } = await import('./session.js');
			this.session = await expireSession(this.#store);
			this.#clearTimer();
			return;
		}
		this.failures++;
		if (f.kind === 'offline' && !this.#online()) return;
		this.#schedule(backoffDelay(this.failures));
	}

	#schedule(delay: number): void {
		this.#clearTimer();
		this.nextTryAt = this.#now() + delay;
		this.#timer = setTimeout(() => {
			this.#timer = null;
			this.nextTryAt = null;
			void this.syncNow();
		}, delay);
	}

	#clearTimer(): void {
		if (this.#timer) clearTimeout(this.#timer);
		this.#timer = null;
		this.nextTryAt = null;
	}

	/** For tests. */
	reset(): void {
		this.#clearTimer();
		this.session = null;
		this.failure = null;
		this.failures = 0;
		this.progress = null;
		this.running = false;
		this.lastOutcome = null;
		this.#again = false;
		this.registrySummary = null;
		this.registryChoiceNeeded = false;
		this.registryScope = null;
		this.registryHeld = null;
		this.registryProgress = null;
	}
}

const KEY = Symbol('sync');
export const provideSync = (sync: SyncState) => setContext(KEY, sync);
export const useSync = () => getContext<SyncState>(KEY);
