/**
 * Where a model version's files are among the imported artifacts. MLflow writes the source in
 * several forms: `runs:/<run>/<path>`, `mlflow-artifacts:/<exp>/<run>/artifacts/<path>`,
 * `file:///…/mlruns/<exp>/<run>/artifacts/<path>`, `models:/m-<id>` (MLflow 3 logged models),
 * `models:/<name>/<version>` (a copy of another version). Artifacts are stored per owner: a run id
 * or a logged model id.
 */
import type { ModelVersion } from './db/rest-types';

export interface ArtifactLocation {
	owner: string;
	/** Folder inside the owner's artifacts, '' for the root. */
	prefix: string;
}

export function modelArtifactLocation(v: ModelVersion, versions: ModelVersion[] = [], depth = 0): ArtifactLocation | undefined {
	const source = v.source ?? '';
	// `models:/<name>/<version>`: a version copied from another one; follow it (MLflow 3 writes these).
	const copied = /^models:\/([^/]+)\/(\d+)$/.exec(source);
	if (copied && depth < 8) {
		const from = versions.find((x) => x.name === decodeURIComponent(copied[1]) && x.version === copied[2]);
		if (from && from !== v) return modelArtifactLocation(from, versions, depth + 1);
	}
	const runs = /^runs:\/([0-9a-f]{32})\/?(.*)$/.exec(source);
	if (runs) return { owner: runs[1], prefix: trim(runs[2]) };
	const logged = /^models:\/(m-[0-9a-f]{32})\/?(.*)$/.exec(source);
	if (logged) return { owner: logged[1], prefix: trim(logged[2]) };
	if (v.model_id && /^m-[0-9a-f]{32}$/.test(v.model_id) && source.startsWith('models:/')) return { owner: v.model_id, prefix: '' };
	const inRun = /\/([0-9a-f]{32})\/artifacts\/?(.*)$/.exec(source);
	if (inRun) return { owner: inRun[1], prefix: trim(inRun[2]) };
	const inModel = /\/models\/(m-[0-9a-f]{32})\/artifacts\/?(.*)$/.exec(source);
	if (inModel) return { owner: inModel[1], prefix: trim(inModel[2]) };
	if (v.run_id && source === '') return { owner: v.run_id, prefix: 'model' };
	return undefined;
}

function trim(path: string): string {
	return path.replace(/^\/+|\/+$/g, '');
}

/** A filter clause that matches one name exactly, quoted as MLflow's grammar wants. */
export function nameEquals(name: string): string {
	return `name = '${name.replace(/'/g, "''")}'`;
}
