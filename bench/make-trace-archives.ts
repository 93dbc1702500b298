/**
 * Writes the trace benchmark inputs (deterministic):
 * - bench/out/T.zip: an MLflow 3 FileStore with one trace of 30,001 spans (a root, 200 steps of
 *   149 spans each: an agent loop as deep as real ones get wide), spans in its traces.json.
 * - bench/out/H.db: an MLflow 3 SQL store (mlflow.db) with 100,000 traces in one experiment, two
 *   spans each in the `spans` table, tags, metadata (sessions, users, token usage) and a judge's
 *   feedback on a third of them: the shape MLflow 3.7+ writes by default.
 */
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { zipSync, type Zippable } from 'fflate';
import { sqlJsNode } from '../src/cli/sqljs-node';
import { rng } from '../src/lib/demo/generate';
import { writeTraces, type DemoSpan } from '../src/lib/demo/traces';

const out = new URL('./out/', import.meta.url);
mkdirSync(out, { recursive: true });
const t0 = Date.UTC(2026, 5, 1);

if (!existsSync(new URL('T.zip', out))) {
	const started = performance.now();
	const steps: DemoSpan[] = [];
	for (let s = 0; s < 200; s++) {
		const children: DemoSpan[] = [];
		for (let c = 0; c < 49; c++) {
			children.push({
				name: `tool_call_${c}`,
				type: 'TOOL',
				at: s * 100 + c * 2,
				ms: 1.5,
				inputs: { step: s, call: c, query: `lookup ${s}.${c}` },
				outputs: { ok: true, rows: c },
				children: [
					{
						name: 'ChatOpenAI',
						type: 'CHAT_MODEL',
						at: s * 100 + c * 2 + 0.1,
						ms: 0.8,
						inputs: { messages: [{ role: 'user', content: `step ${s} call ${c}` }] },
						outputs: { choices: [{ message: { role: 'assistant', content: 'done' } }] }
					},
					{ name: 'parse', type: 'PARSER', at: s * 100 + c * 2 + 1, ms: 0.3, inputs: 'done', outputs: { value: c } }
				]
			});
		}
		steps.push({ name: `step_${s}`, type: 'CHAIN', at: s * 100, ms: 99, inputs: { step: s }, outputs: { done: true }, children });
	}
	// 200 steps x (1 + 49 x 3) = 29,600 spans, plus 400 retriever spans and the root: 30,001.
	for (let s = 0; s < 200; s++) {
		steps[s].children!.push(
			{ name: 'retrieve', type: 'RETRIEVER', at: s * 100 + 98, ms: 0.5, inputs: { q: s }, outputs: [{ id: s }] },
			{ name: 'rerank', type: 'RERANKER', at: s * 100 + 98.6, ms: 0.3, inputs: { q: s }, outputs: [{ id: s }] }
		);
	}
	const root: DemoSpan = {
		name: 'long_agent_run',
		type: 'AGENT',
		at: 0,
		ms: 20_000,
		inputs: { task: 'a 200-step task' },
		outputs: { done: true },
		children: steps
	};
	const files = new Map<string, Uint8Array>();
	const enc = new TextEncoder();
	files.set(
		'mlruns/0/meta.yaml',
		enc.encode(`artifact_location: mlflow-artifacts:/0\nexperiment_id: '0'\nlifecycle_stage: active\nname: Default\n`)
	);
	files.set(
		'mlruns/1/meta.yaml',
		enc.encode(`artifact_location: mlflow-artifacts:/1\nexperiment_id: '1'\nlifecycle_stage: active\nname: long-agent\n`)
	);
	writeTraces(files, 'mlruns', '1', [{ start: t0, state: 'OK', root }]);
	const zippable: Zippable = {};
	for (const [p, b] of files) zippable[p] = b;
	const zip = zipSync(zippable, { level: 6 });
	writeFileSync(new URL('T.zip', out), zip);
	console.log(`T.zip: ${(zip.length / 1e6).toFixed(1)} MB, ${Math.round(performance.now() - started)} ms`);
}

