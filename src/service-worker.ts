/// <reference types="@sveltejs/kit" />
/// <reference no-default-lib="true"/>
/// <reference lib="esnext" />
/// <reference lib="webworker" />
/**
 * Offline use: the app shell (every built file and prerendered page) is cached on install, so the
 * hosted app opens with no network after the first visit. Snapshots kept for offline reading
 * ("Keep offline" on the banner) sit whole in their own cache, and range requests for them are
 * answered from it, so a kept snapshot opens offline exactly as online.
 */
import { build, files, prerendered, version } from '$service-worker';

const sw = self as unknown as ServiceWorkerGlobalScope;
const APP = `trackside-app-${version}`;
// The same name as in client/offline.ts (a service worker bundle cannot share a module export).
const SNAPSHOTS = 'trackside-snapshots';
const SHELL = [...build, ...files, ...prerendered];
const IMMUTABLE = new Set(build.map((f) => new URL(f, sw.location.href).pathname));

/**
 * Files the workers load themselves (the sql.js wasm, the inflate worker, the store worker's lazy
 * chunk) are not in Kit's build list: they are found in the workers' code, where Vite writes them
 * as `new URL("…", import.meta.url)`, `import("…")` or `from "…"`; found chunks are read in turn.
 */
async function workerAssets(): Promise<string[]> {
	const queue = build.filter((f) => f.includes('/workers/')).map((f) => new URL(f, sw.location.href).href);
	const listed = new Set(queue);
	const found = new Set<string>();
	for (let file = queue.pop(); file; file = queue.pop()) {
		const code = await (await fetch(file)).text();
		const refs = [
			...code.matchAll(/new URL\(\s*[`'"]([^`'"]+)[`'"]\s*,\s*import\.meta\.url\s*\)/g),
			...code.matchAll(/\bimport\(\s*[`'"](\.[^`'"]+)[`'"]\s*\)/g),
			...code.matchAll(/\bfrom\s*[`'"](\.[^`'"]+)[`'"]/g)
		];
		for (const m of refs) {
			const url = new URL(m[1], file).href;
			if (listed.has(url) || found.has(url)) continue;
			found.add(url);
			if (url.endsWith('.js')) queue.push(url);
		}
	}
	return [...found];
}

sw.addEventListener('install', (event) => {
	event.waitUntil(
		(async () => {
			const cache = await caches.open(APP);
			await cache.addAll(SHELL);
			await cache.addAll(await workerAssets());
			await sw.skipWaiting();
		})()
	);
});

sw.addEventListener('activate', (event) => {
	// Older app versions go; kept snapshots stay.
	event.waitUntil(
		caches
			.keys()
			.then((keys) => Promise.all(keys.filter((k) => k !== APP && k !== SNAPSHOTS).map((k) => caches.delete(k))))
			.then(() => sw.clients.claim())
	);
});

// The kept snapshots' URLs, read once: opening the cache for every request of the app would
// cost a few ms each on every page load. The page says when it keeps a new one.
let kept: Promise<Set<string>> | undefined;
const keptUrls = () => (kept ??= caches.open(SNAPSHOTS).then(async (c) => new Set((await c.keys()).map((r) => r.url))));
sw.addEventListener('message', (event) => {
	if (event.data === 'snapshots-changed') kept = undefined;
});

/** A 206 for `bytes=a-b` sliced from a cached whole file. */
async function rangeFrom(cached: Response, range: string): Promise<Response> {
	const body = new Uint8Array(await cached.arrayBuffer());
	const m = /^bytes=(\d+)-(\d*)$/.exec(range);
	if (!m) return new Response(body, { status: 200, headers: cached.headers });
	const start = Number(m[1]);
	const end = Math.min(body.length - 1, m[2] ? Number(m[2]) : body.length - 1);
	return new Response(body.slice(start, end + 1), {
		status: 206,
		headers: {
			'Content-Range': `bytes ${start}-${end}/${body.length}`,
			'Content-Length': String(end - start + 1),
			'Content-Type': 'application/octet-stream'
		}
	});
}

sw.addEventListener('fetch', (event) => {
	const req = event.request;
	if (req.method !== 'GET') return;
	const url = new URL(req.url);
	event.respondWith(
		(async () => {
			if ((await keptUrls()).has(url.href)) {
				const kept = await (await caches.open(SNAPSHOTS)).match(url.href);
				if (kept) return req.headers.get('range') ? rangeFrom(kept, req.headers.get('range')!) : kept;
			}
			if (url.origin !== sw.location.origin) return fetch(req);
			// Built files are immutable (hashed names): from the cache, with no network round trip.
			if (IMMUTABLE.has(url.pathname)) {
				const hit = await (await caches.open(APP)).match(req);
				if (hit) return hit;
			}
			// App files: the network first (a new deployment shows at once), the cache when offline.
			// What the build list misses (the workers' own assets, the wasm) is cached on first use.
			try {
				const res = await fetch(req);
				if (res.status === 200 && !req.headers.get('range') && !IMMUTABLE.has(url.pathname)) {
					const copy = res.clone();
					event.waitUntil(caches.open(APP).then((c) => c.put(req, copy)));
				}
				return res;
			} catch (e) {
				const app = await caches.open(APP);
				// Pages are cached by path (`/run`); a navigation asks `/run/?id=…`.
				for (const candidate of [req, url.pathname.replace(/\/$/, ''), url.pathname.replace(/\/?$/, '/')]) {
					const hit = await app.match(candidate, { ignoreSearch: true });
					if (hit) return hit;
				}
				throw e;
			}
		})()
	);
});
