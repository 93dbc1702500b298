// Sections A and B of ../shared/docs/search-filter-vectors.md (MLflow's own test cases), by number.
import { describe, expect, it } from 'vitest';
import { parseFilter, parseOrderBy, SearchError } from './parse';

type C = [type: string, key: string, comparator: string, value: string | string[] | null];
const plain = (f: string) => parseFilter('runs', f).map((c) => [c.type, c.key, c.comparator, c.value]);

describe('run filter: valid filters parse as MLflow parses them (A1, A2)', () => {
	const cases: [number, string, C[]][] = [
		[1, 'metric.acc >= 0.94', [['metric', 'acc', '>=', '0.94']]],
		[2, 'metric.acc>=100', [['metric', 'acc', '>=', '100']]],
		[3, "params.m!='tf'", [['parameter', 'm', '!=', 'tf']]],
		[4, 'params."m"!="tf"', [['parameter', 'm', '!=', 'tf']]],
		[5, 'metric."legit name" >= 0.243', [['metric', 'legit name', '>=', '0.243']]],
		[6, 'metrics.XYZ = 3', [['metric', 'XYZ', '=', '3']]],
		[7, 'params."cat dog" = "pets"', [['parameter', 'cat dog', '=', 'pets']]],
		[8, 'metrics."X-Y-Z" = 3', [['metric', 'X-Y-Z', '=', '3']]],
		[9, 'metrics."X//Y#$$@&Z" = 3', [['metric', 'X//Y#$$@&Z', '=', '3']]],
		[10, "params.model = 'LinearRegression'", [['parameter', 'model', '=', 'LinearRegression']]],
		[
			11,
			"metrics.rmse < 1 and params.model_class = 'LR'",
			[
				['metric', 'rmse', '<', '1'],
				['parameter', 'model_class', '=', 'LR']
			]
		],
		[12, '', []],
		[13, '`metric`.a >= 0.1', [['metric', 'a', '>=', '0.1']]],
		[15, "tags.version = 'commit-hash'", [['tag', 'version', '=', 'commit-hash']]],
		[16, "`tags`.source_name = 'a notebook'", [['tag', 'source_name', '=', 'a notebook']]],
		[17, 'metrics."accuracy.2.0" > 5', [['metric', 'accuracy.2.0', '>', '5']]],
		[18, 'metrics.`spacey name` > 5', [['metric', 'spacey name', '>', '5']]],
		[19, 'params."p.a.r.a.m" != "a"', [['parameter', 'p.a.r.a.m', '!=', 'a']]],
		[20, 'tags."t.a.g" = "a"', [['tag', 't.a.g', '=', 'a']]],
		[21, "attribute.artifact_uri = '1/23/4'", [['attribute', 'artifact_uri', '=', '1/23/4']]],
		[22, 'attribute.start_time >= 1234', [['attribute', 'start_time', '>=', '1234']]],
		[23, "run.status = 'RUNNING'", [['attribute', 'status', '=', 'RUNNING']]],
		[24, "dataset.name = 'my_dataset'", [['dataset', 'name', '=', 'my_dataset']]],
		[25, 'tags.version IS NULL', [['tag', 'version', 'IS NULL', null]]],
		[26, 'tags.version IS NOT NULL', [['tag', 'version', 'IS NOT NULL', null]]],
		[27, 'params.lr IS NULL', [['parameter', 'lr', 'IS NULL', null]]],
		[28, 'params.lr IS NOT NULL', [['parameter', 'lr', 'IS NOT NULL', null]]],
		[
			29,
			"tags.a IS NULL AND params.b = 'val'",
			[
				['tag', 'a', 'IS NULL', null],
				['parameter', 'b', '=', 'val']
			]
		],
		[30, "params.m = 'LR'", [['parameter', 'm', '=', 'LR']]],
		[31, 'params.m = "LR"', [['parameter', 'm', '=', 'LR']]],
		[32, `params.m = "L'Hosp"`, [['parameter', 'm', '=', "L'Hosp"]]],
		// A9: attribute aliases and lists
		[103, "attributes.run_name = 'run_name1'", [['attribute', 'run_name', '=', 'run_name1']]],
		[104, "attributes.`Run name` = 'run_name1'", [['attribute', 'run_name', '=', 'run_name1']]],
		[105, "tags.`mlflow.runName` = 'new_run_name1'", [['tag', 'mlflow.runName', '=', 'new_run_name1']]],
		[107, "attributes.run_id IN ('a',  'b')", [['attribute', 'run_id', 'IN', ['a', 'b']]]],
		[108, "attributes.run_id NOT IN ('a', 'b')", [['attribute', 'run_id', 'NOT IN', ['a', 'b']]]],
		[
			109,
			"run_name = 'n' AND run_id IN ('a')",
			[
				['attribute', 'run_name', '=', 'n'],
				['attribute', 'run_id', 'IN', ['a']]
			]
		],
		[110, 'attributes.Created > 2', [['attribute', 'start_time', '>', '2']]],
		[112, "datasets.name ILIKE 'Name%'", [['dataset', 'name', 'ILIKE', 'Name%']]],
		[113, "datasets.context IN ('test', 'train')", [['dataset', 'context', 'IN', ['test', 'train']]]],
		[0, "tags.mlflow.user = 'me'", [['tag', 'mlflow.user', '=', 'me']]],
		[0, 'metrics.loss < -0.5', [['metric', 'loss', '<', '-0.5']]]
	];
	it.each(cases)('#%i %s', (_n, filter, expected) => {
		expect(plain(filter)).toEqual(expected);
	});
});

