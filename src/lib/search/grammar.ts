/**
 * MLflow's search grammar as data: entity types, searchable attributes and the comparators each
 * accepts, per kind of search (mlflow/utils/search_utils.py, mlflow/entities/run_info.py).
 */
export type EntityType = 'metric' | 'parameter' | 'tag' | 'attribute' | 'dataset' | 'metadata' | 'feedback' | 'expectation';
export type SearchKind = 'runs' | 'experiments' | 'registered_models' | 'model_versions' | 'traces';

export const ENTITY_ALIASES: Record<string, EntityType> = {
	metric: 'metric',
	metrics: 'metric',
	parameter: 'parameter',
	parameters: 'parameter',
	param: 'parameter',
	params: 'parameter',
	tag: 'tag',
	tags: 'tag',
	attribute: 'attribute',
	attributes: 'attribute',
	attr: 'attribute',
	run: 'attribute',
	dataset: 'dataset',
	datasets: 'dataset'
};

export const NUMERIC_COMPARATORS = ['=', '!=', '>', '>=', '<', '<='];
export const STRING_COMPARATORS = ['=', '!=', 'LIKE', 'ILIKE'];
export const STRING_LIST_COMPARATORS = ['=', '!=', 'LIKE', 'ILIKE', 'IN', 'NOT IN'];

export interface AttributeSpec {
	/** The canonical key (aliases map to it). */
	key: string;
	numeric: boolean;
	comparators: string[];
}

const numeric = (key: string): AttributeSpec => ({ key, numeric: true, comparators: NUMERIC_COMPARATORS });
const text = (key: string, comparators = STRING_COMPARATORS): AttributeSpec => ({ key, numeric: false, comparators });

export interface KindGrammar {
	entities: EntityType[];
	attributes: Record<string, AttributeSpec>;
	/** Entity types that accept IS NULL / IS NOT NULL, and how MLflow names them in its error. */
	nullable: EntityType[];
	nullableLabel: string;
	datasetKeys?: string[];
	orderKeys: Record<string, AttributeSpec>;
	/** Entity names of this search when they differ from ENTITY_ALIASES (traces: `trace.`, `metadata.`). */
	aliases?: Record<string, EntityType>;
}

const runAttributes: Record<string, AttributeSpec> = {
	run_id: text('run_id', STRING_LIST_COMPARATORS),
	run_name: text('run_name'),
	'run name': text('run_name'),
	'Run name': text('run_name'),
	'Run Name': text('run_name'),
	user_id: text('user_id'),
	status: text('status'),
	artifact_uri: text('artifact_uri'),
	start_time: numeric('start_time'),
	created: numeric('start_time'),
	Created: numeric('start_time'),
	end_time: numeric('end_time')
};

/**
 * search_traces (SearchTraceUtils, mlflow/utils/search_utils.py): `name` and `run_id` stand for the
 * trace name tag and the source-run metadata; `timestamp`/`execution_time` alias the _ms keys.
 * MLflow 3's assessment filters (`feedback.<name>`, `expectation.<name>`) compare the value.
 */
// search_traces compares string attributes by equality and lists only (VALID_STRING_ATTRIBUTE_COMPARATORS).
const TRACE_STRING_COMPARATORS = ['=', '!=', 'IN', 'NOT IN'];
const traceAttributes: Record<string, AttributeSpec> = {
	request_id: text('trace_id', TRACE_STRING_COMPARATORS),
	trace_id: text('trace_id', TRACE_STRING_COMPARATORS),
	timestamp: numeric('timestamp_ms'),
	timestamp_ms: numeric('timestamp_ms'),
	execution_time: numeric('execution_time_ms'),
	execution_time_ms: numeric('execution_time_ms'),
	status: text('status', TRACE_STRING_COMPARATORS),
	state: text('status', TRACE_STRING_COMPARATORS),
	name: text('name', TRACE_STRING_COMPARATORS),
	run_id: text('run_id', TRACE_STRING_COMPARATORS)
};

export const GRAMMARS: Record<SearchKind, KindGrammar> = {
	traces: {
		entities: ['attribute', 'tag', 'metadata', 'feedback', 'expectation'],
		attributes: traceAttributes,
		nullable: ['tag', 'metadata', 'feedback', 'expectation'],
		nullableLabel: 'tags, metadata and assessments',
		orderKeys: { ...traceAttributes, experiment_id: text('experiment_id') },
		aliases: {
			attribute: 'attribute',
			attributes: 'attribute',
			trace: 'attribute',
			tag: 'tag',
			tags: 'tag',
			metadata: 'metadata',
			request_metadata: 'metadata',
			feedback: 'feedback',
			expectation: 'expectation'
		}
	},
	runs: {
		entities: ['metric', 'parameter', 'tag', 'attribute', 'dataset'],
		attributes: runAttributes,
		nullable: ['tag', 'parameter'],
		nullableLabel: 'tags and params',
		datasetKeys: ['name', 'digest', 'context'],
		orderKeys: runAttributes
	},
	experiments: {
		entities: ['tag', 'attribute'],
		attributes: { name: text('name'), creation_time: numeric('creation_time'), last_update_time: numeric('last_update_time') },
		nullable: ['tag'],
		nullableLabel: 'tags',
		orderKeys: {
			name: text('name'),
			experiment_id: text('experiment_id'),
			creation_time: numeric('creation_time'),
			last_update_time: numeric('last_update_time')
		}
	},
	registered_models: {
		entities: ['tag', 'attribute'],
		attributes: { name: text('name') },
		nullable: ['tag'],
		nullableLabel: 'tags',
		orderKeys: {
			name: text('name'),
			timestamp: numeric('creation_timestamp'),
			creation_timestamp: numeric('creation_timestamp'),
			last_updated_timestamp: numeric('last_updated_timestamp')
		}
	},
	model_versions: {
		entities: ['tag', 'attribute'],
		attributes: {
			name: text('name'),
			version_number: numeric('version_number'),
			run_id: text('run_id', STRING_LIST_COMPARATORS),
			source_path: text('source_path')
		},
		nullable: ['tag'],
		nullableLabel: 'tags',
		orderKeys: {
			name: text('name'),
			version_number: numeric('version_number'),
			creation_timestamp: numeric('creation_timestamp'),
			last_updated_timestamp: numeric('last_updated_timestamp')
		}
	}
};

/** Comparators per entity type (attributes and datasets depend on the key). */
export const ENTITY_COMPARATORS: Partial<Record<EntityType, string[]>> = {
	metric: NUMERIC_COMPARATORS,
	parameter: STRING_COMPARATORS,
	tag: STRING_COMPARATORS,
	dataset: STRING_LIST_COMPARATORS,
	metadata: STRING_COMPARATORS,
	feedback: STRING_COMPARATORS,
	expectation: STRING_COMPARATORS
};
