/**
 * Hostile trace files: keys named like Object's internals, span parents that loop, a span that is
 * its own parent, ids that try to leave a folder, JSON that is not a span file. Each is imported
 * as data or named in the report; nothing throws, nothing is lost silently.
 */
import { describe, expect, it } from 'vitest';
import { strToU8 } from 'fflate';
import { Store } from '../db/store';
import { importTree } from '.';
import { treeFromMap } from '../sources/tree';
import { sqlJs } from '../testing/fixtures';
import { buildSpanTree, visibleSpans } from '../traces/span-tree';
import type { SpanRow } from '../db/queries';

const span = (id: string, parent: string | null, name: string, attributes: Record<string, string> = {}) => ({
	trace_id: 'AAAAAAAAAAAAAAAAAAAAAA==',
	span_id: id,
	parent_span_id: parent,
	name,
	start_time_unix_nano: 1e18 + Number.parseInt(id, 16),
	end_time_unix_nano: 1e18 + Number.parseInt(id, 16) + 1e6,
	events: [],
	status: { code: 'STATUS_CODE_OK', message: '' },
	attributes
});

function store(files: Record<string, string>) {
	const map = new Map(Object.entries(files).map(([k, v]) => [k, strToU8(v)]));
	map.set('mlruns/1/meta.yaml', strToU8("artifact_location: x\nexperiment_id: '1'\nlifecycle_stage: active\nname: e\n"));
	return treeFromMap('hostile.zip', map);
}

const info = (id: string) =>
	`trace_id: ${id}\nrequest_time: '2026-01-01T00:00:00Z'\nstate: OK\ntrace_location:\n  mlflow_experiment:\n    experiment_id: '1'\n  type: MLFLOW_EXPERIMENT\n`;

describe('hostile trace files', () => {
	it('keeps keys named __proto__ or constructor as data, and shows loops of parents once each', async () => {
		const SQL = await sqlJs();
		const s = Store.open(SQL);
		const id = 'tr-00000000000000000000000000000001';
		const report = await importTree(
			SQL,
			s,
			store({
				[`mlruns/1/traces/${id}/trace_info.yaml`]: info(id),
				[`mlruns/1/traces/${id}/tags/__proto__`]: 'polluted?',
				[`mlruns/1/traces/${id}/request_metadata/constructor`]: 'x',
				[`mlruns/1/traces/${id}/artifacts/traces.json`]: JSON.stringify({
					spans: [
						span('00000000000000a1', '00000000000000a2', 'a', { __proto__: '"p"', 'mlflow.spanInputs': '"<img src=x onerror=alert(1)>"' }),
						span('00000000000000a2', '00000000000000a1', 'b'),
						span('00000000000000a3', '00000000000000a3', 'self'),
						span('00000000000000a4', '00000000000000ff', 'orphan')
					]
				})
			})
		);
		expect(report.imported.traces).toBe(1);
		expect(report.imported.spans).toBe(4);
		const q = s.queries;
		expect(Object.getOwnPropertyNames(q.traceInfo(id)!.tags)).toContain('__proto__');
		expect(q.traceRows([id])[0].tags.__proto__).toBe('polluted?');
		expect(({} as Record<string, unknown>).polluted).toBeUndefined();
		// Every span is in the tree exactly once, whatever its parents say.
		const tree = buildSpanTree(JSON.parse(q.traceDetail(id)!.spans) as SpanRow[]);
		const all = visibleSpans(tree, new Set(tree.rows.map((_, i) => i)));
		expect(all.slice().sort()).toEqual([0, 1, 2, 3]);
	});

	it('names what is not a trace: a span file that is not JSON, a trace folder without its info, span files of unknown traces', async () => {
		const SQL = await sqlJs();
		const s = Store.open(SQL);
		const ok = 'tr-00000000000000000000000000000002';
		const report = await importTree(
			SQL,
			s,
			store({
				[`mlruns/1/traces/${ok}/trace_info.yaml`]: info(ok),
				[`mlruns/1/traces/${ok}/artifacts/traces.json`]: '{"spans": [',
				'mlruns/1/traces/tr-00000000000000000000000000000003/tags/mlflow.traceName': 'no info',
				'mlruns/1/traces/tr-00000000000000000000000000000004/artifacts/traces.json': '{"spans": []}'
			})
		);
		const skipped = report.skipped.map((x) => `${x.path}: ${x.reason}`).join('\n');
		expect(skipped).toMatch(/artifacts\/traces\.json: span file of trace tr-0+2 is unreadable: not JSON/);
		expect(skipped).toMatch(/tr-0+3\/: trace folder has no trace_info\.yaml/);
		expect(skipped).toMatch(/tr-0+4\/artifacts\/traces\.json: file of trace tr-0+4, which is in no imported store/);
		expect(s.queries.traceRows([ok])[0].span_count).toBeNull();
	});
});

