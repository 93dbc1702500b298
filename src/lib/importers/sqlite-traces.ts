/**
 * GenAI traces of an MLflow SQL store (mlflow-genai-formats.md §3): `trace_info` with its tags and
 * request metadata (MLflow 2.14+; v2 and v3 traces share these columns), `spans` (MLflow ~3.4+,
 * when the trace's spans live in the tracking store), `assessments` and `entity_associations`.
 * Spans kept as `traces.json` artifacts are attached later by the trace-artifacts pass.
 */
import type { SqlValue } from 'sql.js';
import { traceState, type AssessmentRecord, type KeyValues, type SpanRecord, type TraceRecord } from '../db/entities';
import { spanRecord, type SpanDict } from '../traces/span-json';
import { keyValues } from './trace-dicts';
import type { ImportContext } from './context';
import { group, n, s, type SqliteReader } from './sqlite-reader';

export const TRACE_TABLES = [
	'trace_info',
	'trace_tags',
	'trace_request_metadata',
	'spans',
	'assessments',
	'entity_associations',
	'evaluation_datasets',
	'evaluation_dataset_records',
	'evaluation_dataset_tags',
	'scorers',
	'scorer_versions'
];

/** Tables MLflow fills with copies of what traces already hold: named in the report, with why. */
export const DERIVED_TRACE_TABLES: Record<string, string> = {
	trace_metrics: "MLflow's copy of each trace's token usage, which Trackside reads from the trace itself",
	span_metrics: "MLflow's copy of each span's cost, which Trackside reads from the span itself"
};

/** A JSON object column (assessment metadata) as key/values; unreadable JSON as none. */
function jsonObject(text: string | null): KeyValues {
	if (!text) return {};
	try {
		return keyValues(JSON.parse(text));
	} catch {
		return {};
	}
}

/** A row of the `spans` table: its columns say ids, times and status exactly; `content` says the rest. */
function tableSpan(row: Record<string, SqlValue>): SpanRecord {
	const content = s(row.content) ?? '{}';
	let fromJson: SpanRecord | undefined;
	try {
		fromJson = spanRecord(JSON.parse(content) as SpanDict, content);
	} catch {
		// Unreadable JSON: the columns alone still place the span in the tree.
	}
	return {
		spanId: s(row.span_id) ?? fromJson?.spanId ?? '',
		parentId: s(row.parent_span_id),
		name: s(row.name) ?? fromJson?.name ?? null,
		type: s(row.type) ?? fromJson?.type ?? null,
		status: s(row.status) ?? fromJson?.status ?? 'UNSET',
		startNs: n(row.start_time_unix_nano) ?? fromJson?.startNs ?? null,
		endNs: n(row.end_time_unix_nano) ?? fromJson?.endNs ?? null,
		content,
		attributes: fromJson?.attributes
	};
}

export function importSqliteTraces(r: SqliteReader, path: string, experimentIds: Map<string, string>, ctx: ImportContext): void {
	const imported = r.has('trace_info') ? importTraceRows(r, path, experimentIds, ctx) : new Set<string>();
	const datasets = importSqliteDatasets(r, experimentIds, ctx);
	importSqliteScorers(r, path, experimentIds, ctx);
	if (r.has('entity_associations')) {
		let other = 0;
		for (const [st, sid, dt, did] of r.rows('SELECT source_type, source_id, destination_type, destination_id FROM entity_associations')) {
			if (st === 'trace' && imported.has(String(sid))) ctx.writer.traces.association(String(st), String(sid), String(dt), String(did));
			else if (st === 'evaluation_dataset' && dt === 'experiment' && datasets.has(String(sid)))
				continue; // written with the dataset
			else other++;
		}
		if (other)
			ctx.skip(
				`${path}#entity_associations`,
				`${other} association(s) not of an imported trace or evaluation dataset are not imported (their other end is not in this store)`
			);
	}
}

