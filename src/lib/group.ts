/** Appends to the list under a key, creating it: grouping in one pass (no copy per item). */
export function push<K, V>(map: Map<K, V[]>, key: K, value: V): void {
	const list = map.get(key);
	if (list) list.push(value);
	else map.set(key, [value]);
}
