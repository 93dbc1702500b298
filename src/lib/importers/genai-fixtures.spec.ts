/**
 * Every real GenAI store (../shared/fixtures/genai) imports whole: traces, spans, assessments and
 * links in the store equal what a separate reader finds in the sources (mlflow.db tables through
 * sql.js; FileStore trace folders and traces.json files through the yaml parser and JSON.parse),
 * count by count and field by field, and MLflow's shapes come back out (TraceInfo, Assessment).
 */
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { strFromU8, unzipSync } from 'fflate';
import { parse as parseYaml } from 'yaml';
import { Store } from '../db/store';
import { importInto, sqlJs } from '../testing/fixtures';
import { localSource } from '../workspace/series-source';
import { MemoryPersistence } from '../workspace/persistence';
import { hexId } from '../traces/span-json';

const GENAI = fileURLToPath(new URL('../../../../shared/fixtures/genai/', import.meta.url));

interface SourceTrace {
	experimentId: string;
	requestTime: number;
	durationMs: number | null;
	state: string;
	tags: Record<string, string>;
	metadata: Record<string, string>;
	/** Span ids (hex) wherever the trace's spans are; null when no source holds them. */
	spans: Set<string> | null;
	assessments: Map<string, { name: string; value: unknown; type: string }>;
}

/** A separate reader of the sources: what each fixture holds. */
async function readSources(zip: string): Promise<Map<string, SourceTrace>> {
	const files = unzipSync(readFileSync(GENAI + zip));
	const out = new Map<string, SourceTrace>();
	const SQL = await sqlJs();
	const spanFiles = new Map<string, Set<string>>();
	for (const [path, bytes] of Object.entries(files)) {
		const m = /traces\/([^/]+)\/artifacts\/traces\.json$/.exec(path);
		if (m) spanFiles.set(m[1], new Set(JSON.parse(strFromU8(bytes)).spans.map((s: { span_id: string }) => hexId(s.span_id))));
	}
	for (const [path, bytes] of Object.entries(files)) {
		if (!path.endsWith('.db')) continue;
		const db = new SQL.Database(bytes);
		const rows = (sql: string) => {
			const r = db.exec(sql)[0];
			return r ? r.values.map((v) => Object.fromEntries(r.columns.map((c, i) => [c, v[i]]))) : [];
		};
		const has = (t: string) => rows(`SELECT 1 FROM sqlite_master WHERE name = '${t}'`).length > 0;
		if (!has('trace_info')) continue;
		for (const t of rows('SELECT *, CAST(experiment_id AS TEXT) AS eid FROM trace_info')) {
			out.set(t.request_id as string, {
				experimentId: t.eid as string,
				requestTime: t.timestamp_ms as number,
				durationMs: t.execution_time_ms as number | null,
				state: t.status as string,
				tags: {},
				metadata: {},
				spans: null,
				assessments: new Map()
			});
		}
		for (const r of rows('SELECT * FROM trace_tags')) out.get(r.request_id as string)!.tags[r.key as string] = r.value as string;
		for (const r of rows('SELECT * FROM trace_request_metadata'))
			out.get(r.request_id as string)!.metadata[r.key as string] = r.value as string;
		if (has('spans'))
			for (const r of rows('SELECT trace_id, span_id FROM spans')) {
				const t = out.get(r.trace_id as string)!;
				(t.spans ??= new Set()).add(r.span_id as string);
			}
		if (has('assessments'))
			for (const a of rows('SELECT * FROM assessments'))
				out.get(a.trace_id as string)!.assessments.set(a.assessment_id as string, {
					name: a.name as string,
					value: JSON.parse(a.value as string),
					type: a.assessment_type as string
				});
		db.close();
	}
	// FileStore trace folders.
	for (const [path, bytes] of Object.entries(files)) {
		const m = /mlruns\/(\d+)\/traces\/([^/]+)\/trace_info\.yaml$/.exec(path);
		if (!m) continue;
		const info = parseYaml(strFromU8(bytes));
		const dir = path.slice(0, -'trace_info.yaml'.length);
		const folder = (sub: string) =>
			Object.fromEntries(
				Object.entries(files)
					.filter(([p]) => p.startsWith(dir + sub + '/'))
					.map(([p, b]) => [p.slice(dir.length + sub.length + 1), strFromU8(b)])
			);
		const assessments = new Map<string, { name: string; value: unknown; type: string }>();
		for (const text of Object.values(folder('assessments'))) {
			const a = parseYaml(text);
			const type = a.feedback ? 'feedback' : 'expectation';
			assessments.set(a.assessment_id, { name: a.assessment_name, value: (a.feedback ?? a.expectation).value, type });
		}
		out.set(info.trace_id, {
			experimentId: m[1],
			requestTime: Date.parse(info.request_time),
			durationMs: info.execution_duration_ms,
			state: info.state,
			tags: folder('tags'),
			metadata: folder('request_metadata'),
			spans: null,
			assessments
		});
	}
	for (const [id, t] of out) if (!t.spans && spanFiles.has(id)) t.spans = spanFiles.get(id)!;
	return out;
}

