import type { ViewType } from './db/queries';

/**
 * A lifecycle view (MLflow's view_type) read from a URL parameter. A link edited by hand can hold
 * anything: that shows the default, active runs, rather than failing the search.
 */
export function viewParam(value: string | null): ViewType {
	return value === 'deleted' || value === 'all' ? value : 'active';
}
