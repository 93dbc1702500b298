/**
 * The metric a comparison leads with when the user chose none: the one a sweep is judged on. MLflow
 * has no such notion, so it is guessed from names, as people write them: a validation or test
 * score first (val/accuracy, eval_f1, test_loss), then any score, then the first metric.
 */
const SCORE = /(acc|accuracy|f1|auc|roc|precision|recall|loss|rmse|mae|mse|error|score|bleu|rouge|perplexity|reward)/i;
const HELD_OUT = /(^|[/_.\-\s])(val|valid|validation|eval|evaluation|test|holdout|dev)([/_.\-\s]|$)/i;
/** Keys that are not results: learning rates, times, system metrics. */
const NOT_A_RESULT = /(^|[/_])(lr|learning_rate|epoch|step|time|duration|throughput)([/_]|$)|^system\//i;

export function mainMetric(keys: string[]): string | undefined {
	const results = keys.filter((k) => !NOT_A_RESULT.test(k));
	return results.find((k) => HELD_OUT.test(k) && SCORE.test(k)) ?? results.find((k) => SCORE.test(k)) ?? results[0] ?? keys[0];
}
