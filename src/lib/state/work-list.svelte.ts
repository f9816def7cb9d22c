import { getContext, setContext } from 'svelte';
import { buildSearchIndex, searchSites, type SiteSummary } from '$lib/domain/registry/search.js';
import type { DeviceStore, SettingValue, StoredRecord } from '$lib/db/index.js';
import { importRegistryFile, loadDemoRegistry } from '$lib/db/registry-source.js';
import {
	countRecords,
	statusBySite,
	summarizeRecord,
	type RecordSummary
} from '$lib/records/status.js';
import type { DeviceStatus } from '$lib/domain/codelists/index.js';

export type LoadState =
	| { phase: 'idle' }
	| { phase: 'loading'; done: number; total: number }
	| { phase: 'ready' }
	| { phase: 'empty' }
	| { phase: 'error'; message: string };

/** The records' summaries, newest change first. */
const summaries = (rows: StoredRecord[]): RecordSummary[] =>
	rows.map((row) => summarizeRecord(row)).sort((a, b) => (a.updatedAt < b.updatedAt ? 1 : -1));

/**
 * The team's work list: the registered sites of its county as the device holds them, with
 * search and filters. Holds no copy of anything the database does not have.
 */
export class WorkList {
	#store: DeviceStore;
	county = $state<string | null>(null);
	sites = $state.raw<SiteSummary[]>([]);
	load = $state<LoadState>({ phase: 'idle' });
	query = $state('');
	category = $state<string | null>(null);
	protectionLevel = $state<string | null>(null);
	selected = $state<string | null>(null);
	/** Set when the list last became usable, for the start-up benchmark. */
	readyAt = $state(0);
	registrySource = $state<SettingValue<'registrySource'> | null>(null);
	countsByCounty = $state.raw<Record<string, number>>({});
	/** The records of the county on this device, newest first. */
	records = $state.raw<RecordSummary[]>([]);
	/** The record whose photos are being uploaded now (its site shows 上传中). */
	uploadingRecord = $state<string | null>(null);
	/** The counties of the logged-in account; null: any county (nobody logged in). */
	allowedCounties = $state.raw<readonly string[] | null>(null);
	siteStatus = $derived<Record<string, DeviceStatus>>(
		statusBySite(this.records, this.uploadingRecord)
	);
	/** The counts of the county (已复查, 新发现, 待上传, 已退回), from the records' states. */
	counts = $derived(countRecords(this.records));
	statusFilter = $state<DeviceStatus | null>(null);
	/** True once the saved settings have been read (before that, county null means "not yet"). */
	initialized = $state(false);
	/** Loading or importing the registry onto the device. */
	registryJob = $state<LoadState>({ phase: 'idle' });

