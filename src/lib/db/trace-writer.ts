/**
 * The writes of an import for GenAI traces (schema 5): trace rows with their tags, metadata and
 * assessments, spans split into light rows and deflated JSON chunks, and entity associations.
 * Re-importing merges: rows are upserted by MLflow's keys; spans arriving from a second source
 * (a `traces.json` found beside an mlflow.db) replace none that are stored unless they are new.
 */
import { strFromU8, strToU8, unzlibSync, zlibSync } from 'fflate';
import type { Database, SqlValue, Statement } from 'sql.js';
import type { AssessmentRecord, EvaluationDatasetRecord, KeyValues, SpanRecord, TraceRecord } from './entities';
import { orderSpans } from '../traces/span-json';
import { traceFields, type TraceFields } from '../traces/trace-fields';

const SQL = {
	traceRow: 'SELECT span_count, request_preview, response_preview FROM traces WHERE trace_id = ?',
	putTrace: `INSERT INTO traces (trace_id, experiment_id, request_time, execution_duration, state, client_request_id,
			request_preview, response_preview) VALUES (?, ?, ?, ?, ?, ?, ?, ?)
		ON CONFLICT (trace_id) DO UPDATE SET experiment_id = excluded.experiment_id, request_time = excluded.request_time,
			execution_duration = coalesce(excluded.execution_duration, execution_duration),
			state = CASE WHEN excluded.state = 'IN_PROGRESS' AND state <> 'IN_PROGRESS' THEN state ELSE excluded.state END,
			client_request_id = coalesce(excluded.client_request_id, client_request_id),
			request_preview = coalesce(excluded.request_preview, request_preview),
			response_preview = coalesce(excluded.response_preview, response_preview)`,
	putFields: `UPDATE traces SET request_text = ?, response_text = ?, trace_name = ?, session_id = ?, user_id = ?, run_id = ?,
			input_tokens = ?, output_tokens = ?, total_tokens = ?, total_cost = ? WHERE trace_id = ?`,
	putTag: 'INSERT OR REPLACE INTO trace_tags (trace_id, key, value) VALUES (?, ?, ?)',
	putMetadata: 'INSERT OR REPLACE INTO trace_metadata (trace_id, key, value) VALUES (?, ?, ?)',
	tagsOf: 'SELECT key, value FROM trace_tags WHERE trace_id = ?',
	metadataOf: 'SELECT key, value FROM trace_metadata WHERE trace_id = ?',
	dropSpans: 'DELETE FROM spans WHERE trace_id = ?',
	dropChunks: 'DELETE FROM span_chunks WHERE trace_id = ?',
	putSpan: `INSERT INTO spans (trace_id, ordinal, span_id, parent_span_id, name, span_type, status, start_ns, end_ns, chunk)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
	putChunk: 'INSERT INTO span_chunks (trace_id, chunk, span_count, content) VALUES (?, ?, ?, ?)',
	setSpanCount: 'UPDATE traces SET span_count = ? WHERE trace_id = ?',
	putAssessment: `INSERT OR REPLACE INTO assessments (assessment_id, trace_id, name, assessment_type, value, error, created_timestamp,
		last_updated_timestamp, source_type, source_id, run_id, span_id, rationale, overrides, valid, assessment_metadata)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
	putDataset: `INSERT OR REPLACE INTO evaluation_datasets (dataset_id, name, digest, schema, profile, tags, created_time, last_update_time,
		created_by, last_updated_by) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
	putRecord: `INSERT OR REPLACE INTO evaluation_dataset_records (dataset_record_id, dataset_id, inputs, expectations, outputs, tags, source,
		source_type, source_id, created_time, last_update_time) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
	putScorer: 'INSERT OR REPLACE INTO scorers (scorer_id, experiment_id, name) VALUES (?, ?, ?)',
	putScorerVersion: 'INSERT OR REPLACE INTO scorer_versions (scorer_id, version, serialized, creation_time) VALUES (?, ?, ?, ?)',
	putAssociation: `INSERT OR IGNORE INTO entity_associations (source_type, source_id, destination_type, destination_id)
		VALUES (?, ?, ?, ?)`
} as const;

/**
 * Spans per chunk: opening a span decodes one chunk, so a chunk stays small (a few hundred spans
 * or ~256 KB of JSON, whichever comes first) while a 30,000-span trace is still ~150 rows.
 */
const CHUNK_SPANS = 200;
const CHUNK_BYTES = 256 * 1024;

