/** Exports of a selection, each a zip of files in one of MLflow's own formats. */
import { zipSync, type Zippable } from 'fflate';
import type { Store } from '../db/store';
import { collect, type Selection } from './collect';
import { mlrunsFiles } from './mlruns';
import { restJsonFiles } from './rest-json';

export type ExportFormat = 'mlruns' | 'rest-json';

export const EXPORT_FORMATS: Record<ExportFormat, { label: string; files: typeof mlrunsFiles }> = {
	mlruns: { label: 'mlruns folder (MLflow FileStore), zipped', files: mlrunsFiles },
	'rest-json': { label: 'MLflow REST API JSON, zipped', files: restJsonFiles }
};

export function exportZip(store: Store, selection: Selection, format: ExportFormat): Uint8Array {
	const files: Zippable = {};
	for (const [path, bytes] of EXPORT_FORMATS[format].files(collect(store, selection))) files[path] = bytes;
	// Level 1: metric files compress well at any level; the export should not keep the user waiting.
	return zipSync(files, { level: 1 });
}
