/**
 * MLflow's experiment search (search_experiments) as SQL over `experiments e`: name and times as
 * attributes, tags as EXISTS, order_by on name, id and times with MLflow's tiebreak (id DESC).
 */
import type { Clause, OrderBy } from '../search/parse';
import { attributeOrTagFilterSql, orderTerms, type SqlPart } from './filter-sql';

const COLUMNS: Record<string, string> = {
	name: 'e.name',
	experiment_id: 'e.experiment_id',
	creation_time: 'e.creation_time',
	last_update_time: 'e.last_update_time'
};

export function experimentFilterSql(clauses: Clause[]): SqlPart {
	return attributeOrTagFilterSql(clauses, COLUMNS, 'SELECT 1 FROM experiment_tags t WHERE t.experiment_id = e.experiment_id AND t.key = ?');
}

export function experimentOrderSql(orders: OrderBy[]): string {
	// Numeric ids sort as numbers, as MLflow's integer ids do.
	return [...orderTerms(orders, COLUMNS), 'CAST(e.experiment_id AS INTEGER) DESC', 'e.experiment_id DESC'].join(', ');
}
