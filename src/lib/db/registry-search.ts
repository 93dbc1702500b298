/**
 * MLflow's registry searches as SQL: search_registered_models over `registered_models m` and
 * search_model_versions over `model_versions v`, with their attributes, tags and order_by keys
 * (see search/grammar.ts), and MLflow's tiebreaks.
 */
import type { SqlValue } from 'sql.js';
import type { Clause, OrderBy } from '../search/parse';
import { compare, type SqlPart } from './run-search';

const MODEL_COLUMNS: Record<string, string> = {
	name: 'm.name',
	creation_timestamp: 'm.creation_time',
	last_updated_timestamp: 'm.last_updated_time'
};

const VERSION_COLUMNS: Record<string, string> = {
	name: 'v.name',
	version_number: 'v.version',
	run_id: 'v.run_id',
	source_path: 'v.source',
	creation_timestamp: 'v.creation_time',
	last_updated_timestamp: 'v.last_updated_time'
};

function filterSql(clauses: Clause[], columns: Record<string, string>, tagExists: string): SqlPart {
	const params: SqlValue[] = [];
	const parts = clauses.map((c) => {
		if (c.type === 'attribute') {
			const p = compare(columns[c.key], c);
			params.push(...p.params);
			return p.sql;
		}
		params.push(c.key);
		if (c.comparator === 'IS NULL') return `NOT EXISTS (${tagExists})`;
		if (c.comparator === 'IS NOT NULL') return `EXISTS (${tagExists})`;
		const p = compare('t.value', c);
		params.push(...p.params);
		return `EXISTS (${tagExists} AND ${p.sql})`;
	});
	return { sql: parts.join(' AND '), params };
}

export function modelFilterSql(clauses: Clause[]): SqlPart {
	return filterSql(clauses, MODEL_COLUMNS, 'SELECT 1 FROM registered_model_tags t WHERE t.name = m.name AND t.key = ?');
}

export function versionFilterSql(clauses: Clause[]): SqlPart {
	return filterSql(clauses, VERSION_COLUMNS, 'SELECT 1 FROM model_version_tags t WHERE t.name = v.name AND t.version = v.version AND t.key = ?');
}

const terms = (orders: OrderBy[], columns: Record<string, string>) =>
	orders.flatMap((o) => [`(${columns[o.key]} IS NULL)`, `${columns[o.key]} ${o.ascending ? 'ASC' : 'DESC'}`]);

/** MLflow sorts registered models by name when nothing else decides. */
export function modelOrderSql(orders: OrderBy[]): string {
	return [...terms(orders, MODEL_COLUMNS), 'm.name ASC'].join(', ');
}

/** Default: most recently updated first; then name ASC and version DESC, as MLflow. */
export function versionOrderSql(orders: OrderBy[]): string {
	const given = orders.length ? terms(orders, VERSION_COLUMNS) : ['v.last_updated_time DESC'];
	return [...given, 'v.name ASC', 'v.version DESC'].join(', ');
}
