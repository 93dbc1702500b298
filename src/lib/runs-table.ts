/**
 * The runs table's model, apart from its rendering: columns (MLflow's fixed ones plus chosen
 * params, metrics and tags), the nested-run tree over a searched order, and the CSV download.
 */
import type { Run } from './db/rest-types';
import { formatDuration, formatTime } from './format';
import { runName, tagValue } from './runs';

export type ColumnKind = 'param' | 'metric' | 'tag';
/** A chosen column, written as in MLflow's search language: `params.lr`, `metrics.loss`, `tags.team`. */
export interface KeyColumn {
	kind: ColumnKind;
	key: string;
}

const PREFIX: Record<ColumnKind, string> = { param: 'params', metric: 'metrics', tag: 'tags' };

export function columnId(c: KeyColumn): string {
	return `${PREFIX[c.kind]}.${c.key}`;
}

export function parseColumnId(id: string): KeyColumn | undefined {
	const dot = id.indexOf('.');
	const kind = (Object.keys(PREFIX) as ColumnKind[]).find((k) => PREFIX[k] === id.slice(0, dot));
	return kind && dot > 0 ? { kind, key: id.slice(dot + 1) } : undefined;
}

/** An order_by clause for a column, quoting keys that are not plain identifiers. */
export function orderByFor(c: KeyColumn, ascending: boolean): string {
	const key = /^[A-Za-z_][A-Za-z0-9_.]*$/.test(c.key) ? c.key : `\`${c.key.replace(/`/g, '``')}\``;
	return `${PREFIX[c.kind]}.${key} ${ascending ? 'ASC' : 'DESC'}`;
}

export function cellValue(run: Run, c: KeyColumn): string | number | undefined {
	if (c.kind === 'param') return run.data.params?.find((p) => p.key === c.key)?.value;
	if (c.kind === 'tag') return tagValue(run, c.key);
	return run.data.metrics?.find((m) => m.key === c.key)?.value;
}

export interface TreeRow {
	run: Run;
	depth: number;
	childCount: number;
}

/**
 * Rows in search order with each child run right under its parent (`mlflow.parentRunId`), as
 * far as the parent is itself in the result; children of a collapsed parent are left out.
 */
export function treeRows(
	ordered: Run[],
	collapsed: ReadonlySet<string>,
	pinned: ReadonlySet<string> = new Set(),
	/** The run's parent id; a page that keeps its runs passes a lookup made once, not per search. */
	parentOf: (r: Run) => string | undefined = (r) => tagValue(r, 'mlflow.parentRunId')
): TreeRow[] {
	// Most experiments have no nested runs: then the rows are the runs, pinned first, with no
	// tree to build (half the time of a 10,000-run search's redraw went into building it).
	if (!ordered.some((r) => parentOf(r))) {
		const flat = (r: Run): TreeRow => ({ run: r, depth: 0, childCount: 0 });
		if (pinned.size === 0) return ordered.map(flat);
		return [...ordered.filter((r) => pinned.has(r.info.run_id)), ...ordered.filter((r) => !pinned.has(r.info.run_id))].map(flat);
	}
	const present = new Set(ordered.map((r) => r.info.run_id));
	const children = new Map<string, Run[]>();
	const roots: Run[] = [];
	for (const r of ordered) {
		const parent = parentOf(r);
		// A pinned run is shown at the top, out of its parent's subtree.
		if (parent && parent !== r.info.run_id && present.has(parent) && !pinned.has(r.info.run_id)) {
			let list = children.get(parent);
			if (!list) children.set(parent, (list = []));
			list.push(r);
		} else roots.push(r);
	}
	const out: TreeRow[] = [];
	const seen = new Set<string>();
	const visit = (r: Run, depth: number) => {
		if (seen.has(r.info.run_id)) return; // a parent cycle in bad data
		seen.add(r.info.run_id);
		const kids = children.get(r.info.run_id) ?? [];
		out.push({ run: r, depth, childCount: kids.length });
		if (!collapsed.has(r.info.run_id)) for (const k of kids) visit(k, depth + 1);
	};
	for (const r of roots) if (pinned.has(r.info.run_id)) visit(r, 0);
	for (const r of roots) if (!pinned.has(r.info.run_id)) visit(r, 0);
	return out;
}

/**
 * Spreadsheet programs run a cell that starts with = + - @ as a formula, also after leading tabs,
 * carriage returns or spaces (OWASP's CSV injection list); MLflow prefixes a quote.
 */