export class TraceWriter {
	private statements = new Map<keyof typeof SQL, Statement>();
	/** Traces this import wrote. */
	private written = new Set<string>();

	constructor(
		private db: Database,
		private brought: (kind: 'trace' | 'evaluation_dataset' | 'scorer', id: string) => void
	) {}

	private stmt(name: keyof typeof SQL): Statement {
		let s = this.statements.get(name);
		if (!s) this.statements.set(name, (s = this.db.prepare(SQL[name])));
		return s;
	}

	private exec(name: keyof typeof SQL, params: SqlValue[]): void {
		this.stmt(name).run(params);
	}

	private all(name: keyof typeof SQL, params: SqlValue[]): SqlValue[][] {
		const s = this.stmt(name);
		s.bind(params);
		const out: SqlValue[][] = [];
		while (s.step()) out.push(s.get());
		s.reset();
		return out;
	}

	finish(): void {
		for (const s of this.statements.values()) s.free();
		this.statements.clear();
	}

	/** Whether the store has this trace, and how many spans (null: none stored yet). */
	stored(traceId: string): { spanCount: number | null } | undefined {
		const row = this.all('traceRow', [traceId])[0];
		return row ? { spanCount: row[0] === null ? null : Number(row[0]) } : undefined;
	}

	/** Traces this import wrote that have no spans in the store. */
	withoutSpans(): string[] {
		return [...this.written].filter((id) => this.stored(id)?.spanCount === null);
	}

	/** Stores a trace (experimentId already mapped to this store's id). */
	trace(t: TraceRecord): void {
		this.brought('trace', t.traceId);
		this.written.add(t.traceId);
		const known = this.stored(t.traceId) !== undefined;
		this.exec('putTrace', [
			t.traceId,
			t.experimentId,
			t.requestTime,
			t.executionDuration,
			t.state,
			t.clientRequestId,
			t.requestPreview,
			t.responsePreview
		]);
		for (const [k, v] of Object.entries(t.tags)) this.exec('putTag', [t.traceId, k, v]);
		for (const [k, v] of Object.entries(t.metadata)) this.exec('putMetadata', [t.traceId, k, v]);
		for (const a of t.assessments) this.assessment(a);
		// A new trace's fields come from the record; a known one's from what is stored (merged).
		const fresh = known
			? undefined
			: { requestPreview: t.requestPreview, responsePreview: t.responsePreview, metadata: t.metadata, tags: t.tags };
		if (t.spans) this.spans(t.traceId, t.spans, fresh);
		else this.refreshFields(t.traceId, null, fresh);
	}

	/** Replaces a stored trace's spans with these; derived columns are computed again. */
	spans(traceId: string, spans: SpanRecord[], fresh?: Parameters<typeof traceFields>[0]): void {
		this.exec('dropSpans', [traceId]);
		this.exec('dropChunks', [traceId]);
		const ordered = orderSpans(spans);
		let chunk = 0;
		let parts: string[] = [];
		let bytes = 0;
		const flush = () => {
			if (!parts.length) return;
			this.exec('putChunk', [traceId, chunk, parts.length, packChunk(`[${parts.join(',')}]`)]);
			chunk++;
			parts = [];
			bytes = 0;
		};
		ordered.forEach((s, i) => {
			if (parts.length >= CHUNK_SPANS || bytes >= CHUNK_BYTES) flush();
			this.exec('putSpan', [traceId, i, s.spanId, s.parentId, s.name, s.type, s.status, s.startNs, s.endNs, chunk]);
			parts.push(s.content);
			bytes += s.content.length;
		});
		flush();
		this.exec('setSpanCount', [spans.length, traceId]);
		this.refreshFields(traceId, ordered, fresh);
	}

	private keyValues(name: 'tagsOf' | 'metadataOf', traceId: string): KeyValues {
		return Object.fromEntries(this.all(name, [traceId]).map(([k, v]) => [String(k), v === null ? '' : String(v)]));
	}

