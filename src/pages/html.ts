// The pages' HTML: escaping, the shell every page shares (readable on a phone, no script, no
// asset from anywhere but the gateway), and the link that opens GraphiQL on a page's query.
import { Kind, parse, print, visit, type ValueNode } from 'graphql';

/** Text for HTML content and attribute values. */
export const escapeHtml = (text: string) => text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

/** An enum value as words: COORDINATED_ATTACK → "coordinated attack". */
export const enumWords = (value: string) => value.toLowerCase().replace(/_/g, ' ');

/** A claimant as the page queries select it (fragment Claimant): its name is the gateway's. */
export type ClaimantData = { name: string };

/**
 * A page's query with its variables written in as literals and its variable definitions gone:
 * the text that is run for the page and offered in GraphiQL, so both are exactly the same.
 */
export function withValuesWrittenIn(document: string, variables: Record<string, string>): string {
  const inlined = visit(parse(document), {
    OperationDefinition: (node) => ({ ...node, variableDefinitions: [] }),
    Variable: (node): ValueNode => ({ kind: Kind.STRING, value: variables[node.name.value] ?? '' }),
  });
  return print(inlined);
}

export const graphiqlLink = (query: string) => `/graphql?query=${encodeURIComponent(query)}`;

const STYLE = `
:root { color-scheme: light; --ink: #1a1a1a; --muted: #4d4d4d; --line: #d9d9d9; --accent: #005a8c; --doubt: #8a3b00; }
* { box-sizing: border-box; }
body { margin: 0; font: 17px/1.5 Helvetica, Arial, sans-serif; color: var(--ink); background: #fff; }
header, main, footer { max-width: 46rem; margin: 0 auto; padding: 0 1rem; }
header { padding-top: .75rem; font-size: .95rem; }
footer { margin-top: 2.5rem; padding-bottom: 2rem; border-top: 1px solid var(--line); font-size: .95rem; color: var(--muted); }
a { color: var(--accent); }
h1 { font-size: 1.6rem; line-height: 1.25; margin: .75rem 0 .25rem; }
h2 { font-size: 1.25rem; margin: 2rem 0 .5rem; border-bottom: 1px solid var(--line); padding-bottom: .25rem; }
h3 { font-size: 1.05rem; margin: 0; }
.meta, .when { color: var(--muted); margin: 0 0 .5rem; }
figure { margin: 1rem 0 1.5rem; }
figure img { display: block; max-width: 100%; height: auto; border: 1px solid var(--line); }
figcaption { font-size: .95rem; color: var(--muted); margin-top: .35rem; }
table { border-collapse: collapse; width: 100%; font-size: .95rem; margin: .5rem 0; }
th, td { text-align: left; vertical-align: top; padding: .3rem .5rem .3rem 0; border-bottom: 1px solid var(--line); }
ol.claims, ul.plain { list-style: none; padding: 0; margin: 0; }
ol.claims > li { border-bottom: 1px solid var(--line); padding: .9rem 0; }
blockquote { margin: .4rem 0; padding-left: .75rem; border-left: 3px solid var(--line); }
.figure { margin: .25rem 0; }
.doubt { color: var(--doubt); font-weight: bold; }
.superseded { color: var(--muted); }
.chain { font-size: .95rem; color: var(--muted); margin: .25rem 0 0; }
.ratio { font-weight: bold; white-space: nowrap; }
ol.disagreements > li { margin: 0 0 1rem; }
`;

/** A whole page: title, body, and the GraphiQL link for the query behind it. */
export function page(options: { title: string; body: string; query?: string; nav?: string }): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(options.title)} — Conflict claims gateway</title>
<link rel="icon" href="data:,">
<style>${STYLE}</style>
</head>
<body>
<header><nav aria-label="Site">${options.nav ?? '<a href="/incidents">Largest disagreements</a>'}</nav></header>
<main>
${options.body}
</main>
<footer>
${options.query ? `<p><a href="${escapeHtml(graphiqlLink(options.query))}">Open the query behind this page in GraphiQL</a> to see the data as JSON, change it, or take it into your own tools.</p>` : ''}
<p>Every number is given as it was said, with who said it; no number is invented.</p>
</footer>
</body>
</html>
`;
}
