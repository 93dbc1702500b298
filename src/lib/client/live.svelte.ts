/**
 * The one way a page loads data from the store. `live(inputs, load, initial)` reads `inputs`
 * (reactive values: the URL's id, a filter) in an effect, waits for the store, runs `load` with
 * them, and runs it again when they or the store change (storeVersion: an edit, an import, another
 * tab). An answer to an older request is dropped, so a slow load never overwrites a newer one; a
 * failure is kept as `error` (pages show it with LoadError and its Retry), never a silent
 * half-loaded page.
 */
import { seriesVersion, storeReady, storeVersion } from './store.svelte';

export interface Live<T> {
	/** The latest answer (`initial` until the first arrives). */
	readonly value: T;
	/** Why the latest load failed, or null. */
	readonly error: string | null;
	/** A load is under way. */
	readonly loading: boolean;
	/** Loads again (after a failure). */
	retry(): void;
}

/**
 * `on: 'series'` reloads only when metric histories may have changed (seriesVersion), for loads
 * of histories alone.
 */
export function live<I, T>(inputs: () => I, load: (inputs: I) => Promise<T>, initial: T, on: 'store' | 'series' = 'store'): Live<T> {
	let value = $state.raw(initial);
	let error = $state<string | null>(null);
	let loading = $state(true);
	let attempt = $state(0);
	let latest = 0;
	$effect(() => {
		void (on === 'series' ? seriesVersion.value : storeVersion.value);
		void attempt;
		const given = inputs();
		const request = ++latest;
		loading = true;
		storeReady()
			.then(() => load(given))
			.then(
				(answer) => {
					if (request !== latest) return;
					value = answer;
					error = null;
				},
				(e: unknown) => {
					if (request === latest) error = e instanceof Error ? e.message : String(e);
				}
			)
			.finally(() => {
				if (request === latest) loading = false;
			});
	});
	return {
		get value() {
			return value;
		},
		get error() {
			return error;
		},
		get loading() {
			return loading;
		},
		retry: () => attempt++
	};
}
