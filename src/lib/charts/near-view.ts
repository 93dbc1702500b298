/**
 * A Svelte action: calls `onNear` once the element comes within 300 px of the viewport. Charts
 * mount through it, so a run with 2,000 metric keys mounts the dozen in view, not 2,000 uPlot
 * instances (15 s before the first chart showed). One IntersectionObserver serves every element:
 * one per slot cost ~20 ms to create for 2,000 keys.
 */
const waiting = new Map<Element, () => void>();
let observer: IntersectionObserver | undefined;

function shared(): IntersectionObserver {
	return (observer ??= new IntersectionObserver(
		(entries) => {
			for (const e of entries) {
				if (!e.isIntersecting) continue;
				const onNear = waiting.get(e.target);
				waiting.delete(e.target);
				observer!.unobserve(e.target);
				onNear?.();
			}
		},
		{ rootMargin: '300px' }
	));
}

export function nearView(node: HTMLElement, onNear: () => void) {
	waiting.set(node, onNear);
	shared().observe(node);
	return {
		destroy() {
			waiting.delete(node);
			observer?.unobserve(node);
		}
	};
}
