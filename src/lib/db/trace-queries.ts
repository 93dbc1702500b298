/**
 * GenAI traces: search_traces (ids in order, then rows for the part of the list in view), MLflow's
 * TraceInfo and Assessment dicts (`Trace.to_dict()` shapes), a trace's span rows for the tree and
 * timeline, and sessions. Span JSON is not read here: it is in deflated chunks (span_chunks),
 * fetched one at a time through the workspace's source (the image, or a snapshot's entries).
 */
import type { SqlValue } from 'sql.js';
import { parseFilter, parseOrderBy } from '../search/parse';
import { inChunks, type SqlReader } from './sql-reader';
import { traceFilterSql, traceOrderSql } from './trace-search';
import { aggregateAssessments } from '../traces/aggregates';
import { attributeValue } from '../traces/span-json';

export interface TraceSearch {
	experimentIds: string[];
	/** search_traces' filter_string (search/grammar.ts, kind 'traces'); errors are SearchError. */
	filter?: string;
	orderBy?: string[];
	/** The UI's quick filters, beside the filter string. */
	session?: string;
	runId?: string;
}

/** One row of the trace list. */
export interface TraceRow {
	trace_id: string;
	experiment_id: string;
	request_time: number;
	execution_duration: number | null;
	state: string;
	request: string | null;
	response: string | null;
	name: string | null;
	session: string | null;
	user: string | null;
	run_id: string | null;
	total_tokens: number | null;
	input_tokens: number | null;
	output_tokens: number | null;
	total_cost: number | null;
	/** null: the spans are not in the store. */
	span_count: number | null;
	/** User tags (not `mlflow.*`). */
	tags: Record<string, string>;
	/** Valid assessments by name: the trace-level one if any, else the first on a span; values as text. */
	assessments: Record<string, string>;
}

/** MLflow's TraceInfo (v3) as `TraceInfo.to_dict()` writes it. */
export interface TraceInfoDict {
	trace_id: string;
	client_request_id?: string;
	trace_location: { type: 'MLFLOW_EXPERIMENT'; mlflow_experiment: { experiment_id: string } };
	request_preview?: string;
	response_preview?: string;
	request_time: string;
	execution_duration_ms?: number;
	state: string;
	trace_metadata: Record<string, string>;
	tags: Record<string, string>;
	assessments: AssessmentDict[];
}

/** `Assessment.to_dictionary()`. */
export interface AssessmentDict {
	assessment_id: string;
	assessment_name: string;
	trace_id: string;
	span_id?: string;
	source?: { source_type: string; source_id?: string };
	create_time?: string;
	last_update_time?: string;
	feedback?: { value?: unknown; error?: unknown };
	expectation?: { value: unknown };
	rationale?: string;
	metadata?: Record<string, string>;
	run_id?: string;
	overrides?: string;
	valid: boolean;
}

/** A span as the tree and timeline need it: [span id, parent id, name, type, status, start ns, end ns, chunk]. */
export type SpanRow = [string, string | null, string | null, string | null, string, number | null, number | null, number];

export interface TraceDetail {
	info: TraceInfoDict;
	/** The list row (derived name, session, tokens, cost...). */
	row: TraceRow;
	experiment_name: string | null;
	/** JSON text of SpanRow[] in stored order (by start time); the page parses it. */
	spans: string;
	/** Runs the trace is linked to (source run metadata and entity associations). */
	runs: { run_id: string; run_name: string | null; exists: boolean }[];
	/** Prompt versions the trace used (`mlflow.linkedPrompts` tag, associations). */
	prompts: { name: string; version: string }[];
}

export interface SessionRow {
	session: string;
	traces: number;
	first_time: number;
	last_time: number;
	user: string | null;
	errors: number;
	total_tokens: number | null;
}

export interface SessionTurn {
	trace_id: string;
	request_time: number;
	execution_duration: number | null;
	state: string;
	request: string | null;
	response: string | null;
	total_tokens: number | null;
	user: string | null;
}

export interface ScorerRow {
	scorer_id: string;
	name: string;
	versions: { version: number; serialized: string; creation_time: number | null }[];
}

export interface EvaluationDatasetRow {
	dataset_id: string;
	name: string;
	digest: string | null;
	schema: string | null;
	profile: string | null;
	tags: string | null;
	created_time: number | null;
	last_update_time: number | null;
	created_by: string | null;
	record_count: number;
}

