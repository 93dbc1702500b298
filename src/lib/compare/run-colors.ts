/**
 * A run's colour: derived from its id alone, so a run looks the same in every chart, on every page
 * and in every session, whichever other runs are shown with it. Hues are spread by the golden
 * angle over a hash of the id; lightness alternates so neighbouring hues stay apart.
 */
function hash(id: string): number {
	let h = 2166136261; // FNV-1a
	for (let i = 0; i < id.length; i++) {
		h ^= id.charCodeAt(i);
		h = Math.imul(h, 16777619);
	}
	return h >>> 0;
}

/**
 * Twenty colours told apart on light and dark backgrounds, the most distinct first: D3's ten,
 * then a lighter or darker variant of each.
 */
export const PALETTE = [
	'#1f77b4',
	'#ff7f0e',
	'#2ca02c',
	'#d62728',
	'#9467bd',
	'#8c564b',
	'#e377c2',
	'#7f7f7f',
	'#bcbd22',
	'#17becf',
	'#6b8cff',
	'#b35900',
	'#7bc96f',
	'#ff8a8a',
	'#5a3d99',
	'#c99a6b',
	'#a3166b',
	'#556b2f',
	'#0e7c86',
	'#e6b800'
];

/**
 * The colours of runs shown together: up to 20, the first palette colours (the most distinct
 * first), dealt in the order of the runs' id hashes, so the same set gets the same colours in
 * any order; past 20, each run's own hash colour (runColor).
 */
export function runColors(runIds: string[]): Map<string, string> {
	const ids = [...new Set(runIds)];
	if (ids.length > PALETTE.length) return new Map(ids.map((id) => [id, runColor(id)]));
	const order = ids.map((id) => [hash(id), id] as const).sort((a, b) => a[0] - b[0] || (a[1] < b[1] ? -1 : 1));
	return new Map(order.map(([, id], i) => [id, PALETTE[i]]));
}

export function runColor(runId: string): string {
	const h = hash(runId);
	const hue = Math.round((h * 137.508) % 360);
	const lightness = h & 1 ? 38 : 50;
	return `hsl(${hue} 70% ${lightness}%)`;
}

/** A colour for a value in [0, 1] on a perceptually ordered blue-to-yellow ramp (viridis-like). */
export function rampColor(t: number): string {
	if (!Number.isFinite(t)) return '#b8c0cc';
	const stops = [
		[68, 1, 84],
		[59, 82, 139],
		[33, 145, 140],
		[94, 201, 98],
		[253, 231, 37]
	];
	const x = Math.min(1, Math.max(0, t)) * (stops.length - 1);
	const i = Math.min(stops.length - 2, Math.floor(x));
	const f = x - i;
	const c = stops[i].map((v, k) => Math.round(v + (stops[i + 1][k] - v) * f));
	return `rgb(${c[0]} ${c[1]} ${c[2]})`;
}
