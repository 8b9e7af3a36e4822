// A picture inside a redline's tracked change. The docx library tracks text runs only (InsertedTextRun /
// DeletedTextRun), so a figure inserted or deleted whole kept its picture as plain content: accepting the
// deletion left the picture (and an empty paragraph) behind. This wraps the picture's run in `w:ins` / `w:del`
// (ECMA-376 §17.13.5: a run with a drawing is allowed there) with the same id, author and date attributes.
import { XmlAttributeComponent, XmlComponent, type ImageRun } from 'docx';

interface Change {
  id: number;
  author: string;
  date: string;
}

class ChangeAttributes extends XmlAttributeComponent<Change> {
  protected override readonly xmlKeys = { id: 'w:id', author: 'w:author', date: 'w:date' };
}

class TrackedRun extends XmlComponent {
  constructor(kind: 'ins' | 'del', change: Change, run: ImageRun) {
    super(kind === 'del' ? 'w:del' : 'w:ins');
    this.root.push(new ChangeAttributes(change));
    this.root.push(run);
  }
}

/** The picture run, tracked as inserted or deleted; typed as the run it stands for (a paragraph child). */
export function trackedPicture(kind: 'ins' | 'del', change: Change, run: ImageRun): ImageRun {
  return new TrackedRun(kind, change, run) as unknown as ImageRun;
}