if (!existsSync(new URL('H.db', out))) {
	const started = performance.now();
	const SQL = await sqlJsNode();
	const db = new SQL.Database();
	// MLflow's DDL for the tables read, as found in 3.9+ stores (mlflow-genai-formats.md §3).
	db.exec(`
		CREATE TABLE alembic_version (version_num VARCHAR(32) NOT NULL PRIMARY KEY);
		INSERT INTO alembic_version VALUES ('d3e4f5a6b7c8');
		CREATE TABLE experiments (experiment_id INTEGER PRIMARY KEY, name VARCHAR(256) NOT NULL, artifact_location VARCHAR(256),
			lifecycle_stage VARCHAR(32), creation_time BIGINT, last_update_time BIGINT);
		INSERT INTO experiments VALUES (0, 'Default', 'mlflow-artifacts:/0', 'active', ${t0}, ${t0}), (1, 'chat-app', 'mlflow-artifacts:/1', 'active', ${t0}, ${t0});
		CREATE TABLE runs (run_uuid VARCHAR(32) PRIMARY KEY, name VARCHAR(250), source_type VARCHAR(20), source_name VARCHAR(500),
			entry_point_name VARCHAR(50), user_id VARCHAR(256), status VARCHAR(9), start_time BIGINT, end_time BIGINT, source_version VARCHAR(50),
			lifecycle_stage VARCHAR(20), artifact_uri VARCHAR(200), experiment_id INTEGER, deleted_time BIGINT);
		CREATE TABLE trace_info (request_id VARCHAR(50) PRIMARY KEY, experiment_id INTEGER NOT NULL, timestamp_ms BIGINT NOT NULL,
			execution_time_ms BIGINT, status VARCHAR(50) NOT NULL, client_request_id VARCHAR(50), request_preview VARCHAR(1000), response_preview VARCHAR(1000));
		CREATE TABLE trace_tags (key VARCHAR(250) NOT NULL, value VARCHAR(8000), request_id VARCHAR(50) NOT NULL, PRIMARY KEY (key, request_id));
		CREATE TABLE trace_request_metadata (key VARCHAR(250) NOT NULL, value VARCHAR(8000), request_id VARCHAR(50) NOT NULL, PRIMARY KEY (key, request_id));
		CREATE TABLE spans (trace_id VARCHAR(50) NOT NULL, experiment_id INTEGER NOT NULL, span_id VARCHAR(50) NOT NULL, parent_span_id VARCHAR(50),
			name TEXT, type VARCHAR(500), status VARCHAR(50) NOT NULL, start_time_unix_nano BIGINT NOT NULL, end_time_unix_nano BIGINT,
			duration_ns BIGINT GENERATED ALWAYS AS (end_time_unix_nano - start_time_unix_nano) STORED, content TEXT NOT NULL, PRIMARY KEY (trace_id, span_id));
		CREATE TABLE assessments (assessment_id VARCHAR(50) PRIMARY KEY, trace_id VARCHAR(50) NOT NULL, name VARCHAR(250) NOT NULL,
			assessment_type VARCHAR(20) NOT NULL, value TEXT NOT NULL, error TEXT, created_timestamp BIGINT NOT NULL, last_updated_timestamp BIGINT NOT NULL,
			source_type VARCHAR(50) NOT NULL, source_id VARCHAR(250), run_id VARCHAR(32), span_id VARCHAR(50), rationale TEXT, overrides VARCHAR(50),
			valid BOOLEAN NOT NULL, assessment_metadata TEXT);
	`);
	const rand = rng(99);
	const hex = (n: number) => Array.from({ length: n }, () => Math.floor(rand() * 16).toString(16)).join('');
	const ins = (sql: string) => db.prepare(sql);
	const info = ins('INSERT INTO trace_info VALUES (?, 1, ?, ?, ?, NULL, ?, ?)');
	const tag = ins('INSERT INTO trace_tags VALUES (?, ?, ?)');
	const meta = ins('INSERT INTO trace_request_metadata VALUES (?, ?, ?)');
	const span = ins(
		'INSERT INTO spans (trace_id, experiment_id, span_id, parent_span_id, name, type, status, start_time_unix_nano, end_time_unix_nano, content) VALUES (?, 1, ?, ?, ?, ?, ?, ?, ?, ?)'
	);
	const judge = ins(
		`INSERT INTO assessments VALUES (?, ?, 'correctness', 'feedback', ?, NULL, ?, ?, 'LLM_JUDGE', 'openai:/gpt-4o-mini', NULL, NULL, 'judged', NULL, 1, NULL)`
	);
	const topics = ['billing', 'login', 'export', 'api', 'pricing', 'team'];
	db.exec('BEGIN');
	for (let i = 0; i < 100_000; i++) {
		const otel = hex(32);
		const id = `tr-${otel}`;
		const at = t0 + i * 3000;
		const ms = 200 + Math.floor(rand() * 4000);
		const failed = rand() < 0.03;
		const topic = topics[i % topics.length];
		const q = `Question ${i} about ${topic}?`;
		info.run([id, at, ms, failed ? 'ERROR' : 'OK', JSON.stringify({ question: q }), failed ? null : JSON.stringify(`Answer ${i}.`)]);
		tag.run(['mlflow.traceName', 'chat', id]);
		tag.run(['mlflow.trace.spansLocation', 'TRACKING_STORE', id]);
		tag.run(['topic', topic, id]);
		const inTok = 100 + Math.floor(rand() * 900);
		const outTok = 20 + Math.floor(rand() * 300);
		meta.run(['mlflow.trace.session', `s-${Math.floor(i / 5)}`, id]);
		meta.run(['mlflow.trace.user', `u-${i % 997}`, id]);
		meta.run(['mlflow.trace.tokenUsage', JSON.stringify({ input_tokens: inTok, output_tokens: outTok, total_tokens: inTok + outTok }), id]);
		meta.run(['mlflow.trace_schema.version', '3', id]);
		const rootId = hex(16);
		const llmId = hex(16);
		const start = BigInt(at) * 1_000_000n;
		const content = (sid: string, parent: string | null, name: string, type: string, end: bigint) =>
			JSON.stringify({
				trace_id: Buffer.from(otel, 'hex').toString('base64'),
				span_id: Buffer.from(sid, 'hex').toString('base64'),
				parent_span_id: parent ? Buffer.from(parent, 'hex').toString('base64') : null,
				name,
				start_time_unix_nano: Number(start),
				end_time_unix_nano: Number(end),
				events: [],
				status: { code: failed ? 'STATUS_CODE_ERROR' : 'STATUS_CODE_OK', message: '' },
				attributes: {
					'mlflow.traceRequestId': JSON.stringify(id),
					'mlflow.spanType': JSON.stringify(type),
					'mlflow.spanInputs': JSON.stringify({ question: q })
				}
			});
		const end = start + BigInt(ms) * 1_000_000n;
		span.run([id, rootId, null, 'chat', 'CHAIN', failed ? 'ERROR' : 'OK', start, end, content(rootId, null, 'chat', 'CHAIN', end)]);
		span.run([
			id,
			llmId,
			rootId,
			'ChatOpenAI',
			'CHAT_MODEL',
			failed ? 'ERROR' : 'OK',
			start + 1000n,
			end - 1000n,
			content(llmId, rootId, 'ChatOpenAI', 'CHAT_MODEL', end - 1000n)
		]);
		if (i % 3 === 0) judge.run([`a-${hex(32)}`, id, JSON.stringify(rand() < 0.7 ? 'yes' : 'no'), at + ms, at + ms]);
	}
	db.exec('COMMIT');
	for (const s of [info, tag, meta, span, judge]) s.free();
	const bytes = db.export();
	writeFileSync(new URL('H.db', out), bytes);
	console.log(`H.db: ${(bytes.length / 1e6).toFixed(1)} MB, 100,000 traces, ${Math.round(performance.now() - started)} ms`);
}
