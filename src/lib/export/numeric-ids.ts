/**
 * MLflow's stores number their experiments (FileStore folders, an INTEGER column in SQL). An id
 * Trackside gave on a clash of two stores (`1-2`) gets the next free number; others stay.
 */
import type { Experiment } from '../db/rest-types';

export function numericExperimentIds(experiments: Experiment[]): Map<string, string> {
	// BigInt: FileStore ids are often 18 digits, past a double's exact integers.
	let next =
		experiments.reduce((m, e) => (/^\d+$/.test(e.experiment_id) && BigInt(e.experiment_id) > m ? BigInt(e.experiment_id) : m), 0n) + 1n;
	const ids = new Map<string, string>();
	for (const e of experiments) ids.set(e.experiment_id, /^\d+$/.test(e.experiment_id) ? e.experiment_id : String(next++));
	return ids;
}
