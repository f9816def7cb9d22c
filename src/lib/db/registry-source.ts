import type { DeviceStore } from './index.js';

export type Progress = (done: number, total: number) => void;

/** Where the demo registry is served from; the service worker precaches it. */
export const DEMO_REGISTRY_URL = '/data/demo-registry.json';

function sitesFromJson(json: unknown): unknown[] {
	if (Array.isArray(json)) return json;
	const sites = (json as { sites?: unknown } | null)?.sites;
	if (Array.isArray(sites)) return sites;
	throw new Error('文件中没有 sites 数组');
}

/** Loads the demo registry onto the device (replacing what was there). */
export async function loadDemoRegistry(store: DeviceStore, onProgress?: Progress): Promise<number> {
	const response = await fetch(DEMO_REGISTRY_URL);
	if (!response.ok) throw new Error(`服务器返回 ${response.status}`);
	const sites = sitesFromJson(await response.json());
	return store.replaceRegistry(
		sites,
		{ kind: 'demo', label: '演示名录', loadedAt: new Date().toISOString() },
		onProgress
	);
}

/**
 * Imports a registry file chosen by the user: a JSON array of registered sites, or an object
 * with a `sites` array (as `GET /api/registry` answers). Nothing changes unless every site is
 * valid.
 */
export async function importRegistryFile(
	store: DeviceStore,
	file: File,
	onProgress?: Progress
): Promise<number> {
	let json: unknown;
	try {
		json = JSON.parse(await file.text());
	} catch {
		throw new Error('文件不是有效的 JSON');
	}
	return store.replaceRegistry(
		sitesFromJson(json),
		{ kind: 'file', label: file.name.slice(0, 200), loadedAt: new Date().toISOString() },
		onProgress
	);
}
