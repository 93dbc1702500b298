/**
 * MLflow's registry searches as SQL: search_registered_models over `registered_models m` and
 * search_model_versions over `model_versions v`, with their attributes, tags and order_by keys
 * (see search/grammar.ts), and MLflow's tiebreaks.
 */
import type { Clause, OrderBy } from '../search/parse';
import { attributeOrTagFilterSql, orderTerms, type SqlPart } from './filter-sql';

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

export function modelFilterSql(clauses: Clause[]): SqlPart {
	return attributeOrTagFilterSql(clauses, MODEL_COLUMNS, 'SELECT 1 FROM registered_model_tags t WHERE t.name = m.name AND t.key = ?');
}

export function versionFilterSql(clauses: Clause[]): SqlPart {
	return attributeOrTagFilterSql(
		clauses,
		VERSION_COLUMNS,
		'SELECT 1 FROM model_version_tags t WHERE t.name = v.name AND t.version = v.version AND t.key = ?'
	);
}

/** MLflow sorts registered models by name when nothing else decides. */
export function modelOrderSql(orders: OrderBy[]): string {
	return [...orderTerms(orders, MODEL_COLUMNS), 'm.name ASC'].join(', ');
}

/** Default: most recently updated first; then name ASC and version DESC, as MLflow. */
export function versionOrderSql(orders: OrderBy[]): string {
	const given = orders.length ? orderTerms(orders, VERSION_COLUMNS) : ['v.last_updated_time DESC'];
	return [...given, 'v.name ASC', 'v.version DESC'].join(', ');
}
