/**
 * A pull from a tracking server, as REST responses saved to files and imported by the REST JSON
 * importer in one transaction, so a pull is an import like any other: one report, nothing
 * half-written if it fails, histories merged point by point with what the store has.
 *
 * Incremental: a run the store already holds, finished, with the same end time and the same
 * latest point per metric, has nothing new; only new or changed runs' histories are fetched.
 * Resumable: fetched histories are kept in a PullState; pulling again after a failure (a 500, a
 * dropped connection, a cancel) fetches only what is missing.
 */
import { appendAll } from '../group';
import { UserError } from '../errors';
import type { KnownRun } from '../db/queries';
import type { MlflowClient } from './client';

const enc = new TextEncoder();

export interface PullPlan {
	experimentIds: string[];
	registry: boolean;
	/** Artifact bytes to fetch at most over the whole pull (0 or absent: none). */
	artifactBytes?: number;
}

export interface PullResult {
	files: Map<string, Uint8Array>;
	/** Said in the import report, e.g. artifacts left out by the size cap. */
	notes: string[];
}

export interface PullProgress {
	phase: 'experiments' | 'runs' | 'histories' | 'artifacts' | 'registry';
	done: number;
	total: number;
	requests: number;
}

/** What a pull has fetched so far, kept across attempts to resume. */
export interface PullState {
	histories: Map<string, unknown[]>;
	artifacts: Map<string, Uint8Array>;
}

export function newPullState(): PullState {
	return { histories: new Map(), artifacts: new Map() };
}

interface RestRun {
	info: { run_id: string; end_time?: number; status: string; experiment_id: string };
	data?: { metrics?: { key: string; step: number; timestamp: number }[] };
}

/** Runs whose history the store lacks for a key: new runs, running ones, or a new latest point. */
function needsHistory(run: RestRun, key: string, known: KnownRun | undefined): boolean {
	if (!known || run.info.status === 'RUNNING' || known.endTime !== (run.info.end_time ?? null)) return true;
	const m = known.metrics.get(key);
	const latest = run.data?.metrics?.find((x) => x.key === key);
	return !m || !m.complete || !latest || m.step !== latest.step || m.timestamp !== latest.timestamp;
}

export async function listExperiments(client: MlflowClient): Promise<{ experiment_id: string; name: string; lifecycle_stage: string }[]> {
	return client.all('GET', 'experiments/search', { max_results: 1000, view_type: 'ALL' }, 'experiments');
}

export async function pull(
	client: MlflowClient,
	plan: PullPlan,
	known: (runIds: string[]) => Map<string, KnownRun>,
	state: PullState,
	onProgress: (p: PullProgress) => void = () => {},
	cancel: { cancelled: boolean } = { cancelled: false }
): Promise<PullResult> {
	// The request under way stops at once on cancel, not only between requests.
	client.useCancel(cancel);
	const notes: string[] = [];
	const files = new Map<string, Uint8Array>();
	const put = (path: string, doc: unknown) => files.set(path, enc.encode(JSON.stringify(doc)));
	const check = () => {
		if (cancel.cancelled) throw new UserError('pull cancelled; nothing was changed, and pulling again resumes', 'cancelled');
	};
	const progress = (phase: PullProgress['phase'], done: number, total: number) =>
		onProgress({ phase, done, total, requests: client.requests });

	progress('experiments', 0, 1);
	const wanted = new Set(plan.experimentIds);
	const experiments = (await listExperiments(client)).filter((e) => wanted.has(e.experiment_id));
	put('experiments.json', { experiments });

	const runs: RestRun[] = [];
	for (let i = 0; i < plan.experimentIds.length; i += 100) {
		check();
		const page = await client.all<RestRun>(
			'POST',
			'runs/search',
			{ experiment_ids: plan.experimentIds.slice(i, i + 100), run_view_type: 'ALL', max_results: 1000 },
			'runs',
			(n) => progress('runs', runs.length + n, runs.length + n)
		);
		appendAll(runs, page);
	}
	put('runs.json', { runs });

	const have = known(runs.map((r) => r.info.run_id));
	const todo: { runId: string; key: string }[] = [];
	for (const run of runs) {
		for (const m of run.data?.metrics ?? []) {
			if (needsHistory(run, m.key, have.get(run.info.run_id))) todo.push({ runId: run.info.run_id, key: m.key });
		}
	}
	let done = 0;
	for (const { runId, key } of todo) {
		check();
		const id = `${runId}\u0000${key}`;
		let points = state.histories.get(id);
		if (!points) {
			points = await client.all<unknown>('GET', 'metrics/get-history', { run_id: runId, metric_key: key, max_results: 25000 }, 'metrics');
			state.histories.set(id, points);
		}
		// Older servers leave run_id out of the points; the file says it.
		put(`history/${runId}/${encodeURIComponent(key)}.json`, { metrics: points.map((p) => ({ ...(p as object), run_id: runId })) });
		progress('histories', ++done, todo.length);
	}

	if (plan.artifactBytes) {
		// New or changed runs only; files in listing order until the cap, the rest named in a note.
		const changed = runs.filter((r) => {
			const k = have.get(r.info.run_id);
			return !k || k.endTime !== (r.info.end_time ?? null) || r.info.status === 'RUNNING';
		});
		let budget = plan.artifactBytes;
		let skipped = 0;
		let skippedBytes = 0;
		for (const [i, run] of changed.entries()) {
			check();
			const runId = run.info.run_id;
			for (const f of await listArtifacts(client, runId)) {
				const id = `${runId}\u0000${f.path}`;
				let bytes = state.artifacts.get(id);
				if (!bytes && f.size > budget) {
					skipped++;
					skippedBytes += f.size;
					continue;
				}
				if (!bytes) {
					check();
					bytes = await client.artifact(runId, f.path);
					state.artifacts.set(id, bytes);
				}
				budget -= bytes.length;
				// Where the artifacts pass finds a run's files: <experiment>/<run id>/artifacts/<path>.
				files.set(`pulled-artifacts/0/${runId}/artifacts/${f.path}`, bytes);
			}
			progress('artifacts', i + 1, changed.length);
		}
		if (skipped)
			notes.push(`${skipped} artifact file(s) (${Math.round(skippedBytes / 1e6)} MB) were not pulled: over the size limit of this pull.`);
	}

	if (plan.registry) {
		check();
		progress('registry', 0, 1);
		put('registered_models.json', {
			registered_models: await client.all('GET', 'registered-models/search', { max_results: 1000 }, 'registered_models')
		});
		put('model_versions.json', {
			model_versions: await client.all('GET', 'model-versions/search', { max_results: 10000 }, 'model_versions')
		});
		progress('registry', 1, 1);
	}
	return { files, notes };
}

/** A run's artifact files (recursively, paged), in listing order. */
async function listArtifacts(client: MlflowClient, runId: string): Promise<{ path: string; size: number }[]> {
	const out: { path: string; size: number }[] = [];
	const folders: (string | undefined)[] = [undefined];
	while (folders.length) {
		const path = folders.shift();
		const entries = await client.all<{ path: string; is_dir?: boolean; file_size?: number }>(
			'GET',
			'artifacts/list',
			{ run_id: runId, path },
			'files'
		);
		for (const e of entries) {
			if (e.is_dir) folders.push(e.path);
			else out.push({ path: e.path, size: Number(e.file_size ?? 0) });
		}
	}
	return out;
}
