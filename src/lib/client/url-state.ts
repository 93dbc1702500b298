/** View state lives in the query string, so every state is a link. */
import { goto } from '$app/navigation';
import { page } from '$app/state';

/** Sets (or, at its default, removes) one query parameter, replacing the history entry. */
export function setQueryParam(key: string, value: string, defaultValue: string): void {
	const url = new URL(page.url);
	if (value === defaultValue) url.searchParams.delete(key);
	else url.searchParams.set(key, value);
	goto(url, { replaceState: true, keepFocus: true, noScroll: true });
}

/** Sets several query parameters at once; null or an empty list removes one. */
export function setQueryParams(values: Record<string, string | string[] | null>): void {
	const url = new URL(page.url);
	for (const [key, value] of Object.entries(values)) {
		url.searchParams.delete(key);
		if (value === null) continue;
		for (const v of Array.isArray(value) ? value : [value]) url.searchParams.append(key, v);
	}
	goto(url, { replaceState: true, keepFocus: true, noScroll: true });
}
