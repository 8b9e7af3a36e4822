// The properties panel: attributes of the elements around the cursor that are not text — a reference's
// code, number and year; a formula symbol; a figure's image and alt text; a list's marker kind; an annex's
// kind. Edits dispatch `setNodeAttrs`, so they are collaborative and undoable like typing.
import type { EditorView } from 'prosemirror-view';
import type { Node } from 'prosemirror-model';
import { ancestor, setNodeAttrs } from '../commands';
import type { StringKey } from './i18n';
import { h } from './dom';

type Field = { attr: string; label: StringKey; options?: { value: string; label: StringKey }[] };

const FIELDS: Record<string, Field[]> = {
  referenceEntry: [
    { attr: 'code', label: 'code' },
    { attr: 'number', label: 'number' },
    { attr: 'year', label: 'year' },
  ],
  formulaSymbol: [{ attr: 'symbol', label: 'symbolName' }],
  figure: [
    { attr: 'src', label: 'imageUrl' },
    { attr: 'alt', label: 'altText' },
  ],
  list: [{ attr: 'kind', label: 'listKind', options: [{ value: 'dash', label: 'listDash' }, { value: 'letter', label: 'listLetter' }, { value: 'number', label: 'listNumber' }] }],
  sublist: [{ attr: 'kind', label: 'listKind', options: [{ value: 'dash', label: 'listDash' }, { value: 'letter', label: 'listLetter' }, { value: 'number', label: 'listNumber' }] }],
  annex: [{ attr: 'kind', label: 'annexKind', options: [{ value: 'normative', label: 'normative' }, { value: 'informative', label: 'informative' }] }],
};

export interface Properties {
  element: HTMLElement;
  update(view: EditorView, editable: boolean): void;
}

export function createProperties(doc: Document, t: (k: StringKey) => string, uploadFigure: ((view: EditorView, figurePos: number) => void) | null): Properties {
  const body = h(doc, 'div', { class: 'tb-props' });
  const element = h(doc, 'div', {}, h(doc, 'h3', {}, t('properties')), body);
  let lastKey = '';
  const inputs: { type: string; attr: string; input: HTMLInputElement | HTMLSelectElement }[] = [];

  const targets = (view: EditorView): { type: string; node: Node; pos: number }[] => {
    const $from = view.state.selection.$from;
    const out: { type: string; node: Node; pos: number }[] = [];
    for (const type of Object.keys(FIELDS)) {
      const a = ancestor($from, (node) => node.type.name === type);
      if (a) out.push({ type, node: a.node, pos: a.pos });
    }
    return out;
  };

  return {
    element,
    update(view, editable) {
      const found = targets(view);
      const key = found.map((f) => `${f.type}@${(f.node.attrs.id as string | undefined) ?? f.pos}`).join(',') + `|${editable}`;
      if (key !== lastKey) {
        lastKey = key;
        inputs.length = 0;
        const groups = found.map(({ type }) => {
          const group = h(doc, 'fieldset', { 'data-props-for': type });
          for (const field of FIELDS[type]) {
            const input = field.options
              ? h(doc, 'select', {}, ...field.options.map((o) => h(doc, 'option', { value: o.value }, t(o.label))))
              : h(doc, 'input', { type: 'text' });
            input.setAttribute('data-attr', field.attr);
            input.disabled = !editable;
            input.addEventListener(field.options ? 'change' : 'input', () => {
              // Find the node again: remote edits may have moved it since the panel was drawn.
              const current = ancestor(view.state.selection.$from, (node) => node.type.name === type);
              if (current) setNodeAttrs(current.pos, { [field.attr]: input.value })(view.state, view.dispatch);
            });
            inputs.push({ type, attr: field.attr, input });
            group.append(h(doc, 'label', {}, t(field.label), input));
          }
          if (type === 'figure' && uploadFigure && editable) {
            const button = h(doc, 'button', { type: 'button', 'data-command': 'replaceImage' }, t('replaceImage'));
            button.addEventListener('click', () => {
              const current = ancestor(view.state.selection.$from, (node) => node.type.name === 'figure');
              if (current) uploadFigure(view, current.pos);
            });
            group.append(button);
          }
          return group;
        });
        body.replaceChildren(...groups);
      }
      for (const { type, attr, input } of inputs) {
        const f = found.find((x) => x.type === type);
        const value = String(f?.node.attrs[attr] ?? '');
        if (doc.activeElement !== input && input.value !== value) input.value = value;
      }
    },
  };
}
