/** Exports of a selection, each one file in one of MLflow's own formats. */
import { zipSync, type Zippable } from 'fflate';
import type { SqlJsStatic } from 'sql.js';
import type { Store } from '../db/store';
import { collect, type ExportSet, type Selection } from './collect';
import { mlrunsFiles } from './mlruns';
import { restJsonFiles } from './rest-json';
import { mlflowDb, MLFLOW_DB_REVISION } from './mlflow-db';

export type ExportFormat = 'mlruns' | 'mlflow-db' | 'rest-json';

function zip(files: Map<string, Uint8Array>): Uint8Array {
	const z: Zippable = {};
	for (const [path, bytes] of files) z[path] = bytes;
	// Level 1: metric files compress well at any level; the export should not keep the user waiting.
	return zipSync(z, { level: 1 });
}

export const EXPORT_FORMATS: Record<
	ExportFormat,
	{ label: string; extension: string; build: (set: ExportSet, SQL: SqlJsStatic) => Uint8Array }
> = {
	mlruns: { label: 'mlruns folder (MLflow FileStore), zipped', extension: 'zip', build: (set) => zip(mlrunsFiles(set)) },
	'mlflow-db': {
		label: `mlflow.db (MLflow SQL store, alembic revision ${MLFLOW_DB_REVISION}, MLflow 2.13; mlflow db upgrade brings it forward)`,
		extension: 'db',
		build: (set, SQL) => mlflowDb(SQL, set)
	},
	'rest-json': { label: 'MLflow REST API JSON, zipped', extension: 'zip', build: (set) => zip(restJsonFiles(set)) }
};

export function exportFile(SQL: SqlJsStatic, store: Store, selection: Selection, format: ExportFormat): Uint8Array {
	return EXPORT_FORMATS[format].build(collect(store, selection), SQL);
}
