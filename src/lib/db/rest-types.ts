/**
 * MLflow REST API JSON shapes (mlflow/protos/service.proto, model_registry.proto): snake_case,
 * int64 as JSON numbers, maps as [{key, value}] lists, unset fields omitted, non-finite doubles as
 * the strings "NaN", "Infinity", "-Infinity" (proto3 JSON).
 */
export type JsonDouble = number | 'NaN' | 'Infinity' | '-Infinity';
export interface KeyValue {
	key: string;
	value: string;
}

export interface Experiment {
	experiment_id: string;
	name: string;
	artifact_location?: string;
	lifecycle_stage: string;
	creation_time?: number;
	last_update_time?: number;
	tags?: KeyValue[];
}

export interface Metric {
	key: string;
	value: JsonDouble;
	timestamp: number;
	step: number;
}

export interface RunInfo {
	run_id: string;
	run_uuid: string;
	run_name?: string;
	experiment_id: string;
	user_id?: string;
	status: string;
	start_time?: number;
	end_time?: number;
	artifact_uri?: string;
	lifecycle_stage: string;
}

export interface Dataset {
	name: string;
	digest: string;
	source_type?: string;
	source?: string;
	schema?: string;
	profile?: string;
}

export interface DatasetInput {
	tags?: KeyValue[];
	dataset: Dataset;
}

export interface Run {
	info: RunInfo;
	data: { metrics?: Metric[]; params?: KeyValue[]; tags?: KeyValue[] };
	inputs?: { dataset_inputs?: DatasetInput[]; model_inputs?: { model_id: string }[] };
	outputs?: { model_outputs?: { model_id: string; step: number }[] };
}

export interface ModelVersion {
	name: string;
	version: string;
	creation_timestamp?: number;
	last_updated_timestamp?: number;
	user_id?: string;
	current_stage?: string;
	description?: string;
	source?: string;
	run_id?: string;
	status?: string;
	status_message?: string;
	tags?: KeyValue[];
	run_link?: string;
	aliases?: string[];
	model_id?: string;
}

export interface RegisteredModel {
	name: string;
	creation_timestamp?: number;
	last_updated_timestamp?: number;
	description?: string;
	latest_versions?: ModelVersion[];
	tags?: KeyValue[];
	aliases?: { alias: string; version: string }[];
}

export function jsonDouble(v: number | null, isNan = false): JsonDouble {
	if (isNan || v === null || Number.isNaN(v)) return 'NaN';
	if (v === Infinity) return 'Infinity';
	if (v === -Infinity) return '-Infinity';
	return v;
}