export interface DatasetRecordRow {
	dataset_record_id: string;
	inputs: string;
	expectations: string | null;
	outputs: string | null;
	tags: string | null;
	source_type: string | null;
	source_id: string | null;
	created_time: number | null;
}

/** Proto Timestamp JSON: RFC 3339 in UTC, fractional seconds only when there are some. */
export function protoTime(ms: number): string {
	return new Date(ms).toISOString().replace('.000Z', 'Z');
}

/** A JSON column's value; text that is not JSON stays text (as span attributes are read). */
const parseJson = (text: SqlValue): unknown => (text === null || text === undefined ? null : attributeValue(String(text)));

/** Trace rows as the list shows them: previews cut to what a row can show. */
const PREVIEW = 300;

export class TraceQueries {
	constructor(private readonly r: SqlReader) {}

	/** How many traces each experiment has (the Traces tab's count). */
	traceCounts(): Map<string, number> {
		const out = new Map<string, number>();
		this.r.each('SELECT experiment_id, count(*) FROM traces GROUP BY experiment_id', [], (r) => void out.set(String(r[0]), Number(r[1])));
		return out;
	}

	/** search_traces' order of trace ids. */
	searchTraceIds(search: TraceSearch): string[] {
		const where = traceFilterSql(parseFilter('traces', search.filter));
		const order = traceOrderSql((search.orderBy ?? []).map((o) => parseOrderBy('traces', o)));
		const extra: string[] = [];
		const params: SqlValue[] = [...search.experimentIds];
		if (search.session !== undefined) {
			extra.push('tr.session_id = ?');
			params.push(search.session);
		}
		if (search.runId !== undefined) {
			extra.push(`(tr.run_id = ? OR tr.trace_id IN (SELECT source_id FROM entity_associations WHERE source_type = 'trace'
				AND destination_type = 'run' AND destination_id = ?))`);
			params.push(search.runId, search.runId);
		}
		const ids: string[] = [];
		this.r.each(
			`SELECT tr.trace_id FROM traces tr WHERE tr.experiment_id IN (${search.experimentIds.map(() => '?').join(', ') || "''"})
				${extra.map((e) => `AND ${e}`).join(' ')} AND ${where.sql} ORDER BY ${order}`,
			[...params, ...where.params],
			(r) => void ids.push(r[0] as string)
		);
		return ids;
	}

	/** The list rows of these traces, in the order given (ids not stored are left out). */
	traceRows(ids: string[]): TraceRow[] {
		const byId = new Map<string, TraceRow>();
		inChunks(ids, (chunk, marks) => {
			for (const t of this.r.all(
				`SELECT trace_id, experiment_id, request_time, execution_duration, state, substr(request_text, 1, ${PREVIEW}) AS request,
					substr(response_text, 1, ${PREVIEW}) AS response, trace_name, session_id, user_id, run_id, total_tokens, input_tokens,
					output_tokens, total_cost, span_count FROM traces WHERE trace_id IN (${marks})`,
				chunk
			)) {
				byId.set(t.trace_id as string, {
					trace_id: t.trace_id as string,
					experiment_id: t.experiment_id as string,
					request_time: t.request_time as number,
					execution_duration: t.execution_duration as number | null,
					state: t.state as string,
					request: t.request as string | null,
					response: t.response as string | null,
					name: t.trace_name as string | null,
					session: t.session_id as string | null,
					user: t.user_id as string | null,
					run_id: t.run_id as string | null,
					total_tokens: t.total_tokens as number | null,
					input_tokens: t.input_tokens as number | null,
					output_tokens: t.output_tokens as number | null,
					total_cost: t.total_cost as number | null,
					span_count: t.span_count as number | null,
					// Keys are the store's (a tag may be named `__proto__`): maps without a prototype.
					tags: Object.create(null),
					assessments: Object.create(null)
				});
			}
			this.r.each(`SELECT trace_id, key, value FROM trace_tags WHERE trace_id IN (${marks}) AND key NOT GLOB 'mlflow.*'`, chunk, (r) => {
				const row = byId.get(r[0] as string);
				if (row) row.tags[r[1] as string] = (r[2] ?? '') as string;
			});
			// Trace-level assessments first, so that they win over span-level ones of the same name.
			this.r.each(
				`SELECT trace_id, name, value, error FROM assessments WHERE trace_id IN (${marks}) AND valid = 1
					ORDER BY span_id IS NOT NULL, created_timestamp DESC`,
				chunk,
				(r) => {
					const row = byId.get(r[0] as string);
					if (!row || (r[1] as string) in row.assessments) return;
					const v = parseJson(r[2]);
					row.assessments[r[1] as string] = r[2] === null && r[3] !== null ? 'error' : typeof v === 'string' ? v : JSON.stringify(v);
				}
			);
		});
		return ids.flatMap((id) => byId.get(id) ?? []);
	}