const FIXTURES = [
	'takaaki-yayoi__mlflow_llmops.zip',
	'Esai-Keshav__dspy-poc.zip',
	'paruldiwakar__mlflow-genai.zip',
	'nakaraan__stai100-midtermcapstone-draft.zip',
	'aaaaandreiii__SwiftMemo_STAI1000.zip',
	'Pranav-PA__observix.zip'
];

describe.each(FIXTURES)('GenAI fixture %s', (zip) => {
	it('imports every trace, span and assessment the sources hold, field by field', async () => {
		const source = await readSources(zip);
		const store = Store.open(await sqlJs());
		const report = await importInto(store, GENAI + zip);
		const q = store.queries;
		expect(source.size).toBeGreaterThan(0);
		expect(report.imported.traces).toBe(source.size);
		const spanTotal = [...source.values()].reduce((n, t) => n + (t.spans?.size ?? 0), 0);
		const assessmentTotal = [...source.values()].reduce((n, t) => n + t.assessments.size, 0);
		expect(report.imported.spans).toBe(spanTotal);
		expect(report.imported.assessments ?? 0).toBe(assessmentTotal);

		const experimentIds = q.experiments('all').map((e) => e.experiment_id);
		const ids = q.searchTraceIds({ experimentIds });
		expect(new Set(ids)).toEqual(new Set(source.keys()));
		for (const [id, want] of source) {
			const info = q.traceInfo(id)!;
			const detail = q.traceDetail(id)!;
			expect(info.tags).toEqual(want.tags);
			expect(info.trace_metadata).toEqual(want.metadata);
			expect(Date.parse(info.request_time)).toBe(want.requestTime);
			expect(info.execution_duration_ms ?? null).toBe(want.durationMs);
			expect(info.state).toBe(want.state === 'STATE_UNSPECIFIED' ? 'STATE_UNSPECIFIED' : want.state);
			const spans: [string][] = JSON.parse(detail.spans);
			expect(new Set(spans.map((s) => s[0]))).toEqual(want.spans ?? new Set());
			expect(detail.row.span_count).toBe(want.spans ? want.spans.size : null);
			expect(info.assessments.map((a) => a.assessment_id).sort()).toEqual([...want.assessments.keys()].sort());
			for (const a of info.assessments) {
				const w = want.assessments.get(a.assessment_id)!;
				expect(a.assessment_name).toBe(w.name);
				expect(w.type === 'feedback' ? a.feedback?.value : a.expectation?.value).toEqual(w.value);
			}
		}
	});

	it('reads every span back from its chunk, with ids that match the tree rows', async () => {
		const store = Store.open(await sqlJs());
		await importInto(store, GENAI + zip);
		const q = store.queries;
		const source = localSource(() => store, new MemoryPersistence());
		for (const id of q.searchTraceIds({ experimentIds: q.experiments('all').map((e) => e.experiment_id) })) {
			const rows: [string, string | null, string | null, string | null, string, number | null, number | null, number][] = JSON.parse(
				q.traceDetail(id)!.spans
			);
			const chunks = new Map<number, unknown[]>();
			for (const r of rows) if (!chunks.has(r[7])) chunks.set(r[7], JSON.parse((await source.spanChunk(id, r[7]))!));
			const seen = new Map<number, number>();
			for (const r of rows) {
				const i = seen.get(r[7]) ?? 0;
				seen.set(r[7], i + 1);
				const span = chunks.get(r[7])![i] as { span_id?: string; context?: { span_id: string }; name: string };
				expect(hexId(span.span_id ?? span.context!.span_id)).toBe(r[0]);
				expect(span.name).toBe(r[2]);
			}
		}
	});
});

