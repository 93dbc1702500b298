/** Records as importers hand them to the store: MLflow's entities, normalized across versions. */
import type { Series } from './series-codec';

export type LifecycleStage = 'active' | 'deleted';
export type RunStatus = 'RUNNING' | 'SCHEDULED' | 'FINISHED' | 'FAILED' | 'KILLED';
export type KeyValues = Record<string, string>;

export interface ExperimentRecord {
	experimentId: string;
	name: string;
	artifactLocation: string | null;
	lifecycleStage: LifecycleStage;
	creationTime: number | null;
	lastUpdateTime: number | null;
	tags: KeyValues;
}

export interface RunRecord {
	runUuid: string;
	experimentId: string;
	name: string | null;
	sourceType: string | null;
	sourceName: string | null;
	entryPointName: string | null;
	userId: string | null;
	status: RunStatus;
	startTime: number | null;
	endTime: number | null;
	deletedTime: number | null;
	sourceVersion: string | null;
	lifecycleStage: LifecycleStage;
	artifactUri: string | null;
	params: KeyValues;
	tags: KeyValues;
	/** Full history per metric key. */
	metrics: Map<string, Series>;
}

export interface DatasetRecord {
	datasetUuid: string;
	experimentId: string;
	name: string;
	digest: string;
	sourceType: string | null;
	source: string | null;
	schema: string | null;
	profile: string | null;
}

export interface InputRecord {
	inputUuid: string;
	sourceType: string;
	sourceId: string;
	destinationType: string;
	destinationId: string;
	step: number;
	tags: KeyValues;
}

export interface RegisteredModelRecord {
	name: string;
	creationTime: number | null;
	lastUpdatedTime: number | null;
	description: string | null;
	tags: KeyValues;
	/** alias -> version */
	aliases: Record<string, number>;
}

export interface ModelVersionRecord {
	name: string;
	version: number;
	creationTime: number | null;
	lastUpdatedTime: number | null;
	description: string | null;
	userId: string | null;
	currentStage: string;
	source: string | null;
	runId: string | null;
	status: string | null;
	statusMessage: string | null;
	runLink: string | null;
	storageLocation: string | null;
	modelId: string | null;
	tags: KeyValues;
}

export interface LoggedModelMetricPoint {
	key: string;
	value: number;
	timestamp: number;
	step: number;
	runId: string | null;
}

export interface LoggedModelRecord {
	modelId: string;
	experimentId: string;
	name: string;
	artifactLocation: string | null;
	creationTime: number | null;
	lastUpdatedTime: number | null;
	status: string | null;
	lifecycleStage: LifecycleStage;
	modelType: string | null;
	sourceRunId: string | null;
	statusMessage: string | null;
	params: KeyValues;
	tags: KeyValues;
	metrics: LoggedModelMetricPoint[];
}

const STATUS_BY_NUMBER: Record<string, RunStatus> = {
	'1': 'RUNNING',
	'2': 'SCHEDULED',
	'3': 'FINISHED',
	'4': 'FAILED',
	'5': 'KILLED'
};
const STATUSES = new Set<string>(Object.values(STATUS_BY_NUMBER));

/** FileStore writes the RunStatus enum number; SQL stores and REST write its name. */
export function runStatus(value: unknown): RunStatus {
	const s = String(value ?? '')
		.trim()
		.toUpperCase();
	if (STATUSES.has(s)) return s as RunStatus;
	return STATUS_BY_NUMBER[s] ?? 'FINISHED';
}

const LOGGED_MODEL_STATUS: Record<string, string> = {
	'0': 'LOGGED_MODEL_STATUS_UNSPECIFIED',
	'1': 'LOGGED_MODEL_PENDING',
	'2': 'LOGGED_MODEL_READY',
	'3': 'LOGGED_MODEL_UPLOAD_FAILED'
};

export function loggedModelStatus(value: unknown): string | null {
	if (value === null || value === undefined || value === '') return null;
	const s = String(value);
	return LOGGED_MODEL_STATUS[s] ?? s;
}

const SOURCE_TYPE_BY_NUMBER: Record<string, string> = {
	'1': 'NOTEBOOK',
	'2': 'JOB',
	'3': 'PROJECT',
	'4': 'LOCAL',
	'1000': 'UNKNOWN'
};

export function sourceType(value: unknown): string | null {
	if (value === null || value === undefined || value === '') return null;
	const s = String(value);
	return SOURCE_TYPE_BY_NUMBER[s] ?? s;
}

/** A trace's state, MLflow 3's names (v2 `status` values map onto them). */
export type TraceState = 'OK' | 'ERROR' | 'IN_PROGRESS' | 'STATE_UNSPECIFIED';

/** A span as the tree and timeline need it, plus its whole JSON as the source wrote it. */
export interface SpanRecord {
	/** 16 hex chars, whatever the source's encoding (base64, 0x-prefixed or bare hex). */
	spanId: string;
	parentId: string | null;
	name: string | null;
	type: string | null;
	/** OK, ERROR or UNSET. */
	status: string;
	startNs: number | null;
	endNs: number | null;
	/** The span's JSON text (MLflow's `Span.to_dict()`, v3 or v2 shape). */
	content: string;
	/** Its attributes as parsed from `content` already, when the reader parsed it (saves a parse). */
	attributes?: Record<string, unknown>;
}

export interface AssessmentRecord {
	assessmentId: string;
	traceId: string;
	name: string;
	type: 'feedback' | 'expectation';
	/** JSON text of the value; null when a feedback carries an error instead. */
	value: string | null;
	/** JSON text of MLflow's AssessmentError. */
	error: string | null;
	createdTime: number | null;
	lastUpdatedTime: number | null;
	sourceType: string | null;
	sourceId: string | null;
	runId: string | null;
	spanId: string | null;
	rationale: string | null;
	overrides: string | null;
	valid: boolean;
	metadata: KeyValues;
}

export interface TraceRecord {
	/** `tr-…` (v3) or a v2 request id. */
	traceId: string;
	experimentId: string;
	/** ms since epoch. */
	requestTime: number;
	/** ms; null while in progress. */
	executionDuration: number | null;
	state: TraceState;
	clientRequestId: string | null;
	requestPreview: string | null;
	responsePreview: string | null;
	tags: KeyValues;
	metadata: KeyValues;
	/** null: this source does not hold the trace's spans (another may). */
	spans: SpanRecord[] | null;
	assessments: AssessmentRecord[];
}

/** MLflow 2's `status` and MLflow 3's `state`, as a state. */
export function traceState(v: unknown): TraceState {
	const s = String(v ?? '').toUpperCase();
	if (s === 'OK' || s === 'ERROR' || s === 'IN_PROGRESS') return s;
	return 'STATE_UNSPECIFIED';
}

/** An MLflow 3 evaluation dataset (mlflow.genai.datasets) with its records; JSON fields as text. */
export interface EvaluationDatasetRecord {
	datasetId: string;
	name: string;
	digest: string | null;
	schema: string | null;
	profile: string | null;
	tags: string | null;
	createdTime: number | null;
	lastUpdateTime: number | null;
	createdBy: string | null;
	lastUpdatedBy: string | null;
	/** Experiments the dataset belongs to (this store's ids). */
	experimentIds: string[];
	records: {
		recordId: string;
		inputs: string;
		expectations: string | null;
		outputs: string | null;
		tags: string | null;
		source: string | null;
		sourceType: string | null;
		sourceId: string | null;
		createdTime: number | null;
		lastUpdateTime: number | null;
	}[];
}
