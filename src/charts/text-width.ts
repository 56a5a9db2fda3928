// Text widths for laying charts out without a canvas. Vega measures text with a canvas when
// there is one and otherwise guesses 0.8 em per character, which makes every label look twice
// its width: titles wrap early, labels are cut short, the SVG grows. Charts name Helvetica first
// (Arial and Liberation Sans share its widths), so its published character widths (Adobe's AFM
// files, in thousandths of an em) measure the text as readers will see it — the same way on
// every machine, which keeps the output deterministic.
import type * as Vega from 'vega';

const ASCII = 32; // the tables start at the space
// prettier-ignore
const REGULAR = [
  278, 278, 355, 556, 556, 889, 667, 191, 333, 333, 389, 584, 278, 333, 278, 278, 556, 556, 556, 556, 556, 556, 556, 556, 556, 556, 278, 278, 584, 584, 584,
  556, 1015, 667, 667, 722, 722, 667, 611, 778, 722, 278, 500, 667, 556, 833, 722, 778, 667, 778, 722, 667, 611, 722, 667, 944, 667, 667, 611, 278, 278, 278,
  469, 556, 333, 556, 556, 500, 556, 556, 278, 556, 556, 222, 222, 500, 222, 833, 556, 556, 556, 556, 333, 500, 278, 556, 500, 722, 500, 500, 500, 334, 260,
  334, 584,
];
// prettier-ignore
const BOLD = [
  278, 333, 474, 556, 556, 889, 722, 238, 333, 333, 389, 584, 278, 333, 278, 278, 556, 556, 556, 556, 556, 556, 556, 556, 556, 556, 333, 333, 584, 584, 584,
  611, 975, 722, 722, 722, 722, 667, 611, 778, 722, 278, 556, 722, 611, 833, 722, 778, 667, 778, 722, 667, 611, 722, 667, 944, 667, 667, 611, 333, 278, 333,
  584, 556, 333, 556, 611, 556, 611, 556, 333, 611, 611, 278, 278, 556, 278, 889, 611, 611, 611, 611, 389, 556, 333, 611, 556, 778, 556, 556, 500, 389, 280,
  389, 584,
];
const OTHERS: Record<string, number> = {
  '×': 584,
  '÷': 584,
  '–': 556,
  '—': 1000,
  '…': 1000,
  '≥': 549,
  '≤': 549,
  '≈': 549,
  '‘': 222,
  '’': 222,
  '“': 333,
  '”': 333,
};
/** Letters outside the tables (accented, other scripts) count as an average lower-case letter. */
const DEFAULT = 556;

interface TextItem {
  fontSize?: number;
  fontWeight?: string | number;
  /** Longer text is cut short with an ellipsis to fit this width. */
  limit?: number;
}

const isBold = (weight: string | number | undefined) => weight === 'bold' || weight === 'bolder' || Number(weight) >= 600;

/** Width in pixels of `text` set in Helvetica at the item's size and weight. */
export function textWidth(item: TextItem, text: string): number {
  const widths = isBold(item.fontWeight) ? BOLD : REGULAR;
  let thousandths = 0;
  for (const character of text) {
    const code = character.codePointAt(0)! - ASCII;
    thousandths += widths[code] ?? OTHERS[character] ?? DEFAULT;
  }
  return (thousandths * (item.fontSize ?? 11)) / 1000;
}

/** Makes Vega lay text out with `textWidth` (Vega documents replacing `textMetrics.width`). */
export function measureTextAsHelvetica(vega: typeof Vega): void {
  // Exported by vega-scenegraph at run time, missing from vega's type declarations.
  const { textMetrics } = vega as unknown as { textMetrics: { width: (item: TextItem, text: string | null | undefined) => number } };
  // Text over its `limit` is drawn cut to fit, so it never takes more room than that. (Vega's own
  // truncation asks this function whether a shortened text is under the limit: still answered right.)
  textMetrics.width = (item: TextItem, text: string | null | undefined) => {
    const width = textWidth(item, text == null ? '' : String(text).trim());
    return item.limit && item.limit > 0 ? Math.min(width, item.limit) : width;
  };
}