function importTraceRows(r: SqliteReader, path: string, experimentIds: Map<string, string>, ctx: ImportContext): Set<string> {
	const traces = ctx.writer.traces;
	const tags = r.has('trace_tags') ? group(r.rows('SELECT request_id, key, value FROM trace_tags')) : new Map<string, KeyValues>();
	const metadata = r.has('trace_request_metadata')
		? group(r.rows('SELECT request_id, key, value FROM trace_request_metadata'))
		: new Map<string, KeyValues>();
	// Spans are read trace by trace (the table's primary key starts with trace_id), so a store with
	// millions of spans never holds them all in memory at once.
	const spansOf = r.has('spans')
		? r.db.prepare(
				`SELECT trace_id, span_id, parent_span_id, name, type, status, start_time_unix_nano, end_time_unix_nano, content FROM spans WHERE trace_id = ?`
			)
		: undefined;
	const readSpans = (id: string): SpanRecord[] | undefined => {
		if (!spansOf) return undefined;
		spansOf.bind([id]);
		const out: SpanRecord[] = [];
		while (spansOf.step()) out.push(tableSpan(spansOf.getAsObject()));
		spansOf.reset();
		return out.length ? out : undefined;
	};
	const assessments = new Map<string, AssessmentRecord[]>();
	if (r.has('assessments')) {
		for (const a of r.objects('SELECT * FROM assessments')) {
			const traceId = String(a.trace_id);
			let list = assessments.get(traceId);
			if (!list) assessments.set(traceId, (list = []));
			list.push({
				assessmentId: String(a.assessment_id),
				traceId,
				name: String(a.name),
				type: a.assessment_type === 'expectation' ? 'expectation' : 'feedback',
				value: s(a.value),
				error: s(a.error),
				createdTime: n(a.created_timestamp),
				lastUpdatedTime: n(a.last_updated_timestamp),
				sourceType: s(a.source_type) === 'AI_JUDGE' ? 'LLM_JUDGE' : s(a.source_type),
				sourceId: s(a.source_id),
				runId: s(a.run_id),
				spanId: s(a.span_id),
				rationale: s(a.rationale),
				overrides: s(a.overrides),
				valid: a.valid === null || a.valid === undefined || Number(a.valid) !== 0,
				metadata: jsonObject(s(a.assessment_metadata))
			});
		}
	}

	const imported = new Set<string>();
	for (const row of r.objects(
		`SELECT request_id, CAST(experiment_id AS TEXT) AS experiment_id, timestamp_ms, execution_time_ms, status,
			${r.col('trace_info', 'client_request_id')}, ${r.col('trace_info', 'request_preview')}, ${r.col('trace_info', 'response_preview')}
		FROM trace_info`
	)) {
		ctx.check();
		const id = String(row.request_id);
		const experimentId = experimentIds.get(String(row.experiment_id));
		if (experimentId === undefined) {
			ctx.skip(`${path}#trace_info/${id}`, `trace belongs to experiment ${row.experiment_id}, which is not in the store: skipped`);
			continue;
		}
		const traceTags = tags.get(id) ?? {};
		const own = readSpans(id);
		const record: TraceRecord = {
			traceId: id,
			experimentId,
			requestTime: n(row.timestamp_ms) ?? 0,
			executionDuration: n(row.execution_time_ms),
			state: traceState(row.status),
			clientRequestId: s(row.client_request_id),
			requestPreview: s(row.request_preview),
			responsePreview: s(row.response_preview),
			tags: traceTags,
			metadata: metadata.get(id) ?? {},
			// Spans in the table are the trace's spans whatever the tag says (nakaraan has both copies).
			spans: own ?? null,
			assessments: assessments.get(id) ?? []
		};
		traces.trace(record);
		imported.add(id);
		ctx.counts.traces = (ctx.counts.traces ?? 0) + 1;
		ctx.counts.spans = (ctx.counts.spans ?? 0) + (own?.length ?? 0);
		ctx.counts.assessments = (ctx.counts.assessments ?? 0) + record.assessments.length;
	}
	spansOf?.free();
	if (r.has('spans')) {
		for (const [id, n] of r.rows(
			'SELECT trace_id, count(*) FROM spans WHERE trace_id NOT IN (SELECT request_id FROM trace_info) GROUP BY trace_id'
		))
			ctx.skip(`${path}#spans/${id}`, `${n} span(s) of trace ${id}, which is not in trace_info: skipped`);
	}
	for (const [id, list] of assessments) {
		if (!imported.has(id))
			ctx.skip(`${path}#assessments/${id}`, `${list.length} assessment(s) of trace ${id}, which is not in trace_info: skipped`);
	}

	return imported;
}

