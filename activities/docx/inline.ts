// Inline content of the document model (text with marks, cross-references) as docx runs.
import { TextRun } from 'docx';
import type { NodeJSON } from '../../editor/types';
import { xrefText, type Numbering } from '../../editor/numbering';

export interface RunOptions {
  size?: number;
  bold?: boolean;
  italics?: boolean;
}

/** The runs of a textblock's inline children; cross-references read their computed numbers. */
export function inlineRuns(nodes: readonly NodeJSON[] | undefined, numbering: Numbering, base: RunOptions = {}): TextRun[] {
  const runs: TextRun[] = [];
  for (const n of nodes ?? []) {
    if (n.type === 'text') {
      const marks = new Set((n.marks ?? []).map((m) => m.type));
      runs.push(
        new TextRun({
          text: n.text ?? '',
          ...base,
          ...(marks.has('em') ? { italics: true } : {}),
          ...(marks.has('strong') ? { bold: true } : {}),
          ...(marks.has('sub') ? { subScript: true } : {}),
          ...(marks.has('sup') ? { superScript: true } : {}),
        }),
      );
    } else if (n.type === 'xref') {
      runs.push(new TextRun({ text: xrefText(numbering, String(n.attrs?.target ?? '')), ...base }));
    }
  }
  return runs;
}

/** Plain text of a node (for headings, captions and tests). */
export function plainText(node: NodeJSON | undefined, numbering?: Numbering): string {
  if (!node) return '';
  if (node.type === 'text') return node.text ?? '';
  if (node.type === 'xref') return numbering ? xrefText(numbering, String(node.attrs?.target ?? '')) : '';
  return (node.content ?? []).map((c) => plainText(c, numbering)).join('');
}