	/**
	 * Assessment names and user tag keys of an experiment's traces: the list's optional columns.
	 * Distinct keys come from the (key, value) index by a loose index scan (one seek per distinct
	 * key, not a read of every row: 250 ms -> a few ms over 100,000 traces), each kept if a trace
	 * of this experiment has it.
	 */
	traceColumns(experimentId: string): { assessments: string[]; tags: string[] } {
		// No other condition in the scan: `min(key) WHERE key NOT GLOB 'mlflow.*'` would read every
		// mlflow.* row to find the first other one. MLflow's own tags are left out after.
		const distinct = (table: string, column: string, inExperiment: string) =>
			this.r
				.all(
					`WITH RECURSIVE k(v) AS (SELECT min(${column}) FROM ${table}
						UNION ALL SELECT (SELECT min(${column}) FROM ${table} WHERE ${column} > k.v) FROM k WHERE k.v IS NOT NULL)
					SELECT v FROM k WHERE v IS NOT NULL AND EXISTS (${inExperiment})`,
					[experimentId]
				)
				.map((r) => r.v as string);
		return {
			assessments: distinct(
				'assessments',
				'name',
				'SELECT 1 FROM assessments a JOIN traces tr ON tr.trace_id = a.trace_id WHERE a.name = k.v AND tr.experiment_id = ?'
			),
			tags: distinct(
				'trace_tags',
				'key',
				'SELECT 1 FROM trace_tags t JOIN traces tr ON tr.trace_id = t.trace_id WHERE t.key = k.v AND tr.experiment_id = ?'
			).filter((k) => !k.startsWith('mlflow.'))
		};
	}

	assessments(traceId: string): AssessmentDict[] {
		return this.r.all('SELECT * FROM assessments WHERE trace_id = ? ORDER BY created_timestamp, assessment_id', [traceId]).map((a) => {
			const value = parseJson(a.value);
			const out: AssessmentDict = {
				assessment_id: a.assessment_id as string,
				assessment_name: a.name as string,
				trace_id: traceId,
				valid: a.valid === 1
			};
			if (a.span_id) out.span_id = a.span_id as string;
			if (a.source_type)
				out.source = { source_type: a.source_type as string, ...(a.source_id ? { source_id: a.source_id as string } : {}) };
			if (a.created_timestamp !== null) out.create_time = protoTime(a.created_timestamp as number);
			if (a.last_updated_timestamp !== null) out.last_update_time = protoTime(a.last_updated_timestamp as number);
			if (a.assessment_type === 'expectation') out.expectation = { value };
			else out.feedback = a.value === null && a.error !== null ? { error: parseJson(a.error) } : { value };
			if (a.rationale) out.rationale = a.rationale as string;
			const metadata = parseJson(a.assessment_metadata);
			if (metadata && typeof metadata === 'object') out.metadata = metadata as Record<string, string>;
			if (a.run_id) out.run_id = a.run_id as string;
			if (a.overrides) out.overrides = a.overrides as string;
			return out;
		});
	}

	/** MLflow's TraceInfo dict of a stored trace. */
	traceInfo(traceId: string): TraceInfoDict | undefined {
		const t = this.r.all('SELECT * FROM traces WHERE trace_id = ?', [traceId])[0];
		if (!t) return undefined;
		const kv = (table: string) =>
			Object.fromEntries(
				this.r.all(`SELECT key, value FROM ${table} WHERE trace_id = ? ORDER BY key`, [traceId]).map((r) => [r.key, r.value ?? ''])
			) as Record<string, string>;
		const info: TraceInfoDict = {
			trace_id: traceId,
			trace_location: { type: 'MLFLOW_EXPERIMENT', mlflow_experiment: { experiment_id: t.experiment_id as string } },
			request_time: protoTime(t.request_time as number),
			state: t.state as string,
			trace_metadata: kv('trace_metadata'),
			tags: kv('trace_tags'),
			assessments: this.assessments(traceId)
		};
		if (t.client_request_id) info.client_request_id = t.client_request_id as string;
		if (t.request_preview !== null) info.request_preview = t.request_preview as string;
		if (t.response_preview !== null) info.response_preview = t.response_preview as string;
		if (t.execution_duration !== null) info.execution_duration_ms = t.execution_duration as number;
		return info;
	}

