/**
 * Deterministic generator of MLflow FileStore trees: the demo experiment and the benchmark
 * archives. It writes the same files MLflow 2.x writes (meta.yaml, params/, metrics/, tags/,
 * models/), so the demo goes through the real importer. Same seed, same bytes.
 */
import { png } from './png';
import { demoTraces, writeTraces } from './traces';

const enc = new TextEncoder();

/** mulberry32: small, fast, good enough for plausible curves. */
export function rng(seed: number): () => number {
	let a = seed >>> 0;
	return () => {
		a = (a + 0x6d2b79f5) >>> 0;
		let t = a;
		t = Math.imul(t ^ (t >>> 15), t | 1);
		t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
		return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
	};
}

function hexId(rand: () => number): string {
	let s = '';
	for (let i = 0; i < 32; i++) s += Math.floor(rand() * 16).toString(16);
	return s;
}

export type FileMap = Map<string, Uint8Array>;

interface RunSpec {
	name: string;
	params: Record<string, string>;
	tags?: Record<string, string>;
	parent?: string;
	status?: number;
	/** metric key -> values per step */
	metrics: Record<string, Float64Array | number[]>;
	stepMs: number;
	start: number;
}

class FileStoreWriter {
	readonly files: FileMap = new Map();
	constructor(readonly root: string) {}

	put(path: string, text: string): void {
		this.files.set(`${this.root}/${path}`, enc.encode(text));
	}

	experiment(id: string, name: string, created: number, tags: Record<string, string> = {}): void {
		this.put(
			`${id}/meta.yaml`,
			`artifact_location: mlflow-artifacts:/${id}\ncreation_time: ${created}\nexperiment_id: '${id}'\nlast_update_time: ${created}\nlifecycle_stage: active\nname: ${name}\n`
		);
		for (const [k, v] of Object.entries(tags)) this.put(`${id}/tags/${k}`, v);
	}

	run(experimentId: string, runId: string, spec: RunSpec): void {
		const dir = `${experimentId}/${runId}`;
		const steps = Math.max(0, ...Object.values(spec.metrics).map((v) => v.length));
		const end = spec.start + steps * spec.stepMs + 1000;
		this.put(
			`${dir}/meta.yaml`,
			`artifact_uri: mlflow-artifacts:/${experimentId}/${runId}/artifacts\nend_time: ${end}\nentry_point_name: ''\nexperiment_id: '${experimentId}'\nlifecycle_stage: active\nrun_id: ${runId}\nrun_name: ${spec.name}\nrun_uuid: ${runId}\nsource_name: ''\nsource_type: 4\nsource_version: ''\nstart_time: ${spec.start}\nstatus: ${spec.status ?? 3}\ntags: []\nuser_id: demo\n`
		);
		for (const [k, v] of Object.entries(spec.params)) this.put(`${dir}/params/${k}`, v);
		const tags: Record<string, string> = {
			'mlflow.runName': spec.name,
			'mlflow.user': 'demo',
			'mlflow.source.type': 'LOCAL',
			'mlflow.source.name': 'train.py',
			'mlflow.source.git.commit': '3f2a9c1d0b8e7f6a5c4d3e2f1a0b9c8d7e6f5a4b',
			...(spec.parent ? { 'mlflow.parentRunId': spec.parent } : {}),
			...spec.tags
		};
		for (const [k, v] of Object.entries(tags)) this.put(`${dir}/tags/${k}`, v);
		for (const [key, values] of Object.entries(spec.metrics)) {
			const lines: string[] = new Array(values.length);
			for (let i = 0; i < values.length; i++) lines[i] = `${spec.start + (i + 1) * spec.stepMs} ${values[i]} ${i}`;
			this.put(`${dir}/metrics/${key}`, lines.join('\n') + '\n');
		}
	}
}

/** A loss-like curve: exponential decay toward a floor, with noise. */
function curve(rand: () => number, n: number, start: number, floor: number, rate: number, noise: number): Float64Array {
	const out = new Float64Array(n);
	for (let i = 0; i < n; i++) {
		const base = floor + (start - floor) * Math.exp(-rate * i);
		out[i] = Math.round((base + (rand() - 0.5) * noise * base) * 1e6) / 1e6;
	}
	return out;
}

/**
 * The demo: an image-classifier experiment with a learning-rate x batch-size sweep nested under a
 * parent run, a baseline experiment, a registered model with two versions, a stage and an alias,
 * and a GenAI experiment with an agent's traces, sessions, assessments and an evaluation run.
 */
