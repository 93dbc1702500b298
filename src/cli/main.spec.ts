import { describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync } from 'node:fs';
import { openSnapshot } from '../lib/snapshot/open';
import { memoryReader } from '../lib/sources/tree';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cli } from '../lib/testing/cli';
import { FIXTURES, importFixture, sqlJs } from '../lib/testing/fixtures';
import { startMlflowServer } from '../lib/testing/mlflow-server';

describe('trackside CLI', () => {
	it('writes a snapshot that opens, with the runs and artifacts of its inputs', async () => {
		const out = join(mkdtempSync(join(tmpdir(), 'trackside-')), 'x.trackside');
		const r = await cli('snapshot', FIXTURES + 'Dan-Irl__mlflow-testing.zip', '-o', out);
		expect(r.code).toBe(0);
		const snap = await openSnapshot(await sqlJs(), 'x.trackside', memoryReader(readFileSync(out)));
		expect(snap.manifest.counts).toMatchObject({ runs: 4 });
		expect(snap.manifest.counts.artifacts).toBeGreaterThan(0);
	});

	it('pulls from a tracking server into a store file, then exports it as an mlflow.db that reads back', async () => {
		const { store: source } = await importFixture('gabrielneil__mlflow-project.zip');
		const server = await startMlflowServer(source, { token: 't0k' });
		try {
			const dir = mkdtempSync(join(tmpdir(), 'trackside-'));
			const db = join(dir, 'store.sqlite');
			const refused = await cli('pull', server.url, '--db', db);
			expect(refused.code).toBe(1);
			expect(refused.stderr).toMatch(/401, not signed in/);
			const pulled = await cli('pull', server.url, '--db', db, '--token', 't0k');
			expect(pulled.code).toBe(0);
			const runs = source.queries.runs({ view: 'all' }).length;
			expect(pulled.stderr).toContain(`${runs} runs`);
			const out = join(dir, 'mlflow.db');
			expect((await cli('export', db, '--format', 'mlflow-db', '-o', out)).code).toBe(0);
			expect((await cli('runs', out, '--view-type', 'all', '--json')).json().runs).toHaveLength(runs);
		} finally {
			await server.close();
		}
	});

	it('imports into a store file that later commands read', async () => {
		const db = join(mkdtempSync(join(tmpdir(), 'trackside-')), 'store.sqlite');
		const imported = await cli('import', FIXTURES + 'PacktPublishing__Hyperparameter-Tuning-with-Python.zip', '--db', db);
		expect(imported.code).toBe(0);
		expect(imported.stderr).toContain('7 experiments, 19 runs');
		const exps = (await cli('experiments', db, '--json')).json();
		expect(exps.experiments.map((e: { name: string }) => e.name).sort()).toEqual(['Default', 'example1']);
		const all = (await cli('experiments', db, '--view-type', 'all', '--json')).json();
		expect(all.experiments).toHaveLength(7);
	});

	it('prints runs/search with latest metrics, params and tags; active only by default', async () => {
		const input = FIXTURES + 'PacktPublishing__Hyperparameter-Tuning-with-Python.zip';
		const active = (await cli('runs', input, '--experiment-id', '0', '--json')).json();
		expect(active.runs).toHaveLength(0);
		const deleted = (await cli('runs', input, '--experiment-id', '0', '--view-type', 'deleted', '--json')).json();
		expect(deleted.runs).toHaveLength(1);
		expect(deleted.runs[0].info).toMatchObject({ run_id: 'bb55f3cea2cd4a61bfaa09714f19f792', lifecycle_stage: 'deleted' });
		expect(deleted.runs[0].data.params).toEqual([{ key: 'param1', value: '61' }]);
		expect(deleted.runs[0].data.metrics[0]).toMatchObject({ key: 'foo', step: 0 });
	});

	it('prints registered-models/search and model-versions/search', async () => {
		const input = FIXTURES + 'AbhaySingh71__Advance-MLflow.zip';
		const models = (await cli('models', input, '--json')).json();
		expect(models.registered_models[0]).toMatchObject({
			name: 'sk-learn-random-forest-reg-model',
			aliases: [{ alias: 'champion', version: '1' }]
		});
		const versions = (await cli('versions', input, '--json')).json();
		expect(versions.model_versions.map((v: { version: string }) => v.version)).toEqual(['2', '1']);
	});

	it('prints metrics/get-history of an mlflow.db', async () => {
		const h = await cli(
			'history',
			FIXTURES + 'PatrickCmd__mlops-zoomcamp.zip',
			'--run-id',
			'5e0ee39592c04e9888b112039ed15e6e',
			'--metric',
			'validation-rmse',
			'--json'
		);
		expect(h.code).toBe(0);
		const points = h.json().metrics;
		expect(points).toHaveLength(1001);
		expect(points[0]).toMatchObject({ key: 'validation-rmse', step: 0 });
	});

	it.each([
		[['runs', '/no/such/path', '--json'], /no such file or folder/],
		[['runs'], /no inputs given/],
		[['history', FIXTURES + 'nweiand__MLOps.zip', '--json'], /needs --run-id and --metric/],
		[['runs', FIXTURES + 'SOURCES.md', '--json'], /is not a zip archive, an SQLite database or a JSON file/],
		[['frobnicate', 'x'], /unknown command frobnicate/]
	])('%j fails with a clear message and exit code 1', async (argv, message) => {
		const r = await cli(...(argv as string[]));
		expect(r.code).toBe(1);
		expect(r.stderr).toMatch(message);
		expect(r.stdout).toBe('');
	});
});
