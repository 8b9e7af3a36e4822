// Renders the frozen 征求意见稿 (ProseMirror JSON) as an accessible HTML page body: headings with their
// computed numbers, paragraphs, lists, notes, examples, tables, figures, formulas, term entries. Every text
// is escaped here; the result is inserted into the nunjucks page with `safe`. Each commentable unit is a
// <section data-clause-id> whose own text, in document order, is exactly the text `ownText` computes, so a
// passage selected in the browser can be located by character offset. Generated labels (numbers, 注, the
// comment links) carry `data-nc` so the browser script leaves them out of that count.
import type { DocJSON, NodeJSON } from '../../editor/types';
import { computeNumbering, type NumberLabel } from '../../editor/numbering';
import { COMMENTABLE_TYPES, type ClauseInfo } from '../../editor/clauses';

export function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] as string);
}

export interface DraftHtmlOptions {
  clauses: ReadonlyMap<string, ClauseInfo>;
  /** Link to the comment form for a clause; null when comments are not accepted (no link is shown). */
  commentHref: (clauseId: string) => string | null;
  /** Labels of tables, figures and formulas from editor/numbering.ts; computed when absent. */
  labels?: Record<string, NumberLabel>;
}

const MARK_TAGS: Record<string, string> = { em: 'em', strong: 'strong', sub: 'sub', sup: 'sup' };

function inline(nodes: NodeJSON[] | undefined, o: DraftHtmlOptions): string {
  let s = '';
  for (const n of nodes ?? []) {
    if (n.type === 'text') {
      let t = escapeHtml(n.text ?? '');
      for (const m of n.marks ?? []) {
        const tag = MARK_TAGS[m.type];
        if (tag) t = `<${tag}>${t}</${tag}>`;
      }
      s += t;
    } else if (n.type === 'xref') {
      const target = typeof n.attrs?.target === 'string' ? n.attrs.target : '';
      const text = o.labels?.[target]?.xref ?? o.clauses.get(target)?.label ?? '';
      s += `<span data-nc class="xref">${escapeHtml(text)}</span>`;
    }
  }
  return s;
}

const LIST_MARK: Record<string, (i: number, level: number) => string> = {
  dash: (_i, level) => (level === 1 ? '——' : '·'),
  letter: (i) => `${String.fromCharCode(97 + (i % 26))})`,
  number: (i) => `${i + 1})`,
};

function listHtml(n: NodeJSON, o: DraftHtmlOptions, level: number): string {
  const kind = typeof n.attrs?.kind === 'string' && n.attrs.kind in LIST_MARK ? n.attrs.kind : level === 1 ? 'dash' : 'number';
  const items = (n.content ?? []).map((item, i) => {
    const inner = (item.content ?? []).map((c) => (c.type === 'sublist' ? listHtml(c, o, 2) : `<span>${inline(c.content, o)}</span>`)).join('');
    return `<li><span data-nc class="marker">${LIST_MARK[kind](i, level)}</span>${inner}</li>`;
  });
  return `<ul class="gb-list">${items.join('')}</ul>`;
}

function labelOf(n: NodeJSON, o: DraftHtmlOptions, fallback: string): string {
  const id = typeof n.attrs?.id === 'string' ? n.attrs.id : '';
  return (id && o.labels?.[id]?.label) || fallback;
}

interface Counters {
  table: number;
  figure: number;
  formula: number;
  prefix: string;
}

