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