describe('GenAI derived fields and links', () => {
	it('takaaki: sessions, tokens, evaluation-run links and span-level assessments', async () => {
		const store = Store.open(await sqlJs());
		await importInto(store, GENAI + 'takaaki-yayoi__mlflow_llmops.zip');
		const q = store.queries;
		const experimentIds = q.experiments('all').map((e) => e.experiment_id);
		const rows = q.traceRows(q.searchTraceIds({ experimentIds }));
		expect(new Set(rows.map((r) => r.session).filter(Boolean)).size).toBe(9);
		expect(rows.every((r) => r.total_tokens !== null)).toBe(true);
		// 11 trace -> run associations: each such trace lists its run.
		const linked = rows.filter((r) => q.traceDetail(r.trace_id)!.runs.length > 0);
		expect(linked.length).toBeGreaterThanOrEqual(11);
		const runId = q.traceDetail(linked[0].trace_id)!.runs[0].run_id;
		expect(q.searchTraceIds({ experimentIds, runId })).toContain(linked[0].trace_id);
		expect(q.runTraceCount(runId)!.count).toBeGreaterThan(0);
	});

	it('aaaaandreiii (MLflow 2.19): v2 ids, previews from metadata, spans said missing', async () => {
		const store = Store.open(await sqlJs());
		const report = await importInto(store, GENAI + 'aaaaandreiii__SwiftMemo_STAI1000.zip');
		const q = store.queries;
		const rows = q.traceRows(q.searchTraceIds({ experimentIds: q.experiments('all').map((e) => e.experiment_id) }));
		expect(rows).toHaveLength(16);
		for (const r of rows) {
			expect(r.trace_id).toMatch(/^[0-9a-f]{32}$/);
			expect(r.span_count).toBeNull();
			expect(r.request).toBeTruthy();
			expect(r.run_id).toMatch(/^[0-9a-f]{32}$/);
		}
		expect(report.notes.join('\n')).toMatch(/16 trace\(s\) have no spans in this input/);
	});

	it('Pranav-PA (OTLP): session and user from span attributes, tokens and cost from metadata', async () => {
		const store = Store.open(await sqlJs());
		await importInto(store, GENAI + 'Pranav-PA__observix.zip');
		const q = store.queries;
		const rows = q.traceRows(q.searchTraceIds({ experimentIds: q.experiments('all').map((e) => e.experiment_id) }));
		const chat = rows.find((r) => r.name === 'mlflow_live_chat')!;
		expect(chat).toMatchObject({ session: 'live_session', user: 'live_user', total_tokens: 1540, total_cost: 0.0435 });
	});

	it('re-importing a store merges: no duplicate traces, spans or assessments', async () => {
		const store = Store.open(await sqlJs());
		await importInto(store, GENAI + 'takaaki-yayoi__mlflow_llmops.zip');
		const count = (t: string) => Number(store.db.exec(`SELECT count(*) FROM ${t}`)[0].values[0][0]);
		const before = ['traces', 'spans', 'assessments', 'trace_tags', 'entity_associations'].map(count);
		await importInto(store, GENAI + 'takaaki-yayoi__mlflow_llmops.zip');
		expect(['traces', 'spans', 'assessments', 'trace_tags', 'entity_associations'].map(count)).toEqual(before);
	});
});