describe('run filter: errors carry MLflow’s message (A3 to A7, A9)', () => {
	const cases: [number, string, string][] = [
		[33, 'metric.acc >= 0.94; metrics.rmse < 1', 'Search filter contained multiple expression'],
		[34, 'm.acc >= 0.94', 'Invalid entity type'],
		[35, 'acc >= 0.94', 'Invalid attribute key'],
		[36, "p.model >= 'LR'", 'Invalid entity type'],
		[37, 'attri.x != 1', 'Invalid entity type'],
		[38, 'a.x != 1', 'Invalid entity type'],
		[39, "model >= 'LR'", 'Invalid attribute key'],
		[40, "metrics.A > 0.1 OR params.B = 'LR'", 'Invalid clause(s) in filter string'],
		[41, "metrics.A > 0.1 NAND params.B = 'LR'", 'Invalid clause(s) in filter string'],
		[42, "metrics.A > 0.1 AND (params.B = 'LR')", 'Invalid clause(s) in filter string'],
		[43, '`metrics.A > 0.1', 'Invalid clause(s) in filter string'],
		[44, 'param`.A > 0.1', 'Invalid clause(s) in filter string'],
		[45, '`dummy.A > 0.1', 'Invalid clause(s) in filter string'],
		[46, 'dummy`.A > 0.1', 'Invalid clause(s) in filter string'],
		[47, 'attribute.start != 1', 'Invalid attribute key'],
		[48, 'attribute.experiment_id != 1', 'Invalid attribute key'],
		[49, "attribute.lifecycle_stage = 'ACTIVE'", 'Invalid attribute key'],
		[50, 'attribute.name != 1', 'Invalid attribute key'],
		[51, 'attribute.time != 1', 'Invalid attribute key'],
		[52, "attribute._status != 'RUNNING'", 'Invalid attribute key'],
		[53, 'attribute.status = true', 'Invalid clause(s) in filter string'],
		[54, "dataset.status = 'true'", 'Invalid dataset key'],
		[55, "dataset.profile = 'num_rows: 10'", 'Invalid dataset key'],
		[56, 'metrics.acc IS NULL', 'IS NULL / IS NOT NULL is only supported for tags and params'],
		[57, 'attribute.status IS NULL', 'IS NULL / IS NOT NULL is only supported for tags and params'],
		[58, "metric.model = 'LR'", 'Expected numeric value type for metric'],
		[59, "metric.model = '5'", 'Expected numeric value type for metric'],
		[60, 'params.acc = 5', 'Expected a quoted string value for param'],
		[61, 'tags.acc = 5', 'Expected a quoted string value for tag'],
		[62, 'metrics.acc != metrics.acc', 'Expected numeric value type for metric'],
		[63, '1.0 > metrics.acc', "Expected 'Identifier' found"],
		[64, 'attribute.status = 1', 'Expected a quoted string value for attributes'],
		[65, 'params.acc = LR', 'value is either not quoted or unidentified quote types'],
		[66, 'tags.acc = LR', 'value is either not quoted or unidentified quote types'],
		[67, 'params.acc = `LR`', 'value is either not quoted or unidentified quote types'],
		[68, "params.'acc = LR", 'Invalid clause(s) in filter string'],
		[69, "params.acc = 'LR", 'Invalid clause(s) in filter string'],
		[70, "params.acc = LR'", 'Invalid clause(s) in filter string'],
		[71, `params.acc = "LR'`, 'Invalid clause(s) in filter string'],
		[72, `tags.acc = "LR'`, 'Invalid clause(s) in filter string'],
		[73, "tags.acc = = 'LR'", 'Invalid clause(s) in filter string'],
		[74, "attribute.status IS 'RUNNING'", 'Invalid clause(s) in filter string'],
		[75, 'params.acc LR !=', 'Invalid clause(s) in filter string'],
		[76, 'params.acc LR', 'Invalid clause(s) in filter string'],
		[77, 'metric.acc !=', 'Invalid clause(s) in filter string'],
		[78, 'acc != 1.0', 'Invalid attribute key'],
		[79, 'foo is null', 'Invalid attribute key'],
		[80, '1=1', "Expected 'Identifier' found"],
		[81, '1==2', "Expected 'Identifier' found"],
		// A7: comparators each type refuses
		[82, 'metrics.abc ~ 1.0', 'Invalid comparator'],
		[82, 'metrics.abc ~= 1.0', 'Invalid comparator'],
		[83, "params.abc > 'my-param-value'", 'Invalid comparator'],
		[83, "params.abc <= 'x'", 'Invalid comparator'],
		[83, "params.abc ~ 'x'", 'Invalid comparator'],
		[84, "tags.abc >= 'x'", 'Invalid comparator'],
		[84, "tags.abc < 'x'", 'Invalid comparator'],
		[85, "attributes.status > 'x'", 'Invalid comparator'],
		[85, "attributes.status ~ 'x'", 'Invalid comparator'],
		[86, 'attributes.start_time LIKE 1234', 'Invalid comparator'],
		[86, 'attributes.start_time ILIKE 1234', 'Invalid comparator'],
		[87, "datasets.name > 'x'", 'Invalid comparator'],
		[87, "datasets.name ~ 'x'", 'Invalid comparator'],
		[114, "attributes.run_name IN ('foo','bar')", "only the 'run_id' attribute supports comparison with a list"],
		[115, "attributes.start_time = 'now'", 'expected numeric value type for numeric attribute']
	];
	it.each(cases)('#%i %s', (_n, filter, message) => {
		let error: unknown;
		try {
			parseFilter('runs', filter);
		} catch (e) {
			error = e;
		}
		expect(error).toBeInstanceOf(SearchError);
		expect((error as Error).message.toLowerCase()).toContain(message.toLowerCase());
	});

	it('points at the offending text', () => {
		const e = (() => {
			try {
				parseFilter('runs', "params.lr = 'x' AND metrics.acc = 'high'");
			} catch (e) {
				return e as SearchError;
			}
		})()!;
		expect("params.lr = 'x' AND metrics.acc = 'high'".slice(e.start, e.end)).toBe("'high'");
	});
});

