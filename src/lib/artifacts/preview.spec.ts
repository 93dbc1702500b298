import { describe, expect, it } from 'vitest';
import { parseDelimited, parseMLmodel, previewKind, previewMime } from './preview';

describe('previewKind', () => {
	it.each([
		['model/MLmodel', 'mlmodel'],
		['plots/roc.PNG', 'image'],
		['data/train.csv', 'csv'],
		['report.html', 'html'],
		['conda.yaml', 'yaml'],
		['model/requirements.txt', 'text'],
		['metrics.json', 'json'],
		['clip.mp4', 'video'],
		['model.pkl', 'none'],
		['MLproject', 'yaml']
	])('%s → %s', (path, kind) => expect(previewKind(path)).toBe(kind));

	it('never labels a non-HTML artifact as HTML', () => {
		expect(previewMime(previewKind('x.txt'), 'x.txt')).toBe('text/plain');
		expect(previewMime(previewKind('x.svg'), 'x.svg')).toBe('image/svg+xml');
	});
});

describe('parseDelimited', () => {
	it('reads quoted cells, doubled quotes, CRLF and a last line without newline', () => {
		expect(parseDelimited('a,b\r\n"x, y","say ""hi"""\n1,2', ',').rows).toEqual([
			['a', 'b'],
			['x, y', 'say "hi"'],
			['1', '2']
		]);
		expect(parseDelimited('a\tb\n1\t2\n', '\t').rows).toEqual([
			['a', 'b'],
			['1', '2']
		]);
	});
	it('stops at the row limit and says so', () => {
		const r = parseDelimited('x\n'.repeat(50), ',', 10);
		expect(r.rows).toHaveLength(10);
		expect(r.truncated).toBe(true);
	});
});

describe('parseMLmodel', () => {
	it('reads flavors, the signature and the input example of a real MLflow 2 MLmodel', () => {
		const info = parseMLmodel(`artifact_path: model
flavors:
  python_function:
    env:
      conda: conda.yaml
    loader_module: mlflow.sklearn
    python_version: 3.10.12
  sklearn:
    pickled_model: model.pkl
    sklearn_version: 1.3.0
mlflow_version: 2.8.0
model_uuid: 0a1b
run_id: 6f2e
saved_input_example_info:
  artifact_path: input_example.json
  type: dataframe
signature:
  inputs: '[{"type": "double", "name": "alcohol", "required": true}, {"type": "long", "name": "year"}]'
  outputs: '[{"type": "tensor", "tensor-spec": {"dtype": "float64", "shape": [-1]}}]'
  params: null
utc_time_created: '2023-11-05 10:00:00.000000'
`);
		expect(info.flavors.map((f) => f.name)).toEqual(['python_function', 'sklearn']);
		expect(info.inputs).toEqual(
			[
				{ name: 'alcohol', type: 'double' },
				{ name: 'year', type: 'long' }
			].map((c) => ({ ...c, shape: undefined }))
		);
		expect(info.outputs[0]).toEqual({ name: '#0', type: 'tensor (float64)', shape: '(-1)' });
		expect(info.inputExamplePath).toBe('input_example.json');
		expect(info).toMatchObject({ runId: '6f2e', mlflowVersion: '2.8.0' });
	});
});
