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