/** A 32 x 32 "reconstruction": a ring and a cross, blurred by (1 - sharp) and noised by `seed`. */
function reconstruction(sharp: number, seed: number): Uint8Array {
	const rand = rng(seed + 7);
	return png(32, 32, (x, y) => {
		const d = Math.hypot(x - 15.5, y - 15.5);
		const ring = Math.exp(-(((d - 10) * sharp) ** 2) / 2);
		const cross = Math.exp(-((Math.min(Math.abs(x - 15.5), Math.abs(y - 15.5)) * sharp * 1.5) ** 2) / 2) * (d < 7 ? 1 : 0);
		const v = Math.min(1, ring + cross * 0.8 + (rand() - 0.5) * (1 - sharp) * 0.6);
		return [Math.round(30 + 200 * v), Math.round(40 + 160 * v * v), Math.round(90 + 120 * (1 - v))];
	});
}

export function demoFileStore(): FileMap {
	const rand = rng(20261124);
	const w = new FileStoreWriter('demo-mlruns');
	const t0 = Date.UTC(2026, 10, 2, 9, 0, 0);
	w.experiment('0', 'Default', t0);
	w.experiment('101', 'cifar10-resnet', t0, {
		'mlflow.note.content':
			'# CIFAR-10 ResNet sweep\nLearning rate x batch size grid, 60 epochs each. The **champion** is registered as `cifar10-classifier`.'
	});
	w.experiment('102', 'tabular-baselines', t0 + 3600_000);

	const parent = hexId(rand);
	const epochs = 60;
	w.run('101', parent, { name: 'sweep-lr-batch', params: { grid: 'lr x batch_size' }, metrics: {}, stepMs: 1000, start: t0 + 60_000 });
	let best = { id: '', acc: 0 };
	let k = 0;
	for (const lr of ['0.1', '0.03', '0.01']) {
		for (const batch of ['64', '128']) {
			const id = hexId(rand);
			const speed = 0.03 + Number(lr) * 0.5 + (batch === '64' ? 0.01 : 0);
			const trainLoss = curve(rand, epochs, 2.3, 0.05 + rand() * 0.1, speed, 0.08);
			const valLoss = curve(rand, epochs, 2.3, 0.35 + rand() * 0.15, speed * 0.9, 0.1);
			const valAcc = Float64Array.from(valLoss, (l) => Math.round(Math.min(0.99, 1 - l / 2.6) * 1e4) / 1e4);
			const lrCurve = Float64Array.from({ length: epochs }, (_, i) => Number(lr) * 0.5 * (1 + Math.cos((Math.PI * i) / epochs)));
			const acc = valAcc[epochs - 1];
			if (acc > best.acc) best = { id, acc };
			// Reconstructions logged with mlflow.log_image(key=..., step=...): sharper as training goes.
			for (const step of [0, 20, 40, epochs - 1]) {
				const sharp = 0.15 + (0.85 * (1 - valLoss[step] / 2.6)) ** 2;
				w.files.set(
					`${w.root}/101/${id}/artifacts/images/samples#reconstruction%step%${step}%timestamp%${t0 + 120_000 + step * 1000}%${id.slice(0, 8)}-${step}.png`,
					reconstruction(sharp, k + step)
				);
			}
			w.run('101', id, {
				name: `resnet18-lr${lr}-bs${batch}`,
				parent,
				params: { learning_rate: lr, batch_size: batch, optimizer: 'sgd', momentum: '0.9', epochs: String(epochs), model: 'resnet18' },
				tags: { 'release.version': '1.4.0', 'mlflow.loggedImages': 'True' },
				status: k === 5 ? 4 : 3,
				metrics: { 'train/loss': trainLoss, 'val/loss': valLoss, 'val/accuracy': valAcc, lr: lrCurve },
				stepMs: 41_000 + Math.floor(rand() * 5000),
				start: t0 + 120_000 + k * 2_700_000
			});
			k++;
		}
	}
	for (const [i, model] of ['logistic-regression', 'random-forest', 'xgboost'].entries()) {
		w.run('102', hexId(rand), {
			name: model,
			params: { model, cv_folds: '5' },
			metrics: { rmse: [Math.round((0.9 - i * 0.12 + rand() * 0.05) * 1e4) / 1e4], r2: [Math.round((0.6 + i * 0.1) * 1e4) / 1e4] },
			stepMs: 5000,
			start: t0 + 7200_000 + i * 600_000
		});
	}
	// A GenAI experiment: a support agent's traces (MLflow 3 FileStore layout), one evaluation run.
	w.experiment('103', 'support-agent', t0 + 5 * 3600_000, { 'mlflow.experimentKind': 'genai_development' });
	const evalRun = hexId(rand);
	w.run('103', evalRun, {
		name: 'eval-gpt-4o-mini',
		params: { model: 'gpt-4o-mini', judge: 'openai:/gpt-4o-mini' },
		tags: { 'mlflow.run.isEval': 'true' },
		metrics: { 'correctness/mean': [0.75], 'relevance/mean': [0.81], 'is_concise/mean': [0.67] },
		stepMs: 1000,
		start: t0 + 6 * 3600_000
	});
	writeTraces(w.files, 'demo-mlruns', '103', demoTraces(t0 + 5 * 3600_000 + 60_000, evalRun));
	// Its prompt, in MLflow's prompt registry (registered models tagged mlflow.prompt.is_prompt).
	const prompts = [
		'You are a support assistant. Answer {{question}} using the help center.',
		'You are a concise support assistant. Answer {{question}} for {{customer_tier}} customers.\nCite the help-center article you used.',
		'You are a concise support assistant.\nAnswer {{question}} for {{customer_tier}} customers in at most {{max_sentences}} sentences.\nCite the help-center article you used.'
	];
	const promptAt = t0 + 4 * 3600_000;
	w.put(
		'models/support-answer/meta.yaml',
		`aliases:\n  production: '3'\ncreation_timestamp: ${promptAt}\ndescription: The support agent's answer prompt.\nlast_updated_timestamp: ${promptAt + 2 * 600_000}\nname: support-answer\n`
	);
	w.put('models/support-answer/tags/mlflow.prompt.is_prompt', 'true');
	w.put('models/support-answer/tags/_mlflow_experiment_ids', ',103,');
	w.put('models/support-answer/tags/team', 'support');
	for (const [i, text] of prompts.entries()) {
		const dir = `models/support-answer/version-${i + 1}`;
		w.put(
			`${dir}/meta.yaml`,
			`creation_timestamp: ${promptAt + i * 600_000}\ncurrent_stage: None\ndescription: ${['First version', 'Ask for citations; tier-aware', 'Cap the answer length'][i]}\nlast_updated_timestamp: ${promptAt + i * 600_000}\nname: support-answer\nrun_id: ''\nrun_link: ''\nsource: dummy-source\nstatus: READY\nstatus_message: null\nuser_id: demo\nversion: ${i + 1}\n`
		);
		w.put(`${dir}/tags/mlflow.prompt.text`, text);
		w.put(`${dir}/tags/mlflow.prompt.is_prompt`, 'true');
		w.put(`${dir}/tags/_mlflow_prompt_type`, 'text');
	}
	w.put(`103/${evalRun}/tags/mlflow.linkedPrompts`, JSON.stringify([{ name: 'support-answer', version: '3' }]));

	const registered = t0 + 30 * 3600_000;
	w.put(
		'models/cifar10-classifier/meta.yaml',
		`aliases:\n  champion: '2'\ncreation_timestamp: ${registered}\ndescription: ResNet-18 trained on CIFAR-10.\nlast_updated_timestamp: ${registered + 5000}\nname: cifar10-classifier\n`
	);
	// Run folders only (the experiment's own meta.yaml sits at demo-mlruns/101/meta.yaml).
	const runs = [...w.files.keys()].filter((p) => /^demo-mlruns\/101\/[0-9a-f]{32}\/meta\.yaml$/.test(p)).map((p) => p.split('/')[2]);
	for (const [i, stage] of (['Archived', 'Production'] as const).entries()) {
		const runId = i === 1 ? best.id : runs.find((r) => r !== best.id && r !== parent)!;
		w.put(
			`models/cifar10-classifier/version-${i + 1}/meta.yaml`,
			`creation_timestamp: ${registered + i * 5000}\ncurrent_stage: ${stage}\ndescription: ''\nlast_updated_timestamp: ${registered + i * 5000}\nname: cifar10-classifier\nrun_id: ${runId}\nrun_link: ''\nsource: mlflow-artifacts:/101/${runId}/artifacts/model\nstatus: READY\nstatus_message: null\nuser_id: demo\nversion: ${i + 1}\n`
		);
	}
	const mlmodel = `artifact_path: model\nflavors:\n  python_function:\n    loader_module: mlflow.pytorch\n    python_version: 3.11.9\n  pytorch:\n    model_data: data\n    pytorch_version: 2.4.0\nmlflow_version: 2.16.2\nsignature:\n  inputs: '[{"type": "tensor", "tensor-spec": {"dtype": "float32", "shape": [-1, 3, 32, 32]}}]'\n  outputs: '[{"type": "tensor", "tensor-spec": {"dtype": "float32", "shape": [-1, 10]}}]'\n`;
	w.put(`101/${best.id}/artifacts/model/MLmodel`, mlmodel);
	w.put(
		`101/${best.id}/artifacts/confusion_matrix.csv`,
		'class,precision,recall\nairplane,0.93,0.94\nautomobile,0.96,0.97\nbird,0.89,0.87\ncat,0.82,0.80\n'
	);
	return w.files;
}

