/// <reference lib="dom" />
/** The one DOM helper the page uses: an element with attributes and children (text is always text, never HTML). */
export function el<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  attrs: Readonly<Record<string, string>> = {},
  ...children: (Node | string)[]
): HTMLElementTagNameMap[K] {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, v);
  e.append(...children);
  return e;
}

/** The element with this id; a missing one is a bug in index.html, so it throws with the id. */
export function byId<T extends HTMLElement = HTMLElement>(id: string): T {
  const e = document.getElementById(id);
  if (!e) throw new Error(`viewer page: no element #${id} in index.html`);
  return e as T;
}

/**
 * A 2D context kept in CPU memory (`willReadFrequently`). The page's canvases are small and text-heavy; on a
 * GPU-less machine Chromium's accelerated canvas runs through software GL, where one `fillText` costs ~1.5 ms
 * against ~0.02 ms here (measured in headless Chromium with SwiftShader). On a real GPU the difference is small.
 */
export function context2d(canvas: HTMLCanvasElement): CanvasRenderingContext2D {
  const g = canvas.getContext('2d', { willReadFrequently: true });
  if (!g) throw new Error('viewer page: this browser gives no 2D canvas context');
  return g;
}
