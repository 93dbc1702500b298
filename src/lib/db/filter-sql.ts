/**
 * The pieces every search's SQL is made of: a comparison with MLflow's meaning of each comparator,
 * a clause on a key/value table (params, tags), attribute-or-tag filters and order_by terms over
 * a column map. run-search.ts, experiment-search.ts and registry-search.ts build on them.
 */
import type { SqlValue } from 'sql.js';
import type { Clause, OrderBy } from '../search/parse';

export interface SqlPart {
	sql: string;
	params: SqlValue[];
}

/** MLflow's LIKE pattern (`%`, `_`) as a GLOB pattern, so that matching is case-sensitive. */
export function likeToGlob(pattern: string): string {
	let out = '';
	for (const c of pattern) {
		if (c === '%') out += '*';
		else if (c === '_') out += '?';
		else if (c === '*' || c === '?' || c === '[') out += `[${c}]`;
		else out += c;
	}
	return out;
}

/** `<column> <comparator> <value>` with MLflow's meaning of each comparator. */
export function compare(column: string, c: Clause): SqlPart {
	const value = c.value;
	switch (c.comparator) {
		case 'LIKE':
			return { sql: `${column} GLOB ?`, params: [likeToGlob(value as string)] };
		case 'ILIKE':
			// SQLite's LIKE ignores ASCII case, as MLflow's ILIKE on SQLite does.
			return { sql: `${column} LIKE ?`, params: [value as string] };
		case 'IN':
		case 'NOT IN': {
			const list = value as string[];
			return { sql: `${column} ${c.comparator} (${list.map(() => '?').join(', ')})`, params: list };
		}
		default: {
			const numeric = c.type === 'metric' || c.numeric;
			return { sql: `${column} ${c.comparator} ?`, params: [numeric ? Number(value) : (value as string)] };
		}
	}
}

/**
 * A clause on a key/value table, given the SQL selecting the owner's row for the key (ending in
 * `key = ?`, its value column `t.value`): the key must exist with a matching value (a missing key
 * never matches, even `!=`); IS [NOT] NULL tests whether the key exists.
 */
export function keyValueClause(rowForKey: string, c: Clause): SqlPart {
	if (c.comparator === 'IS NULL') return { sql: `NOT EXISTS (${rowForKey})`, params: [c.key] };
	if (c.comparator === 'IS NOT NULL') return { sql: `EXISTS (${rowForKey})`, params: [c.key] };
	const cmp = compare('t.value', c);
	return { sql: `EXISTS (${rowForKey} AND ${cmp.sql})`, params: [c.key, ...cmp.params] };
}

/** Attribute clauses on columns, tag clauses on a tag table (experiments, models, versions). */
export function attributeOrTagFilterSql(clauses: Clause[], columns: Record<string, string>, tagRowForKey: string): SqlPart {
	const parts = clauses.map((c) => (c.type === 'attribute' ? compare(columns[c.key], c) : keyValueClause(tagRowForKey, c)));
	return { sql: parts.map((p) => p.sql).join(' AND '), params: parts.flatMap((p) => p.params) };
}

/** ORDER BY terms for attribute keys, missing values last either way. */
export function orderTerms(orders: OrderBy[], columns: Record<string, string>): string[] {
	return orders.flatMap((o) => [`(${columns[o.key]} IS NULL)`, `${columns[o.key]} ${o.ascending ? 'ASC' : 'DESC'}`]);
}
