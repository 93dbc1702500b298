/**
 * Keeping a snapshot for offline reading: the whole file goes into the cache the service worker
 * answers range requests from (src/service-worker.ts).
 */
const SNAPSHOTS = 'trackside-snapshots';

export async function keepOffline(url: string): Promise<void> {
	if (!('caches' in globalThis)) throw new Error('This browser cannot keep files offline here (no Cache Storage; a private window?)');
	const res = await fetch(url);
	if (!res.ok) throw new Error(`${url} could not be downloaded (HTTP ${res.status})`);
	await (await caches.open(SNAPSHOTS)).put(url, res);
	navigator.serviceWorker?.controller?.postMessage('snapshots-changed');
}

export async function isKeptOffline(url: string): Promise<boolean> {
	return 'caches' in globalThis && !!(await (await caches.open(SNAPSHOTS)).match(url));
}