	/** Derived columns from what is stored now; without spans, a value only spans gave is kept. */
	private refreshFields(traceId: string, spans: SpanRecord[] | null, fresh?: Parameters<typeof traceFields>[0]): void {
		if (fresh) {
			this.exec('putFields', fieldParams(traceFields(fresh, spans), traceId));
			return;
		}
		const row = this.all('traceRow', [traceId])[0];
		if (!row) return;
		const f: TraceFields = traceFields(
			{
				requestPreview: row[1] as string | null,
				responsePreview: row[2] as string | null,
				metadata: this.keyValues('metadataOf', traceId),
				tags: this.keyValues('tagsOf', traceId)
			},
			spans
		);
		if (!spans && row[0] !== null) {
			// The stored spans stay; their derived values are not recomputed from metadata alone.
			this.db.run(
				`UPDATE traces SET request_text = coalesce(?, request_text), response_text = coalesce(?, response_text),
					trace_name = coalesce(?, trace_name), session_id = coalesce(?, session_id), user_id = coalesce(?, user_id),
					run_id = coalesce(?, run_id), input_tokens = coalesce(?, input_tokens), output_tokens = coalesce(?, output_tokens),
					total_tokens = coalesce(?, total_tokens), total_cost = coalesce(?, total_cost) WHERE trace_id = ?`,
				fieldParams(f, traceId)
			);
			return;
		}
		this.exec('putFields', fieldParams(f, traceId));
	}

	assessment(a: AssessmentRecord): void {
		this.exec('putAssessment', [
			a.assessmentId,
			a.traceId,
			a.name,
			a.type,
			a.value,
			a.error,
			a.createdTime,
			a.lastUpdatedTime,
			a.sourceType,
			a.sourceId,
			a.runId,
			a.spanId,
			a.rationale,
			a.overrides,
			a.valid ? 1 : 0,
			Object.keys(a.metadata).length ? JSON.stringify(a.metadata) : null
		]);
	}

	/** An evaluation dataset, its records (merged by record id) and its experiment links. */
	evaluationDataset(d: EvaluationDatasetRecord): void {
		this.brought('evaluation_dataset', d.datasetId);
		this.exec('putDataset', [
			d.datasetId,
			d.name,
			d.digest,
			d.schema,
			d.profile,
			d.tags,
			d.createdTime,
			d.lastUpdateTime,
			d.createdBy,
			d.lastUpdatedBy
		]);
		for (const r of d.records)
			this.exec('putRecord', [
				r.recordId,
				d.datasetId,
				r.inputs,
				r.expectations,
				r.outputs,
				r.tags,
				r.source,
				r.sourceType,
				r.sourceId,
				r.createdTime,
				r.lastUpdateTime
			]);
		for (const e of d.experimentIds) this.association('evaluation_dataset', d.datasetId, 'experiment', e);
	}

	/** A registered scorer of an experiment and its versions (read-only in Trackside). */
	scorer(
		id: string,
		experimentId: string,
		name: string,
		versions: { version: number; serialized: string; creationTime: number | null }[]
	): void {
		this.brought('scorer', id);
		this.exec('putScorer', [id, experimentId, name]);
		for (const v of versions) this.exec('putScorerVersion', [id, v.version, v.serialized, v.creationTime]);
	}

	association(sourceType: string, sourceId: string, destinationType: string, destinationId: string): void {
		this.exec('putAssociation', [sourceType, sourceId, destinationType, destinationId]);
	}
}

/**
 * A chunk as stored: its JSON as UTF-8 when small (compression of a few spans costs more time than
 * it saves bytes: 100,000 two-span traces took 4.5 s in deflate alone), zlib-compressed when over
 * 2 KB (span JSON shrinks ~5x). The two are told apart by the first byte: '[' or zlib's 0x78.
 */
const PACK_OVER = 2048;
export function packChunk(json: string): Uint8Array {
	const bytes = strToU8(json);
	return bytes.length > PACK_OVER ? zlibSync(bytes, { level: 1 }) : bytes;
}

/** A chunk's JSON from its stored bytes. */
export function unpackChunk(bytes: Uint8Array): string {
	return strFromU8(bytes[0] === 0x78 ? unzlibSync(bytes) : bytes);
}

/** `{"spans": [...]}` from a trace's chunks in order (each a JSON array), spans kept as written. */
export function spanFileJson(chunks: string[]): string {
	return `{"spans": [${chunks
		.map((c) => c.slice(1, -1))
		.filter((c) => c.length > 0)
		.join(', ')}]}`;
}

function fieldParams(f: TraceFields, traceId: string): SqlValue[] {
	return [
		f.requestPreview,
		f.responsePreview,
		f.traceName,
		f.sessionId,
		f.userId,
		f.runId,
		f.inputTokens,
		f.outputTokens,
		f.totalTokens,
		f.totalCost,
		traceId
	];
}
