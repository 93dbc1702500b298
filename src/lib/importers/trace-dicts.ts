/**
 * MLflow's trace info and assessment dicts as records, both trace schemas (mlflow-genai-formats.md
 * §2, §4): FileStore `trace_info.yaml` and assessment YAML, and the `info` of an
 * mlflow-export-import `trace.json` or a REST `Trace.to_dict()`.
 */
import { traceState, type AssessmentRecord, type KeyValues, type TraceRecord } from '../db/entities';

type Dict = Record<string, unknown>;

const isDict = (v: unknown): v is Dict => !!v && typeof v === 'object' && !Array.isArray(v);

/** YAML integers arrive as BigInt (18-digit ids): plain numbers and strings for JSON. */
function plain(v: unknown): unknown {
	if (typeof v === 'bigint') return Number(v);
	if (Array.isArray(v)) return v.map(plain);
	if (isDict(v)) return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, plain(x)]));
	return v;
}

function text(v: unknown): string | null {
	if (v === null || v === undefined) return null;
	if (typeof v === 'string') return v;
	// Objects as JSON, never "[object Object]".
	return typeof v === 'object' ? JSON.stringify(plain(v)) : String(plain(v));
}

/** ms from an epoch-ms number or an RFC 3339 string (`2025-12-31T08:40:49.658Z`). */
export function millis(v: unknown): number | null {
	if (v === null || v === undefined || v === '') return null;
	if (typeof v === 'number' || typeof v === 'bigint') return Number(v);
	const s = String(v);
	if (/^\d+$/.test(s)) return Number(s);
	const t = Date.parse(s);
	return Number.isNaN(t) ? null : t;
}

/** A duration in ms: a number, or a proto Duration string (`"0.25s"`). */
function durationMs(v: unknown): number | null {
	if (v === null || v === undefined || v === '') return null;
	if (typeof v === 'number' || typeof v === 'bigint') return Number(v);
	const m = /^(-?\d+(?:\.\d+)?)s$/.exec(String(v));
	return m ? Math.round(Number(m[1]) * 1000) : Number.isFinite(Number(v)) ? Number(v) : null;
}

/** A dict (or proto-style [{key, value}] list) of any values as string key/values. */
export function keyValues(v: unknown): KeyValues {
	if (Array.isArray(v)) {
		// Proto-style lists: [{key, value}].
		return Object.fromEntries(v.filter(isDict).map((e) => [String(e.key), text(e.value) ?? '']));
	}
	if (!isDict(v)) return {};
	return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, text(x) ?? '']));
}

/** The experiment a trace info dict names (v3 `trace_location`, v2 `experiment_id`). */
export function infoExperimentId(d: Dict): string | null {
	const location = d.trace_location;
	if (isDict(location) && isDict(location.mlflow_experiment)) return text(location.mlflow_experiment.experiment_id);
	return text(d.experiment_id);
}

export function infoTraceId(d: Dict): string | null {
	return text(d.trace_id ?? d.request_id);
}

/**
 * A trace info dict (v2 or v3) as a record in `experimentId`, with tags and metadata from the dict
 * unless given (FileStore keeps them in folders). Null when it names no trace id.
 */
export function traceFromInfo(d: Dict, experimentId: string, extra: { tags?: KeyValues; metadata?: KeyValues } = {}): TraceRecord | null {
	const traceId = infoTraceId(d);
	if (!traceId) return null;
	const assessments = Array.isArray(d.assessments) ? d.assessments.filter(isDict).flatMap((a) => assessmentFromDict(a, traceId) ?? []) : [];
	return {
		traceId,
		experimentId,
		requestTime: millis(d.request_time ?? d.timestamp_ms) ?? 0,
		executionDuration: durationMs(d.execution_duration_ms ?? d.execution_time_ms ?? d.execution_duration),
		state: traceState(d.state ?? d.status),
		clientRequestId: text(d.client_request_id),
		requestPreview: text(d.request_preview),
		responsePreview: text(d.response_preview),
		tags: extra.tags ?? keyValues(d.tags),
		metadata: extra.metadata ?? keyValues(d.trace_metadata ?? d.request_metadata),
		spans: null,
		assessments
	};
}

/**
 * An assessment dict (`Assessment.to_dictionary()`: FileStore YAML, export-import) as a record.
 * The value is kept as JSON text, as MLflow's SQL store keeps it.
 */
export function assessmentFromDict(d: Dict, traceId: string): AssessmentRecord | null {
	const id = text(d.assessment_id);
	const name = text(d.assessment_name ?? d.name);
	if (!id || !name) return null;
	const feedback = isDict(d.feedback) ? d.feedback : null;
	// to_dictionary() nests the value ({value} or {serialized_value}); mlflow-export-import's
	// __dict__ dump writes an expectation's value bare, and says the type in assessment_type.
	const isExpectation = !feedback && (d.assessment_type === 'expectation' || (d.expectation !== undefined && d.expectation !== null));
	let value: string | null = null;
	let error: string | null = null;
	if (feedback) {
		if ('value' in feedback) value = JSON.stringify(plain(feedback.value) ?? null);
		if (isDict(feedback.error)) error = JSON.stringify(plain(feedback.error));
	} else if (isExpectation) {
		const e = d.expectation;
		const nested = isDict(e) && ('value' in e || 'serialized_value' in e);
		const serialized = nested ? e.serialized_value : undefined;
		if (isDict(serialized) && typeof serialized.value === 'string') value = serialized.value;
		else value = JSON.stringify(plain(nested ? e.value : e) ?? null);
	}
	const source = isDict(d.source) ? d.source : {};
	const sourceType = text(source.source_type);
	return {
		assessmentId: id,
		traceId: text(d.trace_id) ?? traceId,
		name,
		type: isExpectation ? 'expectation' : 'feedback',
		value,
		error,
		createdTime: millis(d.create_time ?? d.create_time_ms),
		lastUpdatedTime: millis(d.last_update_time ?? d.last_update_time_ms),
		sourceType: sourceType === 'AI_JUDGE' ? 'LLM_JUDGE' : sourceType,
		sourceId: text(source.source_id),
		runId: text(d.run_id),
		spanId: text(d.span_id) || null,
		rationale: text(d.rationale),
		overrides: text(d.overrides),
		valid: d.valid === undefined || d.valid === null ? true : d.valid !== false && d.valid !== 'false',
		metadata: keyValues(d.metadata)
	};
}