/** Evaluation datasets (MLflow 3.4+), their records and tags, linked to experiments by association. */
function importSqliteDatasets(r: SqliteReader, experimentIds: Map<string, string>, ctx: ImportContext): Set<string> {
	const ids = new Set<string>();
	if (!r.has('evaluation_datasets')) return ids;
	const tags = r.has('evaluation_dataset_tags')
		? group(r.rows('SELECT dataset_id, key, value FROM evaluation_dataset_tags'))
		: new Map<string, KeyValues>();
	const links = new Map<string, string[]>();
	if (r.has('entity_associations'))
		for (const [sid, did] of r.rows(
			"SELECT source_id, destination_id FROM entity_associations WHERE source_type = 'evaluation_dataset' AND destination_type = 'experiment'"
		)) {
			const e = experimentIds.get(String(did));
			if (e !== undefined) links.set(String(sid), [...(links.get(String(sid)) ?? []), e]);
		}
	const records = r.has('evaluation_dataset_records')
		? r.db.prepare('SELECT * FROM evaluation_dataset_records WHERE dataset_id = ? ORDER BY created_time')
		: undefined;
	for (const d of r.objects('SELECT * FROM evaluation_datasets')) {
		const id = String(d.dataset_id);
		const rows: Record<string, SqlValue>[] = [];
		if (records) {
			records.bind([id]);
			while (records.step()) rows.push(records.getAsObject());
			records.reset();
		}
		const t = tags.get(id);
		ctx.writer.traces.evaluationDataset({
			datasetId: id,
			name: String(d.name),
			digest: s(d.digest),
			schema: s(d.schema),
			profile: s(d.profile),
			tags: t ? JSON.stringify(t) : null,
			createdTime: n(d.created_time),
			lastUpdateTime: n(d.last_update_time),
			createdBy: s(d.created_by),
			lastUpdatedBy: s(d.last_updated_by),
			experimentIds: links.get(id) ?? [],
			records: rows.map((x) => ({
				recordId: String(x.dataset_record_id),
				inputs: s(x.inputs) ?? '{}',
				expectations: s(x.expectations),
				outputs: s(x.outputs ?? null),
				tags: s(x.tags),
				source: s(x.source),
				sourceType: s(x.source_type),
				sourceId: s(x.source_id),
				createdTime: n(x.created_time),
				lastUpdateTime: n(x.last_update_time)
			}))
		});
		ids.add(id);
		ctx.counts.evaluationDatasets = (ctx.counts.evaluationDatasets ?? 0) + 1;
		ctx.counts.datasetRecords = (ctx.counts.datasetRecords ?? 0) + rows.length;
	}
	records?.free();
	return ids;
}

/** Registered scorers (MLflow 3.5+) and every version's serialized definition. */
function importSqliteScorers(r: SqliteReader, path: string, experimentIds: Map<string, string>, ctx: ImportContext): void {
	if (!r.has('scorers')) return;
	const versions = new Map<string, { version: number; serialized: string; creationTime: number | null }[]>();
	if (r.has('scorer_versions'))
		for (const [id, version, serialized, created] of r.rows(
			'SELECT scorer_id, scorer_version, serialized_scorer, creation_time FROM scorer_versions'
		))
			versions.set(String(id), [
				...(versions.get(String(id)) ?? []),
				{ version: Number(version), serialized: String(serialized ?? ''), creationTime: n(created) }
			]);
	for (const [id, experiment, name] of r.rows('SELECT scorer_id, CAST(experiment_id AS TEXT), scorer_name FROM scorers')) {
		const experimentId = experimentIds.get(String(experiment));
		if (experimentId === undefined) {
			ctx.skip(`${path}#scorers/${id}`, `scorer "${name}" belongs to experiment ${experiment}, which is not in the store: skipped`);
			continue;
		}
		ctx.writer.traces.scorer(String(id), experimentId, String(name), versions.get(String(id)) ?? []);
		ctx.counts.scorers = (ctx.counts.scorers ?? 0) + 1;
	}
}
