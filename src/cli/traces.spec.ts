/**
 * `trackside traces` and `trackside trace` print MLflow's shapes: search_traces'
 * `{"traces": [TraceInfo, ...]}` and `Trace.to_dict()`'s `{"info", "data": {"spans"}}`, checked
 * against the source files; filters use MLflow's grammar and its errors exit 1.
 */
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { strFromU8, unzipSync } from 'fflate';
import { parse as parseYaml } from 'yaml';
import { cli } from '../lib/testing/cli';

const GENAI = fileURLToPath(new URL('../../../shared/fixtures/genai/', import.meta.url));
const PARUL = GENAI + 'paruldiwakar__mlflow-genai.zip';

/** The FileStore fixture's trace folders, read with the yaml parser. */
function sourceTraces() {
	const files = unzipSync(readFileSync(PARUL));
	const out = new Map<string, { info: Record<string, unknown>; assessments: Record<string, unknown>[]; spans: string }>();
	for (const [path, bytes] of Object.entries(files)) {
		const m = /traces\/(tr-[0-9a-f]+)\/trace_info\.yaml$/.exec(path);
		if (!m) continue;
		const dir = path.slice(0, -'trace_info.yaml'.length);
		out.set(m[1], {
			info: parseYaml(strFromU8(bytes)),
			assessments: Object.entries(files)
				.filter(([p]) => p.startsWith(dir + 'assessments/'))
				.map(([, b]) => parseYaml(strFromU8(b))),
			spans: strFromU8(files[dir + 'artifacts/traces.json'])
		});
	}
	return out;
}

describe('trackside traces / trace', () => {
	it('lists every trace as MLflow TraceInfo, newest first, and filters with search_traces grammar', async () => {
		const source = sourceTraces();
		const r = await cli('traces', PARUL, '--json');
		expect(r.code).toBe(0);
		const { traces } = JSON.parse(r.stdout);
		expect(traces.map((t: { trace_id: string }) => t.trace_id).sort()).toEqual([...source.keys()].sort());
		const times = traces.map((t: { request_time: string }) => Date.parse(t.request_time));
		expect(times).toEqual([...times].sort((a, b) => b - a));
		for (const t of traces) {
			const s = source.get(t.trace_id)!;
			expect(t).toMatchObject({
				trace_location: s.info.trace_location,
				request_time: s.info.request_time,
				state: s.info.state,
				request_preview: s.info.request_preview,
				response_preview: s.info.response_preview
			});
			expect(t.assessments.map((a: { assessment_id: string }) => a.assessment_id).sort()).toEqual(
				s.assessments.map((a) => a.assessment_id).sort()
			);
		}
		const no = (await cli('traces', PARUL, '--filter', "feedback.correctness = 'no'", '--json')).stdout;
		const want = [...source].filter(([, s]) =>
			s.assessments.some((a) => a.assessment_name === 'correctness' && (a.feedback as { value: unknown })?.value === 'no')
		);
		expect(
			JSON.parse(no)
				.traces.map((t: { trace_id: string }) => t.trace_id)
				.sort()
		).toEqual(want.map(([id]) => id).sort());
	});

	it.each([
		["trace.status LIKE 'O%'", "Invalid comparator 'LIKE'"],
		['timestamp_ms > now', 'Expected numeric value type for numeric attribute: timestamp_ms'],
		["span.name = 'x'", "Invalid entity type 'span'"],
		["foo = 'x'", "Invalid attribute key 'foo' specified"]
	])('refuses %s with MLflow’s message', async (filter, message) => {
		const r = await cli('traces', PARUL, '--filter', filter, '--json');
		expect(r.code).toBe(1);
		expect(r.stderr).toContain(message);
	});

	it('prints one trace as Trace.to_dict(), its spans as the source holds them', async () => {
		const [id, s] = [...sourceTraces()][0];
		const r = await cli('trace', PARUL, '--trace-id', id, '--json');
		expect(r.code).toBe(0);
		const trace = JSON.parse(r.stdout);
		expect(trace.info.trace_id).toBe(id);
		expect(trace.data.spans).toEqual(JSON.parse(s.spans).spans);
		const missing = await cli('trace', PARUL, '--trace-id', 'tr-nope', '--json');
		expect(missing.code).toBe(1);
		expect(missing.stderr).toContain('no trace tr-nope');
	});
});
