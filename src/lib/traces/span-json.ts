/**
 * MLflow's span JSON, both shapes (../shared/docs/mlflow-genai-formats.md §6): v3 (`Span.to_dict()`,
 * OTLP-like: base64 ids, `start_time_unix_nano`, `status.code`) and v2 (`context.span_id` with `0x`,
 * `parent_id`, `start_time`, `status_code`). MLflow 3.5.0 wrote v3 with hex ids and bare status
 * codes; every variant reads to the same SpanRecord.
 */
import type { SpanRecord } from '../db/entities';

export type SpanDict = Record<string, unknown>;

/** A span id (or trace id) as lowercase hex: base64 (v3), `0x…` (v2), `tr-…`, or hex already. */
export function hexId(v: unknown): string | null {
	if (v === null || v === undefined || v === '') return null;
	let s = String(v);
	if (s.startsWith('tr-')) return s.slice(3).toLowerCase();
	if (/^0x[0-9a-f]+$/i.test(s)) return s.slice(2).toLowerCase();
	// Hex ids are 16 (span) or 32 (trace) chars; base64 of 8 or 16 bytes is 12 or 24 chars.
	if (/^[0-9a-f]{16}$|^[0-9a-f]{32}$/i.test(s)) return s.toLowerCase();
	try {
		const bin = atob(s);
		s = '';
		for (let i = 0; i < bin.length; i++) s += bin.charCodeAt(i).toString(16).padStart(2, '0');
		return s;
	} catch {
		return String(v);
	}
}

const STATUS: Record<string, string> = {
	STATUS_CODE_OK: 'OK',
	STATUS_CODE_ERROR: 'ERROR',
	STATUS_CODE_UNSET: 'UNSET',
	OK: 'OK',
	ERROR: 'ERROR',
	UNSET: 'UNSET'
};

function num(v: unknown): number | null {
	if (v === null || v === undefined || v === '') return null;
	const n = Number(v);
	return Number.isFinite(n) ? n : null;
}

/** An attribute value: MLflow stores each as a JSON string; plain text that is not JSON stays text. */
export function attributeValue(raw: unknown): unknown {
	if (typeof raw !== 'string') return raw;
	try {
		return JSON.parse(raw);
	} catch {
		return raw;
	}
}

export function isV2Span(d: SpanDict): boolean {
	return typeof d.context === 'object' && d.context !== null;
}

/** The span's attributes, decoded (see attributeValue). */
export function spanAttributes(d: SpanDict): Record<string, unknown> {
	const raw = d.attributes;
	if (!raw || typeof raw !== 'object') return {};
	// fromEntries makes own properties of every key, `__proto__` included (assignment would not).
	return Object.fromEntries(Object.entries(raw as Record<string, unknown>).map(([k, v]) => [k, attributeValue(v)]));
}

/** One span dict (either shape) as a SpanRecord; `content` is its JSON text. */
export function spanRecord(d: SpanDict, content = JSON.stringify(d)): SpanRecord {
	const attrs = (d.attributes ?? {}) as Record<string, unknown>;
	const type = attributeValue(attrs['mlflow.spanType']);
	if (isV2Span(d)) {
		const ctx = d.context as Record<string, unknown>;
		return {
			spanId: hexId(ctx.span_id) ?? '',
			parentId: hexId(d.parent_id),
			name: typeof d.name === 'string' ? d.name : null,
			type: typeof type === 'string' ? type : null,
			status: STATUS[String(d.status_code ?? 'UNSET')] ?? 'UNSET',
			startNs: num(d.start_time),
			endNs: num(d.end_time),
			content,
			attributes: attrs
		};
	}
	const status = d.status as Record<string, unknown> | string | undefined;
	const code = typeof status === 'object' && status ? status.code : status;
	return {
		spanId: hexId(d.span_id) ?? '',
		parentId: hexId(d.parent_span_id),
		name: typeof d.name === 'string' ? d.name : null,
		type: typeof type === 'string' ? type : null,
		status: STATUS[String(code ?? 'UNSET')] ?? 'UNSET',
		startNs: num(d.start_time_unix_nano),
		endNs: num(d.end_time_unix_nano),
		content,
		attributes: attrs
	};
}

/** A `traces.json` span file's text: its spans, or an Error saying why it is not one. */
export function parseSpanFile(text: string): SpanRecord[] | Error {
	let doc: unknown;
	try {
		doc = JSON.parse(text);
	} catch (e) {
		return new Error(`not JSON (${(e as Error).message})`);
	}
	const spans = (doc as { spans?: unknown } | null)?.spans;
	if (!Array.isArray(spans)) return new Error('no "spans" list: not an MLflow span file');
	const out: SpanRecord[] = [];
	for (const s of spans) if (s && typeof s === 'object') out.push(spanRecord(s as SpanDict));
	return out;
}

/**
 * Spans in the order they are stored: by start time, then id (MLflow's UI orders siblings by start;
 * the tree is rebuilt from parent ids when read).
 */
export function orderSpans(spans: SpanRecord[]): SpanRecord[] {
	return [...spans].sort(
		(a, b) => (a.startNs ?? Infinity) - (b.startNs ?? Infinity) || (a.spanId < b.spanId ? -1 : a.spanId > b.spanId ? 1 : 0)
	);
}