export interface SyntheticSize {
	runs: number;
	metrics: number;
	steps: number;
	params: number;
	/** User tags per run. */
	tags?: number;
	/** Metric keys are spread over these prefixes (`train/metric_3`), as RL and LLM runs log them. */
	prefixes?: string[];
}

/** Benchmark archives: S = 100 runs, M = 1,000 runs x 10 metrics x 1,000 steps, L = 10,000 runs; R and C below. */
export const SYNTHETIC_SIZES: Record<'S' | 'M' | 'L' | 'R' | 'C' | 'K' | 'W' | 'B50' | 'B100' | 'X', SyntheticSize> = {
	/** For the comparison charts: 100 runs x 10,000 steps overlaid is 1,000,000 points a chart. */
	C: { runs: 100, metrics: 2, steps: 10_000, params: 10 },
	/** One long run, for the run page benchmark: 10 metrics x 100,000 steps. */
	R: { runs: 1, metrics: 10, steps: 100_000, params: 10 },
	S: { runs: 100, metrics: 10, steps: 1000, params: 10 },
	M: { runs: 1000, metrics: 10, steps: 1000, params: 10 },
	L: { runs: 10000, metrics: 10, steps: 100, params: 10 },
	/** Many keys (issue 16): 50 runs x 2,000 metric keys x 30 steps, 3M points, in five sections. */
	K: { runs: 50, metrics: 2000, steps: 30, params: 10, prefixes: ['train', 'eval', 'env', 'policy', 'system'] },
	/** Many runs: 20,000 runs x 5 metrics, 20 params and 10 tags each. */
	W: { runs: 20000, metrics: 5, steps: 10, params: 20, tags: 10 },
	/** Big stores (issue 16): 50M and 100M metric points, 1,000 runs x 10 metrics; made streamed. */
	B50: { runs: 1000, metrics: 10, steps: 5000, params: 10 },
	B100: { runs: 1000, metrics: 10, steps: 10_000, params: 10 },
	/** One run x 1 metric x 20,000,000 steps: the longest history. */
	X: { runs: 1, metrics: 1, steps: 20_000_000, params: 1 }
};

