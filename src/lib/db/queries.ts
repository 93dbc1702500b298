/**
 * Every read query, each returning MLflow REST shapes (rest-types.ts) or plain rows for the UI,
 * behind one facade: `store.queries.runs(…)`. The SQL lives by entity beside it (experiment-,
 * run-, metric-, model- and source-queries.ts) over one SqlReader. Lists are read in bulk (one
 * query per table, grouped in JS) rather than a query per run.
 */
import type { Database } from 'sql.js';
import { SqlReader } from './sql-reader';
import { ExperimentQueries } from './experiment-queries';
import { RunQueries } from './run-queries';
import { MetricQueries } from './metric-queries';
import { ModelQueries } from './model-queries';
import { SourceQueries } from './source-queries';
import { TraceQueries } from './trace-queries';
import { PromptQueries } from './prompt-queries';

export type { ViewType } from './sql-reader';
export type { ExperimentSummary, SavedView } from './experiment-queries';
export type { KnownRun, RunHead, RunRow, RunSearch } from './run-queries';
export type { MetricKey, MetricRange } from './metric-queries';
export type { LoggedModelDetail, LoggedModelListRow, LoggedModelRow } from './model-queries';
export type { PromptDetail, PromptUse, PromptVersion } from './prompt-queries';
export type {
	AssessmentDict,
	DatasetRecordRow,
	EvaluationDatasetRow,
	ScorerRow,
	SessionRow,
	SessionTurn,
	SpanRow,
	TraceDetail,
	TraceInfoDict,
	TraceRow,
	TraceSearch
} from './trace-queries';
export { artifactKey, type ArtifactRow, type SourceRow, type StoreCounts } from './source-queries';

export class Queries {
	private readonly e: ExperimentQueries;
	private readonly r: RunQueries;
	private readonly m: MetricQueries;
	private readonly models: ModelQueries;
	private readonly s: SourceQueries;
	private readonly t: TraceQueries;
	private readonly p: PromptQueries;

	constructor(db: Database) {
		const reader = new SqlReader(db);
		this.e = new ExperimentQueries(reader);
		this.r = new RunQueries(reader);
		this.m = new MetricQueries(reader);
		this.models = new ModelQueries(reader);
		this.s = new SourceQueries(reader);
		this.t = new TraceQueries(reader);
		this.p = new PromptQueries(reader, this.models);
	}

	experiments: ExperimentQueries['experiments'] = (...a) => this.e.experiments(...a);
	experiment: ExperimentQueries['experiment'] = (...a) => this.e.experiment(...a);
	savedViews: ExperimentQueries['savedViews'] = (...a) => this.e.savedViews(...a);

	searchRunIds: RunQueries['searchRunIds'] = (...a) => this.r.searchRunIds(...a);
	runs: RunQueries['runs'] = (...a) => this.r.runs(...a);
	runsJson: RunQueries['runsJson'] = (...a) => this.r.runsJson(...a);
	run: RunQueries['run'] = (...a) => this.r.run(...a);
	runHeads: RunQueries['runHeads'] = (...a) => this.r.runHeads(...a);
	childRuns: RunQueries['childRuns'] = (...a) => this.r.childRuns(...a);
	runRows: RunQueries['runRows'] = (...a) => this.r.runRows(...a);
	knownRuns: RunQueries['knownRuns'] = (...a) => this.r.knownRuns(...a);

	metricKeys: MetricQueries['metricKeys'] = (...a) => this.m.metricKeys(...a);
	metricRanges: MetricQueries['metricRanges'] = (...a) => this.m.metricRanges(...a);
	metricKeysOf: MetricQueries['metricKeysOf'] = (...a) => this.m.metricKeysOf(...a);
	metricHistories: MetricQueries['metricHistories'] = (...a) => this.m.metricHistories(...a);
	metricSeries: MetricQueries['metricSeries'] = (...a) => this.m.metricSeries(...a);
	metricSummaries: MetricQueries['metricSummaries'] = (...a) => this.m.metricSummaries(...a);
	metricHistory: MetricQueries['metricHistory'] = (...a) => this.m.metricHistory(...a);

	registeredModels: ModelQueries['registeredModels'] = (...a) => this.models.registeredModels(...a);
	registeredModel: ModelQueries['registeredModel'] = (...a) => this.models.registeredModel(...a);
	modelVersions: ModelQueries['modelVersions'] = (...a) => this.models.modelVersions(...a);
	loggedModels: ModelQueries['loggedModels'] = (...a) => this.models.loggedModels(...a);
	loggedModel: ModelQueries['loggedModel'] = (...a) => this.models.loggedModel(...a);
	loggedModelsOf: ModelQueries['loggedModelsOf'] = (...a) => this.models.loggedModelsOf(...a);
	loggedModelCount: ModelQueries['loggedModelCount'] = (...a) => this.models.loggedModelCount(...a);

	counts: SourceQueries['counts'] = (...a) => this.s.counts(...a);
	sources: SourceQueries['sources'] = (...a) => this.s.sources(...a);
	artifacts: SourceQueries['artifacts'] = (...a) => this.s.artifacts(...a);
	artifactKeys: SourceQueries['artifactKeys'] = (...a) => this.s.artifactKeys(...a);

	prompts: PromptQueries['prompts'] = (...a) => this.p.prompts(...a);
	prompt: PromptQueries['prompt'] = (...a) => this.p.prompt(...a);

	traceCounts: TraceQueries['traceCounts'] = (...a) => this.t.traceCounts(...a);
	searchTraceIds: TraceQueries['searchTraceIds'] = (...a) => this.t.searchTraceIds(...a);
	traceRows: TraceQueries['traceRows'] = (...a) => this.t.traceRows(...a);
	traceColumns: TraceQueries['traceColumns'] = (...a) => this.t.traceColumns(...a);
	traceInfo: TraceQueries['traceInfo'] = (...a) => this.t.traceInfo(...a);
	traceDetail: TraceQueries['traceDetail'] = (...a) => this.t.traceDetail(...a);
	spanChunk: TraceQueries['spanChunk'] = (...a) => this.t.spanChunk(...a);
	spanChunkNumbers: TraceQueries['spanChunkNumbers'] = (...a) => this.t.spanChunkNumbers(...a);
	sessions: TraceQueries['sessions'] = (...a) => this.t.sessions(...a);
	sessionTurns: TraceQueries['sessionTurns'] = (...a) => this.t.sessionTurns(...a);
	runTraceCount: TraceQueries['runTraceCount'] = (...a) => this.t.runTraceCount(...a);
	scorers: TraceQueries['scorers'] = (...a) => this.t.scorers(...a);
	assessmentMetrics: TraceQueries['assessmentMetrics'] = (...a) => this.t.assessmentMetrics(...a);
	evaluationDatasets: TraceQueries['evaluationDatasets'] = (...a) => this.t.evaluationDatasets(...a);
	datasetRecords: TraceQueries['datasetRecords'] = (...a) => this.t.datasetRecords(...a);
}