describe('run order_by (B1 keys, B2 errors)', () => {
	const valid: [number, string, [string, string, boolean]][] = [
		[118, 'attributes.status', ['attribute', 'status', true]],
		[120, 'metrics.key1 asc', ['metric', 'key1', true]],
		[121, 'metrics."key1"  desc', ['metric', 'key1', false]],
		[123, 'params.my_param aSc', ['parameter', 'my_param', true]],
		[125, 'attributes.status   DESC', ['attribute', 'status', false]],
		[126, 'params.`my_param` DESC', ['parameter', 'my_param', false]],
		[111, 'attributes.Created DESC', ['attribute', 'start_time', false]],
		[140, 'metrics.`Mean Square Error`', ['metric', 'Mean Square Error', true]],
		[140, 'metrics.`Mean Square Error` DESC', ['metric', 'Mean Square Error', false]]
	];
	it.each(valid)('#%i %s', (_n, text, [type, key, ascending]) => {
		expect(parseOrderBy('runs', text)).toEqual({ type, key, ascending });
	});
	const errors: [number, string, string][] = [
		[129, 'm.acc', 'Invalid entity type'],
		[130, 'acc', 'Invalid attribute key'],
		[131, 'attri.x', 'Invalid entity type'],
		[132, '`metrics.A', 'Invalid order_by clause'],
		[133, '`metrics.A`', 'Invalid entity type'],
		[134, 'attribute.start', 'Invalid attribute key'],
		[135, 'attribute.experiment_id', 'Invalid attribute key'],
		[136, 'metrics.A != 1', 'Invalid order_by clause'],
		[137, 'params.my_param ', 'Invalid order_by clause'],
		[138, 'attribute.run_id ACS', 'Invalid ordering key'],
		[139, 'attribute.run_id decs', 'Invalid ordering key']
	];
	it.each(errors)('#%i %s', (_n, text, message) => {
		expect(() => parseOrderBy('runs', text)).toThrow(message);
	});
});
