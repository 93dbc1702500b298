/**
 * Exponential moving average with debiasing, as TensorBoard and MLflow's charts smooth: early
 * points are not pulled towards zero. weight 0 returns the values unchanged; NaN values are
 * kept as NaN and do not disturb the average.
 */
export function emaSmooth(values: Float64Array, weight: number): Float64Array {
	if (weight <= 0) return values;
	const out = new Float64Array(values.length);
	let last = 0;
	let count = 0;
	for (let i = 0; i < values.length; i++) {
		const v = values[i];
		if (!Number.isFinite(v)) {
			out[i] = v;
			continue;
		}
		last = last * weight + (1 - weight) * v;
		count++;
		out[i] = last / (1 - Math.pow(weight, count));
	}
	return out;
}
