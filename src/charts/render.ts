// Vega-Lite specs rendered to SVG on the server by Vega itself (no canvas, no browser): text stays
// text, the same spec gives the same bytes, and nothing is ever fetched (every spec carries its
// data inline; the loader refuses anything else).
import { createHash } from 'node:crypto';
import type * as Vega from 'vega';
import type { TopLevelSpec } from 'vega-lite';
import { measureTextAsHelvetica } from './text-width.js';

const refuse = async (): Promise<never> => {
  throw new Error('charts are drawn from inline data only: nothing is loaded');
};
const offline: Vega.Loader = { load: refuse, sanitize: refuse, http: refuse, file: refuse };

let drawing: Promise<{ vega: typeof Vega; compile: typeof import('vega-lite').compile }> | undefined;
/** Vega and Vega-Lite, loaded with the first chart drawn: they are most of a start's module loading. */
function vegaLoaded() {
  drawing ??= Promise.all([import('vega'), import('vega-lite')]).then(([vega, { compile }]) => {
    measureTextAsHelvetica(vega);
    return { vega, compile };
  });
  return drawing;
}

export const escapeXml = (text: string) => text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

/**
 * Vega numbers gradients and clip paths from a counter that lives as long as the process, so the
 * same chart would get other ids on its second rendering. Renumbered in order of appearance.
 */
function stableIds(svg: string): string {
  const ids = new Map<string, string>();
  return svg.replace(/\b(gradient_|clip|pattern_)(\d+)\b/g, (id, prefix: string) => {
    let renamed = ids.get(id);
    if (!renamed) {
      renamed = `${prefix}${ids.size + 1}`;
      ids.set(id, renamed);
    }
    return renamed;
  });
}

/**
 * `<title>` and `<desc>` first in the SVG, named by `aria-labelledby` on a root with `role="img"`:
 * a screen reader says the sentence and skips the drawing. Ids derive from the text, so two
 * charts inlined in one page do not share them and the output stays the same for the same chart.
 */
function withTitleAndDescription(svg: string, title: string, description: string): string {
  const id = `chart-${createHash('sha256').update(`${title}\n${description}`).digest('hex').slice(0, 10)}`;
  return svg.replace(
    /^<svg([^>]*)>/,
    `<svg$1 role="img" aria-labelledby="${id}-title ${id}-desc"><title id="${id}-title">${escapeXml(title)}</title><desc id="${id}-desc">${escapeXml(description)}</desc>`,
  );
}

export interface RenderedChart {
  svg: string;
  /** Milliseconds spent compiling and rendering (for the measurements in the README). */
  ms: number;
}

/** The SVG for a Vega-Lite spec, with `title` and `description` as its `<title>` and `<desc>`. */
export async function renderSvg(spec: TopLevelSpec, text: { title: string; description: string }): Promise<RenderedChart> {
  const { vega, compile } = await vegaLoaded();
  const started = performance.now();
  const view = new vega.View(vega.parse(compile(spec).spec), { renderer: 'none', loader: offline });
  try {
    const svg = await view.toSVG();
    return { svg: withTitleAndDescription(stableIds(svg), text.title, text.description), ms: performance.now() - started };
  } finally {
    view.finalize();
  }
}