	/** Everything the trace view shows but span JSON. */
	traceDetail(traceId: string): TraceDetail | undefined {
		const info = this.traceInfo(traceId);
		const row = this.traceRows([traceId])[0];
		if (!info || !row) return undefined;
		const spans = this.r.all(
			`SELECT coalesce(json_group_array(json_array(span_id, parent_span_id, name, span_type, status, start_ns, end_ns, chunk)), '[]') AS j
				FROM (SELECT * FROM spans WHERE trace_id = ? ORDER BY ordinal)`,
			[traceId]
		)[0].j as string;
		const runIds = new Set<string>();
		if (row.run_id) runIds.add(row.run_id);
		for (const r of this.r.all(
			"SELECT destination_id FROM entity_associations WHERE source_type = 'trace' AND source_id = ? AND destination_type = 'run'",
			[traceId]
		))
			runIds.add(r.destination_id as string);
		const runs = [...runIds].map((id) => {
			const r = this.r.all('SELECT name FROM runs WHERE run_uuid = ?', [id])[0];
			return { run_id: id, run_name: (r?.name as string | null) ?? null, exists: !!r };
		});
		const prompts = new Map<string, { name: string; version: string }>();
		const linked = parseJson(info.tags['mlflow.linkedPrompts'] ?? null);
		if (Array.isArray(linked))
			for (const p of linked) if (p?.name) prompts.set(`${p.name}/${p.version}`, { name: String(p.name), version: String(p.version) });
		for (const r of this.r.all(
			"SELECT destination_id FROM entity_associations WHERE source_type = 'trace' AND source_id = ? AND destination_type = 'prompt_version'",
			[traceId]
		)) {
			const [name, version] = String(r.destination_id).split('/');
			prompts.set(String(r.destination_id), { name, version: version ?? '' });
		}
		const experiment = this.r.all('SELECT name FROM experiments WHERE experiment_id = ?', [row.experiment_id])[0];
		return { info, row, experiment_name: (experiment?.name as string) ?? null, spans, runs, prompts: [...prompts.values()] };
	}

	/** The chunk numbers of a trace's spans, in order. */
	spanChunkNumbers(traceId: string): number[] {
		return this.r.all('SELECT chunk FROM span_chunks WHERE trace_id = ? ORDER BY chunk', [traceId]).map((r) => r.chunk as number);
	}

	/** A chunk of span JSON as stored (deflated JSON array); undefined when not in this image. */
	spanChunk(traceId: string, chunk: number): Uint8Array | undefined {
		const row = this.r.all('SELECT content FROM span_chunks WHERE trace_id = ? AND chunk = ?', [traceId, chunk])[0];
		const bytes = row?.content as Uint8Array | undefined;
		return bytes && bytes.length ? bytes : undefined;
	}

	/** Sessions of an experiment (traces grouped by session id), most recent first. */
	sessions(experimentId: string): SessionRow[] {
		return this.r
			.all(
				`SELECT session_id, count(*) AS n, min(request_time) AS first_time, max(request_time) AS last_time, max(user_id) AS user,
					sum(state = 'ERROR') AS errors, sum(total_tokens) AS tokens FROM traces
					WHERE experiment_id = ? AND session_id IS NOT NULL GROUP BY session_id ORDER BY last_time DESC`,
				[experimentId]
			)
			.map((s) => ({
				session: s.session_id as string,
				traces: s.n as number,
				first_time: s.first_time as number,
				last_time: s.last_time as number,
				user: s.user as string | null,
				errors: s.errors as number,
				total_tokens: s.tokens as number | null
			}));
	}

	/** A session's turns in time order, with whole requests and responses (the transcript). */
	sessionTurns(experimentId: string, session: string): SessionTurn[] {
		return this.r
			.all(
				`SELECT trace_id, request_time, execution_duration, state, request_text, response_text, total_tokens, user_id FROM traces
					WHERE experiment_id = ? AND session_id = ? ORDER BY request_time, trace_id`,
				[experimentId, session]
			)
			.map((t) => ({
				trace_id: t.trace_id as string,
				request_time: t.request_time as number,
				execution_duration: t.execution_duration as number | null,
				state: t.state as string,
				request: t.request_text as string | null,
				response: t.response_text as string | null,
				total_tokens: t.total_tokens as number | null,
				user: t.user_id as string | null
			}));
	}