describe('the prompt registry (Esai-Keshav: 2 prompts, 11 versions, runs tagged mlflow.linkedPrompts)', () => {
	it('lists prompts apart from models, with every version template and where each was used', async () => {
		const zip = 'Esai-Keshav__dspy-poc.zip';
		const store = Store.open(await sqlJs());
		await importInto(store, GENAI + zip);
		const q = store.queries;
		const db = new (await sqlJs()).Database(
			Object.values(unzipSync(readFileSync(GENAI + zip), { filter: (f) => f.name.endsWith('.db') }))[0]
		);
		const rows = (sql: string) => db.exec(sql)[0]?.values ?? [];
		const promptNames = rows(
			"SELECT name FROM registered_model_tags WHERE key = 'mlflow.prompt.is_prompt' AND value = 'true' ORDER BY name"
		).map((r) => r[0]);
		expect(q.prompts().map((p) => p.name)).toEqual(promptNames);
		// MLflow's Models page and registry search leave prompts out.
		expect(q.registeredModels().filter((m) => promptNames.includes(m.name))).toEqual([]);
		expect(q.registeredModels({}, 'all').length).toBe(Number(rows('SELECT count(*) FROM registered_models')[0][0]));
		for (const name of promptNames as string[]) {
			const detail = q.prompt(name)!;
			const texts = rows(
				`SELECT version, value FROM model_version_tags WHERE name = '${name}' AND key = 'mlflow.prompt.text' ORDER BY version DESC`
			);
			expect(detail.versions.map((v) => [Number(v.version), v.template])).toEqual(texts);
			const linked = rows("SELECT run_uuid, value FROM tags WHERE key = 'mlflow.linkedPrompts'").flatMap(([run, value]) =>
				(JSON.parse(String(value)) as { name: string; version: string }[]).filter((p) => p.name === name).map((p) => `${run}@${p.version}`)
			);
			expect(
				detail.uses
					.filter((u) => u.kind === 'run')
					.map((u) => `${u.id}@${u.version}`)
					.sort()
			).toEqual(linked.sort());
		}
		db.close();
	});
});

describe('assessment aggregates as metrics', () => {
	it.each(['takaaki-yayoi__mlflow_llmops.zip', 'paruldiwakar__mlflow-genai.zip'])(
		"%s: each evaluation run's aggregate of a judge equals MLflow's own <judge>/mean metric",
		async (zip) => {
			const store = Store.open(await sqlJs());
			await importInto(store, GENAI + zip);
			const q = store.queries;
			const runs = q.runs({ view: 'all' }).filter((r) => r.data.tags?.some((t) => t.key === 'mlflow.run.isEval'));
			expect(runs.length).toBeGreaterThan(0);
			const assessed = q.assessmentMetrics(runs.map((r) => r.info.run_id));
			let compared = 0;
			for (const r of runs) {
				for (const m of assessed[r.info.run_id] ?? []) {
					const mlflowMean = r.data.metrics?.find((x) => x.key === `${m.key.replace('assessments/', '')}/mean`);
					if (!mlflowMean) continue;
					expect(m.value, `${r.info.run_id} ${m.key}`).toBeCloseTo(Number(mlflowMean.value), 6);
					compared++;
				}
			}
			expect(compared).toBeGreaterThan(0);
		}
	);
});

describe('registered scorers (read-only)', () => {
	it.each(['takaaki-yayoi__mlflow_llmops.zip', 'Esai-Keshav__dspy-poc.zip'])(
		'%s: every scorer and version as the source holds it',
		async (zip) => {
			const store = Store.open(await sqlJs());
			const report = await importInto(store, GENAI + zip);
			const db = new (await sqlJs()).Database(
				Object.values(unzipSync(readFileSync(GENAI + zip), { filter: (f) => f.name.endsWith('.db') }))[0]
			);
			const source = db.exec(
				'SELECT s.scorer_id, s.scorer_name, CAST(s.experiment_id AS TEXT), v.scorer_version, v.serialized_scorer FROM scorers s JOIN scorer_versions v USING (scorer_id) ORDER BY 1, 4 DESC'
			)[0].values;
			db.close();
			expect(report.imported.scorers).toBe(new Set(source.map((r) => r[0])).size);
			expect(report.skipped.map((s) => s.path).filter((p) => /scorer/.test(p))).toEqual([]);
			const stored = [...new Set(source.map((r) => String(r[2])))].flatMap((e) =>
				store.queries.scorers(e).flatMap((s) => s.versions.map((v) => [s.scorer_id, s.name, e, v.version, v.serialized]))
			);
			expect(stored.sort()).toEqual(
				source
					.map((r) => r.map(String))
					.map((r) => [r[0], r[1], r[2], Number(r[3]), r[4]])
					.sort()
			);
		}
	);
});