describe('evaluation datasets of an mlflow.db (MLflow 3.4+ tables)', () => {
	it('imports datasets with their records and tags, linked to their experiment; an unlinked association is named', async () => {
		const SQL = await sqlJs();
		const src = new SQL.Database();
		src.exec(`
			CREATE TABLE experiments (experiment_id INTEGER PRIMARY KEY, name TEXT, artifact_location TEXT, lifecycle_stage TEXT);
			INSERT INTO experiments VALUES (4, 'rag', 'x', 'active');
			CREATE TABLE runs (run_uuid TEXT PRIMARY KEY, name TEXT, source_type TEXT, source_name TEXT, entry_point_name TEXT, user_id TEXT,
				status TEXT, start_time INTEGER, end_time INTEGER, source_version TEXT, lifecycle_stage TEXT, artifact_uri TEXT, experiment_id INTEGER);
			CREATE TABLE evaluation_datasets (dataset_id TEXT PRIMARY KEY, name TEXT, schema TEXT, profile TEXT, digest TEXT, created_time INTEGER,
				last_update_time INTEGER, created_by TEXT, last_updated_by TEXT);
			INSERT INTO evaluation_datasets VALUES ('d-1', 'golden', '{"inputs": {"question": "string"}}', '{"num_records": 2}', 'abc', 10, 20, 'ana', 'ana');
			CREATE TABLE evaluation_dataset_records (dataset_record_id TEXT PRIMARY KEY, dataset_id TEXT, inputs TEXT, expectations TEXT, tags TEXT,
				source TEXT, source_id TEXT, source_type TEXT, created_time INTEGER, last_update_time INTEGER, created_by TEXT, last_updated_by TEXT,
				input_hash TEXT, outputs TEXT);
			INSERT INTO evaluation_dataset_records VALUES ('dr-1', 'd-1', '{"question": "a?"}', '{"expected_response": "A"}', NULL, NULL, 'tr-1', 'TRACE', 11, 11, 'ana', 'ana', 'h1', NULL),
				('dr-2', 'd-1', '{"question": "b?"}', NULL, NULL, NULL, NULL, 'HUMAN', 12, 12, 'ana', 'ana', 'h2', '{"response": "B"}');
			CREATE TABLE evaluation_dataset_tags (dataset_id TEXT, key TEXT, value TEXT);
			INSERT INTO evaluation_dataset_tags VALUES ('d-1', 'team', 'search');
			CREATE TABLE entity_associations (association_id TEXT, source_type TEXT, source_id TEXT, destination_type TEXT, destination_id TEXT, created_time INTEGER);
			INSERT INTO entity_associations VALUES ('e1', 'evaluation_dataset', 'd-1', 'experiment', '4', 0), ('e2', 'evaluation_dataset', 'd-9', 'experiment', '4', 0);
		`);
		const s = Store.open(SQL);
		const report = await importTree(SQL, s, treeFromMap('x', new Map([['mlflow.db', src.export()]])));
		expect(report.imported).toMatchObject({ evaluationDatasets: 1, datasetRecords: 2 });
		expect(report.skipped.map((x) => x.reason).join()).toMatch(/1 association\(s\) not of an imported trace or evaluation dataset/);
		const [d] = s.queries.evaluationDatasets('4');
		expect(d).toMatchObject({ dataset_id: 'd-1', name: 'golden', record_count: 2, tags: '{"team":"search"}', created_by: 'ana' });
		expect(s.queries.datasetRecords('d-1')).toMatchObject([
			{ dataset_record_id: 'dr-1', inputs: '{"question": "a?"}', expectations: '{"expected_response": "A"}', source_type: 'TRACE' },
			{ dataset_record_id: 'dr-2', outputs: '{"response": "B"}', source_type: 'HUMAN' }
		]);
	});
});