	#index = $derived(buildSearchIndex(this.sites));
	results = $derived.by(() => {
		const found = searchSites(this.sites, () => this.#index, {
			query: this.query,
			category: this.category,
			protectionLevel: this.protectionLevel
		});
		const status = this.statusFilter;
		return status ? found.filter((s) => (this.siteStatus[s.code] ?? '未复查') === status) : found;
	});

	#init: Promise<void> | null = null;
	#job: Promise<void> | null = null;

	constructor(store: DeviceStore) {
		this.#store = store;
	}

	/** Reads the saved settings and, on a device without a registry, loads the demo one. */
	init(): Promise<void> {
		this.#init ??= this.#initOnce();
		return this.#init;
	}

	/**
	 * Resolves when no registry is being loaded or imported: a registry from the server must
	 * not be replaced by the demo one a first start was still loading.
	 */
	async registryIdle(): Promise<void> {
		await this.#init;
		while (this.#job) await this.#job;
	}

	async #initOnce(): Promise<void> {
		const [county, source] = await Promise.all([
			this.#store.getSetting('county'),
			this.#store.getSetting('registrySource')
		]);
		this.county = county ?? null;
		this.registrySource = source ?? null;
		this.initialized = true;
		if (this.county) await this.refresh();
		if (!source) await this.loadDemo();
	}

	/** Site counts per county, for the county picker (read only when it is shown). */
	async loadCounts(): Promise<void> {
		this.countsByCounty = await this.#store.countSitesByCounty();
	}

	/** Puts the demo registry on the device (first start of a demo system). */
	loadDemo(): Promise<void> {
		return this.#replaceRegistry((progress) => loadDemoRegistry(this.#store, progress));
	}

	/** Replaces the registry with a file the user picked; nothing changes if it is invalid. */
	importFile(file: File): Promise<void> {
		return this.#replaceRegistry((progress) => importRegistryFile(this.#store, file, progress));
	}

	async #replaceRegistry(
		run: (progress: (done: number, total: number) => void) => Promise<number>
	): Promise<void> {
		const job = this.#replaceRegistryNow(run);
		this.#job = job;
		try {
			await job;
		} finally {
			if (this.#job === job) this.#job = null;
		}
	}

	async #replaceRegistryNow(
		run: (progress: (done: number, total: number) => void) => Promise<number>
	): Promise<void> {
		this.registryJob = { phase: 'loading', done: 0, total: 1 };
		try {
			await run((done, total) => (this.registryJob = { phase: 'loading', done, total }));
			this.registryJob = { phase: 'ready' };
		} catch (error) {
			this.registryJob = { phase: 'error', message: (error as Error).message };
			return;
		}
		this.registrySource = (await this.#store.getSetting('registrySource')) ?? null;
		await this.refresh();
	}

	/** After the registry on the device changed (loaded from the server, or site changes). */
	async registryChanged(): Promise<void> {
		this.registrySource = (await this.#store.getSetting('registrySource')) ?? null;
		await this.refresh();
	}

	/**
	 * Limits the work to the account's counties: a county outside them is left (for the only
	 * one, or for the picker when there are several). Null lifts the limit.
	 */
	async restrictTo(counties: readonly string[] | null): Promise<void> {
		this.allowedCounties = counties;
		if (!counties || !this.initialized) return;
		const county = this.county;
		const allowed =
			county !== null && (county === 'all' ? counties.length > 1 : counties.includes(county));
		if (allowed) return;
		if (counties.length === 1) await this.chooseCounty(counties[0]!);
		else if (county !== null) {
			this.county = null;
			this.sites = [];
			this.records = [];
		}
	}

	async chooseCounty(county: string): Promise<void> {
		await this.#store.setSetting('county', county as 'all');
		this.county = county;
		this.query = '';
		this.category = null;
		this.protectionLevel = null;
		this.statusFilter = null;
		this.selected = null;
		await this.refresh();
	}

	async refresh(): Promise<void> {
		if (!this.county) return;
		this.load = { phase: 'loading', done: 0, total: 1 };
		try {
			performance.mark('sites-read-start');
			const [sites, records] = await Promise.all([
				this.#store.summariesOf(this.county),
				this.#store.recordsOf(this.county)
			]);
			performance.mark('sites-read-end', { detail: { count: sites.length } });
			this.records = summaries(records);
			this.sites = sites;
			this.load = sites.length ? { phase: 'ready' } : { phase: 'empty' };
			this.readyAt = performance.now();
		} catch (error) {
			this.load = { phase: 'error', message: (error as Error).message };
		}
	}

	/** Re-reads the records of the county (after a record was saved or finalized). */
	async refreshRecords(): Promise<void> {
		if (!this.county) return;
		this.records = summaries(await this.#store.recordsOf(this.county));
	}

	reset(): void {
		this.county = null;
		this.sites = [];
		this.load = { phase: 'idle' };
		this.query = '';
		this.category = null;
		this.protectionLevel = null;
		this.statusFilter = null;
		this.selected = null;
	}
}

const KEY = Symbol('work-list');
export const provideWorkList = (list: WorkList) => setContext(KEY, list);
export const useWorkList = () => getContext<WorkList>(KEY);
