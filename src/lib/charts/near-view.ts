/**
 * A Svelte action: calls `onNear` once the element comes within `margin` of the viewport. Charts
 * mount through it, so a run with 2,000 metric keys mounts the dozen in view, not 2,000 uPlot
 * instances (15 s before the first chart showed).
 */
export function nearView(node: HTMLElement, onNear: () => void) {
	const io = new IntersectionObserver(
		(entries) => {
			if (entries.some((e) => e.isIntersecting)) {
				onNear();
				io.disconnect();
			}
		},
		{ rootMargin: '300px' }
	);
	io.observe(node);
	return { destroy: () => io.disconnect() };
}