function csvCell(v: string | number | undefined | null): string {
	if (v === undefined || v === null) return '';
	let s = String(v);
	if (typeof v === 'string' && /^[\t\r\n ]*[=+\-@\t\r]/.test(s)) s = `'${s}`;
	return /[",\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/** MLflow's runs.csv: fixed columns, then params, metrics and tags. */
export function runsCsv(runs: Run[], columns: { params: string[]; metrics: string[]; tags: string[] }): string {
	const header = [
		'Start Time',
		'Duration',
		'Run ID',
		'Name',
		'Source Type',
		'Source Name',
		'User',
		'Status',
		...columns.params,
		...columns.metrics,
		...columns.tags
	];
	const lines = [header.map(csvCell).join(',')];
	for (const r of runs) {
		lines.push(
			[
				formatTime(r.info.start_time),
				formatDuration(r.info.start_time, r.info.end_time),
				r.info.run_id,
				runName(r),
				tagValue(r, 'mlflow.source.type'),
				tagValue(r, 'mlflow.source.name'),
				r.info.user_id,
				r.info.status,
				...columns.params.map((k) => cellValue(r, { kind: 'param', key: k })),
				...columns.metrics.map((k) => cellValue(r, { kind: 'metric', key: k })),
				...columns.tags.map((k) => cellValue(r, { kind: 'tag', key: k }))
			]
				.map(csvCell)
				.join(',')
		);
	}
	return lines.join('\n') + '\n';
}

/** MLflow's time filter: runs started within the last hour, day, week, month or year. */
export const TIME_FILTERS: Record<string, { label: string; ms: number }> = {
	'1h': { label: 'Last hour', ms: 3_600_000 },
	'24h': { label: 'Last 24 hours', ms: 86_400_000 },
	'7d': { label: 'Last 7 days', ms: 7 * 86_400_000 },
	'30d': { label: 'Last 30 days', ms: 30 * 86_400_000 },
	'1y': { label: 'Last year', ms: 365 * 86_400_000 }
};

/** The filter sent to the store: the user's, plus the time filter as MLflow appends it. */
export function effectiveFilter(filter: string, time: string | null, now: number): string {
	const t = time ? TIME_FILTERS[time] : undefined;
	if (!t) return filter;
	const clause = `attributes.start_time >= ${now - t.ms}`;
	return filter.trim() ? `${filter} and ${clause}` : clause;
}

/** A group header of the table when grouped by a param, tag or dataset. */
export interface GroupRow {
	group: string;
	count: number;
	/** Per metric key: min, mean and max over the group's runs. */
	stats: Record<string, { min: number; mean: number; max: number }>;
}
export type TableRow = TreeRow | GroupRow;
export const isGroupRow = (r: TableRow): r is GroupRow => 'group' in r;

/** What a run is grouped under: the value of a param or tag, or its datasets' names. */
export type GroupBy = KeyColumn | { kind: 'dataset' };
export function parseGroupBy(id: string | null): GroupBy | undefined {
	if (!id) return undefined;
	if (id === 'dataset') return { kind: 'dataset' };
	const c = parseColumnId(id);
	return c && c.kind !== 'metric' ? c : undefined;
}

const NONE = '(none)';
function groupOf(run: Run, by: GroupBy): string {
	if (by.kind === 'dataset')
		return (
			run.inputs?.dataset_inputs
				?.map((d) => d.dataset.name)
				.sort()
				.join(', ') || NONE
		);
	const v = cellValue(run, by);
	return v === undefined ? NONE : String(v);
}

/**
 * Rows grouped by a param, tag or dataset, groups in the order their first run appears in the
 * search result, each followed by its runs unless collapsed. Stats use `metric(run, key)`.
 */
export function groupedRows(
	ordered: Run[],
	by: GroupBy,
	collapsed: ReadonlySet<string>,
	metricKeys: string[],
	metric: (run: Run, key: string) => number | null | undefined
): TableRow[] {
	const groups = new Map<string, Run[]>();
	for (const r of ordered) {
		const g = groupOf(r, by);
		let list = groups.get(g);
		if (!list) groups.set(g, (list = []));
		list.push(r);
	}
	const out: TableRow[] = [];
	for (const [group, runs] of orderGroups(groups)) {
		const stats: GroupRow['stats'] = {};
		for (const key of metricKeys) {
			let min = Infinity,
				max = -Infinity,
				sum = 0,
				n = 0;
			for (const r of runs) {
				const v = metric(r, key);
				if (typeof v !== 'number' || !Number.isFinite(v)) continue;
				min = Math.min(min, v);
				max = Math.max(max, v);
				sum += v;
				n++;
			}
			if (n) stats[key] = { min, mean: sum / n, max };
		}
		out.push({ group, count: runs.length, stats });
		if (!collapsed.has(group)) for (const run of runs) out.push({ run, depth: 1, childCount: 0 });
	}
	return out;
}

/**
 * Groups whose values are all numbers (learning rates, batch sizes) in numeric order, as one reads
 * them, not as text ("0.1" before "0.01") nor by their best run; runs without the value last.
 * Other groups keep the order their first run has in the search result.
 */
function orderGroups(groups: Map<string, Run[]>): [string, Run[]][] {
	const entries = [...groups];
	const valued = entries.filter(([g]) => g !== NONE);
	const numeric = valued.length > 0 && valued.every(([g]) => g.trim() !== '' && Number.isFinite(Number(g)));
	if (!numeric) return entries;
	return [...valued.sort(([a], [b]) => Number(a) - Number(b)), ...entries.filter(([g]) => g === NONE)];
}

/** Pinned runs first (in their search order), hidden runs out. */
export function pinAndHide(ordered: Run[], pinned: ReadonlySet<string>, hidden: ReadonlySet<string>): Run[] {
	if (pinned.size === 0 && hidden.size === 0) return ordered;
	const visible = ordered.filter((r) => !hidden.has(r.info.run_id));
	return [...visible.filter((r) => pinned.has(r.info.run_id)), ...visible.filter((r) => !pinned.has(r.info.run_id))];
}

/**
 * The keys a runs table shows before the user picks: the `limit` keys most runs have (a key every
 * run logged before one only a few did), then in alphabetical order to read. The first keys
 * alphabetically hid `val_loss` behind 20 rarely logged `batch_*` metrics in a real store.
 */
export function keysByCoverage(lists: (readonly { key: string }[] | undefined)[], limit: number): string[] {
	const count = new Map<string, number>();
	for (const list of lists) for (const { key } of list ?? []) count.set(key, (count.get(key) ?? 0) + 1);
	return [...count]
		.sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0))
		.slice(0, limit)
		.map(([k]) => k)
		.sort();
}

/** A file name from an experiment's name: letters, digits, dot, dash and underscore kept. */
export function csvName(experimentName: string | undefined): string {
	const base = (experimentName ?? '').replace(/[^\w.-]+/g, '-').replace(/^[-.]+|[-.]+$/g, '');
	return `${base || 'experiment'}-runs.csv`;
}
