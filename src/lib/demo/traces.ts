/**
 * Deterministic MLflow 3 GenAI traces, written as MLflow 3's FileStore writes them
 * (mlflow-genai-formats.md §4, §6): `traces/<id>/trace_info.yaml` (v3 dict), `request_metadata/`,
 * `tags/`, `assessments/<id>.yaml` and `artifacts/traces.json` with v3 span JSON (base64 ids, ns
 * times, attributes as JSON strings). The demo's support agent and the trace benchmarks use it,
 * so both go through the real importer.
 */
import { rng } from './generate';

const enc = new TextEncoder();

function hex(rand: () => number, chars: number): string {
	let s = '';
	for (let i = 0; i < chars; i++) s += Math.floor(rand() * 16).toString(16);
	return s;
}

function base64OfHex(h: string): string {
	let bin = '';
	for (let i = 0; i < h.length; i += 2) bin += String.fromCharCode(parseInt(h.slice(i, i + 2), 16));
	return btoa(bin);
}

const iso = (ms: number) => new Date(ms).toISOString().replace('.000Z', 'Z');
const yamlString = (s: string) => `'${s.replace(/'/g, "''")}'`;

export interface DemoSpan {
	name: string;
	type: string;
	/** ms after the trace starts, and how long. */
	at: number;
	ms: number;
	inputs?: unknown;
	outputs?: unknown;
	attributes?: Record<string, unknown>;
	error?: { type: string; message: string };
	children?: DemoSpan[];
}

export interface DemoTrace {
	start: number;
	state: 'OK' | 'ERROR';
	tags?: Record<string, string>;
	metadata?: Record<string, string>;
	root: DemoSpan;
	assessments?: {
		name: string;
		kind: 'feedback' | 'expectation';
		value: unknown;
		source: 'HUMAN' | 'LLM_JUDGE' | 'CODE';
		rationale?: string;
	}[];
}

