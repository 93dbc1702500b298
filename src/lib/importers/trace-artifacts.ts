/**
 * Spans kept as artifacts: `<...>/traces/<trace id>/artifacts/traces.json`, found by position in the
 * archive, not by the trace's `mlflow.artifactLocation` (which names the machine that logged it:
 * `file:///Users/…`, `mlflow-artifacts:/1/…`, `e:\…`). FileStore traces, tracking-server
 * `mlartifacts/`, and SQL stores from before the spans table all keep spans this way. Runs after
 * every importer, so the spans attach to a trace whichever store brought it.
 */
import { textValue } from './parse';
import { parseSpanFile } from '../traces/span-json';
import type { SourceTree } from '../sources/tree';
import type { ImportContext } from './context';

// <experiment id>/traces/<trace id>/artifacts/<path>: FileStore experiments and mlartifacts/ alike.
const TRACE_ARTIFACT = /(?:^|\/)\d+\/traces\/([^/]+)\/artifacts\/(.+)$/;

export async function importTraceArtifacts(tree: SourceTree, ctx: ImportContext): Promise<void> {
	const traces = ctx.writer.traces;
	let repeated = 0;
	for (const file of tree.files) {
		const m = TRACE_ARTIFACT.exec(file.path);
		if (!m) continue;
		const [, traceId, rest] = m;
		const stored = traces.stored(traceId);
		if (!stored) {
			// A run artifact folder named traces/ (a run id is 32 hex chars, never `tr-`): not ours.
			if (/^[0-9a-f]{32}$/.test(traceId) || traceId.startsWith('tr-'))
				ctx.skip(file.path, `file of trace ${traceId}, which is in no imported store: skipped`);
			continue;
		}
		if (rest !== 'traces.json') {
			ctx.skip(file.path, `trace artifact other than traces.json: not imported`);
			continue;
		}
		// Spans already read from the tracking store's table win (MLflow reads the table when the
		// trace says TRACKING_STORE); an artifact copy beside them is the same spans.
		if (stored.spanCount !== null) {
			repeated++;
			continue;
		}
		ctx.check();
		const spans = parseSpanFile(textValue(await file.bytes()));
		ctx.advance(file.size);
		if (spans instanceof Error) {
			ctx.skip(file.path, `span file of trace ${traceId} is unreadable: ${spans.message}`);
			continue;
		}
		traces.spans(traceId, spans);
		ctx.counts.spans = (ctx.counts.spans ?? 0) + spans.length;
	}
	const missing = traces.withoutSpans();
	if (missing.length)
		ctx.note(
			`${missing.length} trace(s) have no spans in this input (${missing.slice(0, 3).join(', ')}${missing.length > 3 ? ', …' : ''}): their traces.json artifacts were not found. Their rows, metadata and assessments were imported; a trace view says the spans are missing.`
		);
	if (repeated)
		ctx.note(
			`${repeated} traces.json artifact(s) repeat spans already read from the tracking store's spans table; the table's copy was kept.`
		);
}