export function syntheticFileStore(size: SyntheticSize, seed = 1): FileMap {
	const files: FileMap = new Map();
	for (const part of syntheticFileStoreParts(size, seed)) for (const [path, bytes] of part) files.set(path, bytes);
	return files;
}

/** The same store a run at a time (the experiments first): for archives too big to hold in memory. */
export function* syntheticFileStoreParts(size: SyntheticSize, seed = 1): Generator<FileMap> {
	const rand = rng(seed);
	const head = new FileStoreWriter('mlruns');
	const t0 = Date.UTC(2026, 0, 1);
	head.experiment('0', 'Default', t0);
	head.experiment('1', 'synthetic', t0);
	yield head.files;
	for (let r = 0; r < size.runs; r++) {
		const w = new FileStoreWriter('mlruns');
		const params: Record<string, string> = {};
		for (let p = 0; p < size.params; p++) params[`param_${p}`] = String(Math.floor(rand() * 100));
		const metrics: Record<string, Float64Array> = {};
		for (let m = 0; m < size.metrics; m++) {
			const key = size.prefixes ? `${size.prefixes[m % size.prefixes.length]}/metric_${m}` : `metric_${m}`;
			metrics[key] = curve(rand, size.steps, 1 + rand(), 0.1 * rand(), 0.005, 0.1);
		}
		const tags: Record<string, string> = {};
		for (let t = 0; t < (size.tags ?? 0); t++) tags[`tag_${t}`] = `value_${Math.floor(rand() * 20)}`;
		w.run('1', hexId(rand), { name: `run-${r}`, params, metrics, tags, stepMs: 250, start: t0 + r * 60_000 });
		yield w.files;
	}
}
