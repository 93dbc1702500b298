import { describe, expect, it } from 'vitest';
import { modelArtifactLocation, nameEquals } from './registry';
import { parseFilter } from './search/parse';

const RUN = '0123456789abcdef0123456789abcdef';
const M = 'm-8295c1ec84394a5cb43029483caa8a4e';

describe('modelArtifactLocation', () => {
	it.each([
		[`runs:/${RUN}/model`, { owner: RUN, prefix: 'model' }],
		[`mlflow-artifacts:/1/${RUN}/artifacts/model`, { owner: RUN, prefix: 'model' }],
		[`file:///home/u/mlruns/1/${RUN}/artifacts/sk_model/`, { owner: RUN, prefix: 'sk_model' }],
		[`models:/${M}`, { owner: M, prefix: '' }],
		[`file:///x/mlruns/1/models/${M}/artifacts`, { owner: M, prefix: '' }]
	])('%s', (source, expected) => expect(modelArtifactLocation({ name: 'n', version: '1', source })).toEqual(expected));

	it('follows a version copied from another (models:/<name>/<version>)', () => {
		const v1 = { name: 'n', version: '1', source: `models:/${M}` };
		const v2 = { name: 'n', version: '2', source: 'models:/n/1' };
		expect(modelArtifactLocation(v2, [v1, v2])).toEqual({ owner: M, prefix: '' });
	});

	it('uses the model id for models:/<name>/<version> sources that carry one', () => {
		expect(modelArtifactLocation({ name: 'n', version: '2', source: 'models:/n/1', model_id: M })).toEqual({ owner: M, prefix: '' });
		expect(modelArtifactLocation({ name: 'n', version: '2', source: 'models:/n/1' })).toBeUndefined();
	});
});

describe('nameEquals', () => {
	it('quotes names for the filter grammar', () => {
		expect(parseFilter('registered_models', nameEquals("o'brien model"))[0]).toMatchObject({ key: 'name', value: "o'brien model" });
	});
});
