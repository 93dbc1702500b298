/**
 * The trace list's derived columns, as MLflow's UI derives them (mlflow-genai-formats.md §10):
 * name, session, user, run, tokens, cost and previews, from metadata and tags first, then from the
 * spans (OTLP-ingested traces carry session and user only as span attributes, and some have no
 * previews). Computed once when a trace or its spans are stored.
 */
import type { KeyValues, SpanRecord } from '../db/entities';
import { attributeValue, spanAttributes } from './span-json';

export interface TraceFields {
	traceName: string | null;
	sessionId: string | null;
	userId: string | null;
	runId: string | null;
	inputTokens: number | null;
	outputTokens: number | null;
	totalTokens: number | null;
	totalCost: number | null;
	requestPreview: string | null;
	responsePreview: string | null;
}

/** MLflow's preview limit in OSS (TRACE_REQUEST_RESPONSE_PREVIEW_MAX_LENGTH_OSS). */
const PREVIEW_CHARS = 1000;

function objectOf(text: string | undefined): Record<string, unknown> | null {
	if (!text) return null;
	const v = attributeValue(text);
	return v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : null;
}

function finite(v: unknown): number | null {
	const n = typeof v === 'string' && v.trim() !== '' ? Number(v) : v;
	return typeof n === 'number' && Number.isFinite(n) ? n : null;
}

function text(v: unknown): string | null {
	if (v === null || v === undefined || v === '') return null;
	return typeof v === 'string' ? v : JSON.stringify(v);
}

function preview(v: unknown): string | null {
	const t = text(v);
	return t && t.length > PREVIEW_CHARS ? t.slice(0, PREVIEW_CHARS - 3) + '...' : t;
}

interface SpanUsage {
	parentId: string | null;
	usage: Record<string, unknown> | null;
	cost: Record<string, unknown> | null;
}

/**
 * Sums a per-span usage the way MLflow does (aggregate_usage_from_spans): a span counts only if no
 * ancestor already had usage, so a chain and the LLM call inside it are not counted twice.
 */
function aggregate(spans: Map<string, SpanUsage>, pick: (s: SpanUsage) => Record<string, unknown> | null, keys: string[]) {
	const totals: Record<string, number> = {};
	let found = false;
	for (const [id, s] of spans) {
		const own = pick(s);
		if (!own) continue;
		let ancestor = s.parentId;
		let covered = false;
		for (let hops = 0; ancestor && hops < spans.size; hops++) {
			const a = spans.get(ancestor);
			if (!a) break;
			if (pick(a)) {
				covered = true;
				break;
			}
			ancestor = a.parentId;
		}
		if (covered || !id) continue;
		for (const k of keys) {
			const v = finite(own[k]);
			if (v !== null) {
				totals[k] = (totals[k] ?? 0) + v;
				found = true;
			}
		}
	}
	return found ? totals : null;
}

export function traceFields(
	info: { requestPreview: string | null; responsePreview: string | null; metadata: KeyValues; tags: KeyValues },
	spans: SpanRecord[] | null
): TraceFields {
	const m = info.metadata;
	const parsed = new Map<string, SpanUsage>();
	let rootAttrs: Record<string, unknown> = {};
	let rootName: string | null = null;
	if (spans?.length) {
		const ids = new Set(spans.map((s) => s.spanId));
		let root: SpanRecord | undefined;
		for (const s of spans) {
			const attrs = spanAttributes(s.attributes ? { attributes: s.attributes } : JSON.parse(s.content));
			const isRoot = !s.parentId || !ids.has(s.parentId);
			if (isRoot && (!root || (s.startNs ?? Infinity) < (root.startNs ?? Infinity))) {
				root = s;
				rootAttrs = attrs;
			}
			const usage = attrs['mlflow.chat.tokenUsage'];
			const cost = attrs['mlflow.llm.cost'];
			parsed.set(s.spanId, {
				parentId: s.parentId,
				usage: usage && typeof usage === 'object' ? (usage as Record<string, unknown>) : null,
				cost: cost && typeof cost === 'object' ? (cost as Record<string, unknown>) : null
			});
		}
		rootName = root?.name ?? null;
	}
	const usage =
		objectOf(m['mlflow.trace.tokenUsage']) ?? aggregate(parsed, (s) => s.usage, ['input_tokens', 'output_tokens', 'total_tokens']);
	const cost = objectOf(m['mlflow.trace.cost']) ?? aggregate(parsed, (s) => s.cost, ['input_cost', 'output_cost', 'total_cost']);
	const inputTokens = finite(usage?.input_tokens);
	const outputTokens = finite(usage?.output_tokens);
	return {
		traceName: info.tags['mlflow.traceName'] || rootName,
		sessionId: m['mlflow.trace.session'] || text(rootAttrs['mlflow.trace.session'] ?? rootAttrs['session.id']),
		userId: m['mlflow.trace.user'] || m['mlflow.user'] || text(rootAttrs['mlflow.trace.user'] ?? rootAttrs['user.id']),
		runId: m['mlflow.sourceRun'] || null,
		inputTokens,
		outputTokens,
		totalTokens: finite(usage?.total_tokens) ?? (inputTokens !== null && outputTokens !== null ? inputTokens + outputTokens : null),
		totalCost: finite(cost?.total_cost),
		requestPreview: info.requestPreview || m['mlflow.traceInputs'] || preview(rootAttrs['mlflow.spanInputs']),
		responsePreview: info.responsePreview || m['mlflow.traceOutputs'] || preview(rootAttrs['mlflow.spanOutputs'])
	};
}
