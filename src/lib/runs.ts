/** Small accessors over MLflow's Run shape used by several pages. */
import type { Run } from './db/rest-types';

export function tagValue(run: Run, key: string): string | undefined {
	return run.data.tags?.find((t) => t.key === key)?.value;
}

/** MLflow's UI falls back to the run id when a run has no name. */
export function runName(run: Run): string {
	return run.info.run_name || tagValue(run, 'mlflow.runName') || run.info.run_id;
}