/** Writes traces of one experiment under `<root>/<experimentId>/traces/`; returns their ids. */
export function writeTraces(files: Map<string, Uint8Array>, root: string, experimentId: string, traces: DemoTrace[], seed = 7): string[] {
	const rand = rng(seed);
	const put = (path: string, text: string) => files.set(`${root}/${experimentId}/traces/${path}`, enc.encode(text));
	const ids: string[] = [];
	for (const t of traces) {
		const otelId = hex(rand, 32);
		const id = `tr-${otelId}`;
		ids.push(id);
		const spans: string[] = [];
		const walk = (s: DemoSpan, parent: string | null) => {
			const spanId = hex(rand, 16);
			const start = BigInt(Math.round(t.start + s.at)) * 1_000_000n + BigInt(Math.floor(rand() * 1e6));
			const end = start + BigInt(Math.round(s.ms * 1e6));
			const attributes: Record<string, string> = {
				'mlflow.traceRequestId': JSON.stringify(id),
				'mlflow.spanType': JSON.stringify(s.type)
			};
			if (s.inputs !== undefined) attributes['mlflow.spanInputs'] = JSON.stringify(s.inputs);
			if (s.outputs !== undefined) attributes['mlflow.spanOutputs'] = JSON.stringify(s.outputs);
			for (const [k, v] of Object.entries(s.attributes ?? {})) attributes[k] = JSON.stringify(v);
			const events = s.error
				? [
						{
							name: 'exception',
							time_unix_nano: Number(end),
							attributes: {
								'exception.type': s.error.type,
								'exception.message': s.error.message,
								'exception.stacktrace': `Traceback (most recent call last):\n  ...\n${s.error.type}: ${s.error.message}`
							}
						}
					]
				: [];
			// Times are written as integers past 2^53, as MLflow writes them.
			spans.push(
				`{"trace_id": "${base64OfHex(otelId)}", "span_id": "${base64OfHex(spanId)}", "parent_span_id": ${parent ? `"${base64OfHex(parent)}"` : 'null'}, "name": ${JSON.stringify(s.name)}, "start_time_unix_nano": ${start}, "end_time_unix_nano": ${end}, "events": ${JSON.stringify(events)}, "status": {"code": "${s.error ? 'STATUS_CODE_ERROR' : 'STATUS_CODE_OK'}", "message": ${JSON.stringify(s.error ? `${s.error.type}: ${s.error.message}` : '')}}, "attributes": ${JSON.stringify(attributes)}}`
			);
			for (const c of s.children ?? []) walk(c, spanId);
			return spanId;
		};
		const rootSpan = walk(t.root, null);
		const preview = (v: unknown) => (v === undefined ? '' : JSON.stringify(v).slice(0, 1000));
		put(
			`${id}/trace_info.yaml`,
			[
				`execution_duration_ms: ${Math.round(t.root.ms)}`,
				`request_preview: ${yamlString(preview(t.root.inputs))}`,
				`request_time: '${iso(t.start)}'`,
				`response_preview: ${yamlString(preview(t.root.outputs))}`,
				`state: ${t.state}`,
				`trace_id: ${id}`,
				'trace_location:',
				'  mlflow_experiment:',
				`    experiment_id: '${experimentId}'`,
				'  type: MLFLOW_EXPERIMENT',
				''
			].join('\n')
		);
		const metadata = { 'mlflow.trace_schema.version': '3', 'mlflow.traceInputs': preview(t.root.inputs).slice(0, 250), ...t.metadata };
		for (const [k, v] of Object.entries(metadata)) put(`${id}/request_metadata/${k}`, v);
		const tags = {
			'mlflow.traceName': t.root.name,
			'mlflow.artifactLocation': `mlflow-artifacts:/${experimentId}/traces/${id}/artifacts`,
			...t.tags
		};
		for (const [k, v] of Object.entries(tags)) put(`${id}/tags/${k}`, v);
		for (const a of t.assessments ?? []) {
			const aid = `a-${hex(rand, 32)}`;
			const when = iso(t.start + t.root.ms + 2000);
			put(
				`${id}/assessments/${aid}.yaml`,
				[
					`assessment_id: ${aid}`,
					`assessment_name: ${a.name}`,
					`create_time: '${when}'`,
					`${a.kind}:`,
					`  value: ${JSON.stringify(a.value)}`,
					`last_update_time: '${when}'`,
					...(a.rationale ? [`rationale: ${yamlString(a.rationale)}`] : []),
					'source:',
					`  source_id: ${a.source === 'LLM_JUDGE' ? "'openai:/gpt-4o-mini'" : a.source === 'HUMAN' ? 'demo' : 'is_concise'}`,
					`  source_type: ${a.source}`,
					`span_id: ${rootSpan}`,
					`trace_id: ${id}`,
					'valid: true',
					''
				].join('\n')
			);
		}
		put(`${id}/artifacts/traces.json`, `{"spans": [${spans.join(', ')}]}`);
	}
	return ids;
}

const QUESTIONS = [
	[
		'How do I reset my password?',
		'Open Settings → Security and choose "Reset password"; a link is emailed to you and stays valid for 30 minutes.'
	],
	['Can I export my invoices as CSV?', 'Yes: Billing → Invoices → Export, then pick CSV. Exports cover up to 24 months.'],
	[
		'Why was my card declined?',
		'Declines usually come from the bank. Check the card is not expired and that online payments are enabled, then retry.'
	],
	['How do I add a teammate?', 'Admins can invite teammates from Team → Members → Invite; each invite uses one seat of your plan.'],
	['What does the Pro plan include?', 'Pro adds SSO, audit logs and priority support on top of everything in Team.'],
	['Where is the API key?', 'Developer settings → API keys. Keys are shown once; create a new one if it is lost.']
];