function blocks(nodes: NodeJSON[] | undefined, o: DraftHtmlOptions, depth: number, k: Counters): string {
  const kids = nodes ?? [];
  const notes = kids.filter((c) => c.type === 'note').length;
  const examples = kids.filter((c) => c.type === 'example').length;
  let noteNo = 0;
  let exampleNo = 0;
  return kids
    .map((n) => {
      switch (n.type) {
        case 'heading':
          return '';
        case 'paragraph':
        case 'definition':
          return `<p>${inline(n.content, o)}</p>`;
        case 'list':
          return listHtml(n, o, 1);
        case 'note': {
          noteNo += 1;
          const label = notes > 1 ? `注${noteNo}：` : '注：';
          return `<div class="gb-note"><span data-nc class="label">${label}</span>${blocks(n.content, o, depth, k)}</div>`;
        }
        case 'example': {
          exampleNo += 1;
          const label = examples > 1 ? `示例${exampleNo}：` : '示例：';
          return `<div class="gb-example"><span data-nc class="label">${label}</span>${blocks(n.content, o, depth, k)}</div>`;
        }
        case 'table': {
          k.table += 1;
          const caption = (n.content ?? []).find((c) => c.type === 'caption');
          const grid = (n.content ?? []).find((c) => c.type === 'tableGrid');
          const rows = (grid?.content ?? [])
            .map((r) => `<tr>${(r.content ?? []).map((cell) => {
              const tag = cell.type === 'tableHeader' ? 'th' : 'td';
              return `<${tag}>${(cell.content ?? []).map((p) => inline(p.content, o)).join('<br>')}</${tag}>`;
            }).join('')}</tr>`)
            .join('');
          const tableNotes = blocks((n.content ?? []).filter((c) => c.type === 'note'), o, depth, k);
          return `<div class="gb-table-wrap"><table><caption><span data-nc>${escapeHtml(labelOf(n, o, `表${k.prefix}${k.table}`))}　</span>${inline(caption?.content, o)}</caption>${rows}</table>${tableNotes}</div>`;
        }
        case 'figure': {
          k.figure += 1;
          const caption = (n.content ?? []).find((c) => c.type === 'caption');
          const src = typeof n.attrs?.src === 'string' && /^(\/(?!\/)|https:\/\/)/.test(n.attrs.src) ? n.attrs.src : '';
          const alt = typeof n.attrs?.alt === 'string' ? n.attrs.alt : '';
          const img = src ? `<img src="${escapeHtml(src)}" alt="${escapeHtml(alt)}">` : `<span data-nc>[${escapeHtml(alt || '图')}]</span>`;
          const figNotes = blocks((n.content ?? []).filter((c) => c.type === 'note'), o, depth, k);
          return `<figure>${img}${figNotes}<figcaption><span data-nc>${escapeHtml(labelOf(n, o, `图${k.prefix}${k.figure}`))}　</span>${inline(caption?.content, o)}</figcaption></figure>`;
        }
        case 'formula': {
          k.formula += 1;
          const text = (n.content ?? []).find((c) => c.type === 'formulaText');
          const symbols = (n.content ?? []).filter((c) => c.type === 'formulaSymbol');
          const where = symbols.length
            ? `<p data-nc>式中：</p><dl>${symbols.map((s) => `<dt data-nc>${escapeHtml(String(s.attrs?.symbol ?? ''))}</dt><dd>${inline(s.content, o)}</dd>`).join('')}</dl>`
            : '';
          // An imported equation object kept as a picture (formula `src`): shown before its placeholder text.
          const picture = typeof n.attrs?.src === 'string' && /^(\/(?!\/)|https:\/\/)/.test(n.attrs.src) ? `<img data-nc class="formula-picture" src="${escapeHtml(n.attrs.src)}" alt="公式图片">` : '';
          return `<div class="gb-formula">${picture}<span class="formula-text">${inline(text?.content, o)}</span><span data-nc class="formula-no">${escapeHtml(labelOf(n, o, `(${k.prefix}${k.formula})`))}</span>${where}</div>`;
        }
        case 'referenceEntry': {
          const a = n.attrs ?? {};
          const code = `${String(a.code ?? '')} ${String(a.number ?? '')}${a.year ? `—${String(a.year)}` : ''}`.trim();
          return `<p class="gb-ref"><span data-nc>${escapeHtml(code)}　</span>${inline(n.content, o)}</p>`;
        }
        case 'bibliographyEntry':
          return `<p class="gb-ref">${inline(n.content, o)}</p>`;
        case 'term':
          return `<p class="gb-term"><strong>${inline(n.content, o)}</strong></p>`;
        case 'termEnglish':
        case 'termAbbreviation':
          return n.content?.length ? `<p class="gb-term-en" lang="en">${inline(n.content, o)}</p>` : '';
        case 'termSource':
          return n.content?.length ? `<p class="gb-source"><span data-nc>[来源：</span>${inline(n.content, o)}<span data-nc>]</span></p>` : '';
        default:
          if (COMMENTABLE_TYPES.has(n.type)) return section(n, o, depth + 1, k);
          return n.content ? blocks(n.content, o, depth, k) : '';
      }
    })
    .join('');
}

function section(n: NodeJSON, o: DraftHtmlOptions, depth: number, k: Counters): string {
  const id = typeof n.attrs?.id === 'string' ? n.attrs.id : '';
  const c = o.clauses.get(id);
  const level = Math.min(6, depth + 1);
  const numbered = c && c.label !== c.title;
  // The title is part of the clause's own text only when it is a heading node; fixed titles (范围 …) and
  // term entries' numbers are generated.
  const hasHeading = (n.content ?? []).some((x) => x.type === 'heading');
  const title = !c || c.type === 'termEntry' ? '' : hasHeading ? escapeHtml(c.title) : `<span data-nc>${escapeHtml(c.title)}</span>`;
  const kind = n.type === 'annex' ? `<span data-nc class="annex-kind">${n.attrs?.kind === 'normative' ? '（规范性）' : '（资料性）'}</span>` : '';
  const heading = c
    ? `<h${level} id="h-${escapeHtml(id)}">${numbered ? `<span data-nc class="num">${escapeHtml(c.label)}</span><span data-nc>　</span>` : ''}${kind}${title}</h${level}>`
    : '';
  const href = c ? o.commentHref(id) : null;
  const link = c && href
    ? `<p data-nc class="comment-link"><a href="${escapeHtml(href)}">对${escapeHtml(c.label)}提意见<span lang="en"> · Comment on ${escapeHtml(c.label)}</span></a></p>`
    : '';
  const inner = blocks(n.content, o, depth, k);
  return `<section class="gb-clause" data-clause-id="${escapeHtml(id)}" aria-labelledby="h-${escapeHtml(id)}">${heading}${inner}${link}</section>`;
}

/** The draft body as HTML. */
export function renderDraftHtml(doc: DocJSON, opts: DraftHtmlOptions): string {
  const o: DraftHtmlOptions = { ...opts, labels: opts.labels ?? computeNumbering(doc).byId };
  const body: Counters = { table: 0, figure: 0, formula: 0, prefix: '' };
  return (doc.content ?? [])
    .map((top) => {
      if (top.type === 'annex') {
        const c = o.clauses.get(String(top.attrs?.id ?? ''));
        return section(top, o, 1, { table: 0, figure: 0, formula: 0, prefix: c ? `${c.number}.` : '' });
      }
      return COMMENTABLE_TYPES.has(top.type) ? section(top, o, 1, body) : blocks([top], o, 1, body);
    })
    .join('');
}
