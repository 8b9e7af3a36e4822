// Progressive enhancement of the public draft page: select a passage inside one clause and a bar offers
// to comment on exactly that passage. The link carries the clause id, the quoted text and its character
// offset in the clause's own text (the text the server computes from the draft, so generated numbers and
// labels — marked `data-nc` — and nested clauses are left out). Without JavaScript the per-clause links
// on the page do the same job minus the passage.

const MAX_QUOTE = 2000;

interface Picked {
  clauseId: string;
  quote: string;
  offset: number;
}

/** Text nodes that belong to `section`'s own text, in document order. */
function ownTextNodes(section: Element): Text[] {
  const out: Text[] = [];
  const walker = document.createTreeWalker(section, NodeFilter.SHOW_TEXT);
  for (let n = walker.nextNode(); n; n = walker.nextNode()) {
    const parent = n.parentElement;
    if (!parent) continue;
    if (parent.closest('[data-nc]')) continue;
    if (parent.closest('section[data-clause-id]') !== section) continue;
    out.push(n as Text);
  }
  return out;
}

/** The passage the selection covers inside one clause, or null. */
export function pickPassage(selection: Selection | null): Picked | null {
  if (!selection || selection.isCollapsed || selection.rangeCount === 0) return null;
  const range = selection.getRangeAt(0);
  const container = range.commonAncestorContainer;
  const el = container.nodeType === Node.ELEMENT_NODE ? (container as Element) : container.parentElement;
  const section = el?.closest('section[data-clause-id]');
  if (!section || !section.closest('#draft')) return null;
  let pos = 0;
  let offset = -1;
  let quote = '';
  for (const t of ownTextNodes(section)) {
    const len = t.data.length;
    if (range.intersectsNode(t)) {
      const from = t === range.startContainer ? range.startOffset : 0;
      const to = t === range.endContainer ? range.endOffset : len;
      if (to > from) {
        if (offset < 0) offset = pos + from;
        quote += t.data.slice(from, to);
      }
    }
    pos += len;
  }
  quote = quote.slice(0, MAX_QUOTE);
  if (offset < 0 || quote.trim() === '') return null;
  return { clauseId: section.getAttribute('data-clause-id') ?? '', quote, offset };
}

function createBar(): { bar: HTMLElement; link: HTMLAnchorElement } {
  const bar = document.createElement('div');
  bar.id = 'passage-bar';
  bar.setAttribute('role', 'region');
  bar.setAttribute('aria-label', '对所选文字提意见 Comment on the selection');
  bar.setAttribute('aria-live', 'polite');
  bar.style.cssText = 'position:fixed;left:0;right:0;bottom:0;padding:10px 16px;background:#0b3d6b;color:#fff;display:none;z-index:20;box-shadow:0 -2px 8px rgba(0,0,0,.3)';
  const link = document.createElement('a');
  link.id = 'comment-on-selection';
  link.style.cssText = 'color:#fff;font-weight:600';
  bar.appendChild(link);
  document.body.appendChild(bar);
  return { bar, link };
}

function start(): void {
  const draft = document.getElementById('draft');
  if (!draft || !draft.hasAttribute('data-open')) return;
  const base = draft.getAttribute('data-comment-url') ?? '';
  const { bar, link } = createBar();
  const hint = document.getElementById('select-hint');
  if (hint) hint.textContent = '可以对每一条提意见，也可以选中一段文字后对该段提意见。 You can also select a passage to comment on it.';
  let timer: ReturnType<typeof setTimeout> | undefined;
  const update = (): void => {
    const picked = pickPassage(window.getSelection());
    if (!picked) {
      bar.style.display = 'none';
      return;
    }
    const q = new URLSearchParams({ clause: picked.clauseId, quote: picked.quote, offset: String(picked.offset) });
    link.href = `${base}?${q.toString()}`;
    const shown = picked.quote.length > 30 ? `${picked.quote.slice(0, 30)}…` : picked.quote;
    link.textContent = `对所选文字「${shown}」提意见 · Comment on the selected passage`;
    bar.style.display = 'block';
  };
  document.addEventListener('selectionchange', () => {
    if (timer) clearTimeout(timer);
    timer = setTimeout(update, 150);
  });
}

if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', start);
else start();
