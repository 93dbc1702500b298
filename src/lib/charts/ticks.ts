/**
 * Tick labels for a log axis. uPlot's default rounds to a few decimals, so 1e-4 was labelled "0"
 * (a learning rate decayed to 7e-5, drawn on a log scale, showed ticks 0.1, 0.01, 0.001, 0).
 */
export function logTickLabels(_u: unknown, splits: number[]): string[] {
	return splits.map((v) => {
		if (v === null || v === undefined) return '';
		const a = Math.abs(v);
		return a !== 0 && (a < 1e-3 || a >= 1e6) ? Number(v.toPrecision(6)).toExponential() : String(Number(v.toPrecision(6)));
	});
}
