import { describe, expect, it } from 'vitest';
import { mainMetric } from './main-metric';

describe('main metric', () => {
	it.each([
		[['lr', 'train/loss', 'val/accuracy', 'val/loss'], 'val/accuracy'],
		[['epoch', 'train_loss', 'eval_f1'], 'eval_f1'],
		[['system/gpu_utilization', 'loss'], 'loss'],
		[['learning_rate', 'rmse', 'test_rmse'], 'test_rmse'],
		[['throughput', 'tokens'], 'tokens'],
		[['lr'], 'lr'],
		[['interval', 'validation_error'], 'validation_error'],
		[[], undefined]
	])('of %j is %s', (keys, want) => {
		expect(mainMetric(keys as string[])).toBe(want);
	});
});
