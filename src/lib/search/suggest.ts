/**
 * Autocomplete for the run search box: keys while an identifier is being typed, then known values
 * of that param or tag after a comparator. Works on the text before the caret; returns the
 * replacement for the fragment being typed.
 */
export interface SuggestContext {
	metrics: string[];
	params: string[];
	tags: string[];
	/** Known values per `params.<key>` / `tags.<key>`. */
	values: (kind: 'params' | 'tags', key: string) => string[];
}

export interface Suggestion {
	/** Where the replaced fragment starts in the text. */
	from: number;
	/** What replaces text[from..caret]. */
	insert: string;
	label: string;
}

const ATTRIBUTES = ['run_name', 'run_id', 'status', 'user_id', 'start_time', 'end_time', 'artifact_uri'];
const PLAIN_KEY = /^[A-Za-z_][A-Za-z0-9_.]*$/;
const quoteKey = (k: string) => (PLAIN_KEY.test(k) ? k : `\`${k.replace(/`/g, '``')}\``);
const quoteValue = (v: string) => `'${v.replace(/'/g, "''")}'`;

export function suggest(text: string, caret: number, ctx: SuggestContext, limit = 12): Suggestion[] {
	const before = text.slice(0, caret);
	// The clause being typed: after the last AND outside quotes (a simple scan is enough here).
	const clauseStart = Math.max(0, ...[...before.matchAll(/\s+and\s+/gi)].map((m) => (m.index ?? 0) + m[0].length));
	const clause = before.slice(clauseStart);
	const valueMatch = /^\s*(params|param|parameters|tags|tag)\.(`[^`]*`|"[^"]*"|[A-Za-z0-9_.]+)\s*(=|!=|LIKE|ILIKE)\s*('?[^']*)$/i.exec(
		clause
	);
	if (valueMatch) {
		const kind = valueMatch[1].toLowerCase().startsWith('tag') ? 'tags' : 'params';
		const key = valueMatch[2].replace(/^[`"]|[`"]$/g, '');
		const typed = valueMatch[4].replace(/^'/, '');
		const from = caret - valueMatch[4].length;
		return ctx
			.values(kind, key)
			.filter((v) => v.toLowerCase().startsWith(typed.toLowerCase()))
			.slice(0, limit)
			.map((v) => ({ from, insert: quoteValue(v), label: v }));
	}
	const identMatch = /([A-Za-z_`][^\s=<>!]*)$/.exec(clause);
	if (!identMatch || /[=<>!]/.test(clause.slice(0, clause.length - identMatch[1].length))) return [];
	const norm = (x: string) => x.toLowerCase().replace(/`/g, '');
	const typed = norm(identMatch[1]);
	const from = caret - identMatch[1].length;
	const all = [
		...ctx.metrics.map((k) => `metrics.${quoteKey(k)}`),
		...ctx.params.map((k) => `params.${quoteKey(k)}`),
		...ctx.tags.map((k) => `tags.${quoteKey(k)}`),
		...ATTRIBUTES.map((a) => `attributes.${a}`),
		'datasets.name',
		'datasets.digest',
		'datasets.context'
	];
	// Prefix matches first, then matches on the key alone (typing "loss" finds metrics.loss).
	const byPrefix = all.filter((s) => norm(s).startsWith(typed));
	const byKey = all.filter((s) => !byPrefix.includes(s) && norm(s.slice(s.indexOf('.') + 1)).includes(typed));
	return [...byPrefix, ...byKey].slice(0, limit).map((s) => ({ from, insert: s + ' ', label: s }));
}