/** The demo's GenAI experiment: a support agent's traces, in sessions, judged and partly labelled. */
export function demoTraces(start: number, evalRunId: string): DemoTrace[] {
	const rand = rng(42);
	const out: DemoTrace[] = [];
	for (let i = 0; i < 18; i++) {
		const [question, answer] = QUESTIONS[i % QUESTIONS.length];
		const session = `session-${1 + Math.floor(i / 4)}`;
		const failed = i === 7;
		const t = start + i * 95_000;
		const inTok = 380 + Math.floor(rand() * 300);
		const outTok = 60 + Math.floor(rand() * 90);
		const llmMs = 700 + rand() * 1500;
		const messages = [
			{ role: 'system', content: 'You are a concise support assistant. Cite the help-center article you used.' },
			{ role: 'user', content: question }
		];
		const docs = [
			{ id: `kb-${100 + (i % 6)}`, score: Math.round((0.92 - rand() * 0.2) * 100) / 100, text: answer },
			{ id: `kb-${200 + (i % 4)}`, score: Math.round((0.6 - rand() * 0.2) * 100) / 100, text: 'Related article.' }
		];
		const retriever: DemoSpan = {
			name: 'search_help_center',
			type: 'RETRIEVER',
			at: 12,
			ms: 80 + rand() * 120,
			inputs: { query: question, k: 2 },
			outputs: docs
		};
		const llm: DemoSpan = failed
			? {
					name: 'ChatOpenAI',
					type: 'CHAT_MODEL',
					at: 240,
					ms: 30_000,
					inputs: { messages },
					attributes: { 'mlflow.llm.model': 'gpt-4o-mini', 'mlflow.message.format': 'openai' },
					error: { type: 'openai.APITimeoutError', message: 'Request timed out after 30s' }
				}
			: {
					name: 'ChatOpenAI',
					type: 'CHAT_MODEL',
					at: 240,
					ms: llmMs,
					inputs: { messages },
					outputs: { choices: [{ index: 0, message: { role: 'assistant', content: answer }, finish_reason: 'stop' }] },
					attributes: {
						'mlflow.llm.model': 'gpt-4o-mini',
						'mlflow.message.format': 'openai',
						'mlflow.chat.tokenUsage': { input_tokens: inTok, output_tokens: outTok, total_tokens: inTok + outTok },
						'mlflow.llm.cost': {
							input_cost: Math.round(inTok * 0.15) / 1e6,
							output_cost: Math.round(outTok * 0.6) / 1e6,
							total_cost: Math.round(inTok * 0.15 + outTok * 0.6) / 1e6
						}
					}
				};
		const tool: DemoSpan = {
			name: 'format_answer',
			type: 'TOOL',
			at: 260 + llm.ms,
			ms: 4 + rand() * 6,
			inputs: { text: answer },
			outputs: answer
		};
		const root: DemoSpan = {
			name: 'support_agent',
			type: 'AGENT',
			at: 0,
			ms: 280 + llm.ms + (failed ? 0 : tool.ms),
			inputs: { messages: [{ role: 'user', content: question }] },
			outputs: failed ? undefined : { choices: [{ message: { role: 'assistant', content: answer } }] },
			error: failed ? { type: 'openai.APITimeoutError', message: 'Request timed out after 30s' } : undefined,
			children: [
				{ name: 'plan', type: 'CHAIN', at: 2, ms: 8, inputs: { question }, outputs: { steps: ['search', 'answer'] } },
				retriever,
				llm,
				...(failed ? [] : [tool])
			]
		};
		const judged = i % 3 !== 2 && !failed;
		const correct = rand() > 0.25;
		out.push({
			start: t,
			state: failed ? 'ERROR' : 'OK',
			tags: {
				environment: i % 5 === 0 ? 'staging' : 'production',
				'app.version': i < 9 ? '1.3.0' : '1.4.0',
				'mlflow.linkedPrompts': JSON.stringify([{ name: 'support-answer', version: i < 9 ? '2' : '3' }])
			},
			metadata: {
				'mlflow.trace.session': session,
				'mlflow.trace.user': `customer-${1 + (Math.floor(i / 4) % 3)}`,
				'mlflow.source.type': 'NOTEBOOK',
				'mlflow.source.name': 'support_agent.ipynb',
				...(judged ? { 'mlflow.sourceRun': evalRunId } : {}),
				...(failed
					? {}
					: { 'mlflow.trace.tokenUsage': JSON.stringify({ input_tokens: inTok, output_tokens: outTok, total_tokens: inTok + outTok }) })
			},
			root,
			assessments: judged
				? [
						{
							name: 'correctness',
							kind: 'feedback',
							value: correct ? 'yes' : 'no',
							source: 'LLM_JUDGE',
							rationale: correct
								? 'The answer matches the help-center article it cites.'
								: 'The answer leaves out a step the article requires.'
						},
						{ name: 'relevance', kind: 'feedback', value: Math.round((0.6 + rand() * 0.4) * 100) / 100, source: 'LLM_JUDGE' },
						{ name: 'is_concise', kind: 'feedback', value: answer.length < 120, source: 'CODE' },
						...(i % 2 === 0 ? [{ name: 'expected_response', kind: 'expectation' as const, value: answer, source: 'HUMAN' as const }] : [])
					]
				: []
		});
	}
	return out;
}
