/**
 * The UI's handle on the store worker. The worker is created only in the browser (the shell is
 * prerendered in Node) and only once; every page shares it.
 */
import * as Comlink from 'comlink';
import type { StoreApi } from '../../workers/protocol';

let remote: Comlink.Remote<StoreApi> | undefined;

export function storeApi(): Comlink.Remote<StoreApi> {
	if (!remote) {
		const worker = new Worker(new URL('../../workers/store.worker.ts', import.meta.url), { type: 'module' });
		remote = Comlink.wrap<StoreApi>(worker);
		// Ask the browser not to evict the store under storage pressure; the answer is shown on the home page.
		navigator.storage?.persist?.().catch(() => {});
	}
	return remote;
}

/** Bumped after every change to the store so that pages reload what they show. */
export const storeVersion = $state({ value: 0 });
export function storeChanged(): void {
	storeVersion.value++;
}