	/** Evaluation datasets linked to an experiment (all of them without one), newest first. */
	evaluationDatasets(experimentId?: string): EvaluationDatasetRow[] {
		const where =
			experimentId === undefined
				? ''
				: `WHERE d.dataset_id IN (SELECT source_id FROM entity_associations WHERE source_type = 'evaluation_dataset'
					AND destination_type = 'experiment' AND destination_id = ?)`;
		return this.r
			.all(
				`SELECT d.*, (SELECT count(*) FROM evaluation_dataset_records r WHERE r.dataset_id = d.dataset_id) AS record_count
					FROM evaluation_datasets d ${where} ORDER BY d.created_time DESC, d.name`,
				experimentId === undefined ? [] : [experimentId]
			)
			.map((d) => ({
				dataset_id: d.dataset_id as string,
				name: d.name as string,
				digest: d.digest as string | null,
				schema: d.schema as string | null,
				profile: d.profile as string | null,
				tags: d.tags as string | null,
				created_time: d.created_time as number | null,
				last_update_time: d.last_update_time as number | null,
				created_by: d.created_by as string | null,
				record_count: d.record_count as number
			}));
	}

	/** A dataset's records, oldest first (JSON columns as stored). */
	datasetRecords(datasetId: string, limit = 1000): DatasetRecordRow[] {
		return this.r.all(
			`SELECT dataset_record_id, inputs, expectations, outputs, tags, source_type, source_id, created_time FROM evaluation_dataset_records
				WHERE dataset_id = ? ORDER BY created_time, dataset_record_id LIMIT ?`,
			[datasetId, limit]
		) as unknown as DatasetRecordRow[];
	}

	/**
	 * Assessment aggregates of runs' traces as metrics (`assessments/<name>`: the share passed of a
	 * pass-fail judge, the mean of a numeric one), for the comparison. Runs without traces are absent.
	 */
	assessmentMetrics(runIds: string[]): Record<string, { key: string; value: number }[]> {
		const byRun = new Map<string, Set<string>>();
		inChunks(runIds, (chunk, marks) => {
			this.r.each(
				`SELECT run_id, trace_id FROM traces WHERE run_id IN (${marks})
					UNION SELECT destination_id, source_id FROM entity_associations
					WHERE source_type = 'trace' AND destination_type = 'run' AND destination_id IN (${marks})`,
				[...chunk, ...chunk],
				(r) => {
					let set = byRun.get(r[0] as string);
					if (!set) byRun.set(r[0] as string, (set = new Set()));
					set.add(r[1] as string);
				}
			);
		});
		const out: Record<string, { key: string; value: number }[]> = {};
		for (const [run, ids] of byRun) {
			const aggregates = aggregateAssessments(this.traceRows([...ids]));
			out[run] = Object.entries(aggregates)
				.filter(([, a]) => a.kind !== 'count')
				.map(([name, a]) => ({ key: `assessments/${name}`, value: a.value }));
		}
		return out;
	}

	/** An experiment's registered scorers, each with its versions (newest first). */
	scorers(experimentId: string): ScorerRow[] {
		const out = new Map<string, ScorerRow>();
		for (const r of this.r.all(
			`SELECT s.scorer_id, s.name, v.version, v.serialized, v.creation_time FROM scorers s
				LEFT JOIN scorer_versions v USING (scorer_id) WHERE s.experiment_id = ? ORDER BY s.name, v.version DESC`,
			[experimentId]
		)) {
			let s = out.get(r.scorer_id as string);
			if (!s) out.set(r.scorer_id as string, (s = { scorer_id: r.scorer_id as string, name: r.name as string, versions: [] }));
			if (r.version !== null)
				s.versions.push({
					version: r.version as number,
					serialized: r.serialized as string,
					creation_time: r.creation_time as number | null
				});
		}
		return [...out.values()];
	}

	/** How many traces a run has (source run or association). */
	runTraceCount(runId: string): { experiment_id: string; count: number } | undefined {
		const r = this.r.all(
			`SELECT experiment_id, count(*) AS n FROM traces WHERE run_id = ? OR trace_id IN (SELECT source_id FROM entity_associations
				WHERE source_type = 'trace' AND destination_type = 'run' AND destination_id = ?) GROUP BY experiment_id ORDER BY n DESC`,
			[runId, runId]
		)[0];
		return r ? { experiment_id: r.experiment_id as string, count: r.n as number } : undefined;
	}
}
