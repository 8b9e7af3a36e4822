// A small, safe XML reader for OOXML parts: saxes turns the text into a light element tree. Safety first,
// because the parts come from uploaded files: a DOCTYPE (the door to external entities and entity
// expansion bombs) is refused outright, nesting deeper than MAX_DEPTH and more than MAX_ELEMENTS elements
// are refused, and only text that OOXML ever puts in elements (runs, field codes, math) is kept, so
// the whitespace between elements of a 20 MB document.xml costs nothing.
import { SaxesParser } from 'saxes';
import { ImportError } from './errors';

export interface XEl {
  name: string;
  attrs: Record<string, string>;
  children: XNode[];
}
export type XNode = XEl | string;

export interface XmlLimits {
  maxDepth: number;
  maxElements: number;
}

export const DEFAULT_XML_LIMITS: XmlLimits = { maxDepth: 200, maxElements: 5_000_000 };

/** Elements whose text content matters (w:t, w:delText, w:instrText, m:t, a:t …). */
const TEXT_HOLDERS = new Set(['w:t', 'w:delText', 'w:instrText', 'w:delInstrText', 'm:t', 'a:t']);

/** Parses an XML part into its root element; throws ImportError for unsafe or malformed XML. */
export function parseXml(xml: string, part: string, limits: XmlLimits = DEFAULT_XML_LIMITS): XEl {
  const parser = new SaxesParser({ xmlns: false, position: false });
  const root: XEl = { name: '#root', attrs: {}, children: [] };
  const stack: XEl[] = [root];
  let elements = 0;
  let failure: ImportError | null = null;
  const fail = (e: ImportError): void => {
    if (!failure) failure = e;
  };
  parser.on('doctype', () => fail(new ImportError('UNSAFE_XML', { zh: `文件部件 ${part} 含有 DOCTYPE 声明（可能引用外部实体），拒绝导入。`, en: `Part ${part} contains a DOCTYPE declaration (possible external entities); refused.` })));
  parser.on('opentag', (tag) => {
    if (failure) return;
    if (++elements > limits.maxElements) {
      fail(new ImportError('UNSAFE_XML', { zh: `文件部件 ${part} 元素过多。`, en: `Part ${part} has too many elements.` }));
      return;
    }
    if (stack.length > limits.maxDepth) {
      fail(new ImportError('UNSAFE_XML', { zh: `文件部件 ${part} 嵌套过深。`, en: `Part ${part} is nested too deeply.` }));
      return;
    }
    const el: XEl = { name: tag.name, attrs: tag.attributes as Record<string, string>, children: [] };
    stack[stack.length - 1].children.push(el);
    if (!tag.isSelfClosing) stack.push(el);
  });
  parser.on('closetag', (tag) => {
    if (failure || tag.isSelfClosing) return;
    stack.pop();
  });
  const onText = (text: string): void => {
    if (failure) return;
    const top = stack[stack.length - 1];
    if (TEXT_HOLDERS.has(top.name)) top.children.push(text);
  };
  parser.on('text', onText);
  parser.on('cdata', onText);
  try {
    parser.write(xml);
    if (!failure) parser.close();
  } catch (e) {
    if (!failure) throw new ImportError('MALFORMED', { zh: `文件部件 ${part} 不是格式正确的 XML。`, en: `Part ${part} is not well-formed XML.` }, { cause: e });
  }
  if (failure) throw failure;
  const first = root.children.find((c): c is XEl => typeof c !== 'string');
  if (!first) throw new ImportError('MALFORMED', { zh: `文件部件 ${part} 为空。`, en: `Part ${part} is empty.` });
  return first;
}

/** The child elements of `el` (text dropped). */
export function kids(el: XEl): XEl[] {
  const out: XEl[] = [];
  for (const c of el.children) if (typeof c !== 'string') out.push(c);
  return out;
}

/** The first child element named `name`. */
export function child(el: XEl | undefined, name: string): XEl | undefined {
  if (!el) return undefined;
  for (const c of el.children) if (typeof c !== 'string' && c.name === name) return c;
  return undefined;
}

/** All child elements named `name`. */
export function childrenNamed(el: XEl | undefined, name: string): XEl[] {
  if (!el) return [];
  const out: XEl[] = [];
  for (const c of el.children) if (typeof c !== 'string' && c.name === name) out.push(c);
  return out;
}

/** First descendant (depth-first) named `name`. */
export function find(el: XEl, name: string): XEl | undefined {
  for (const c of el.children) {
    if (typeof c === 'string') continue;
    if (c.name === name) return c;
    const f = find(c, name);
    if (f) return f;
  }
  return undefined;
}

/** The text children of an element (w:t …). */
export function textOf(el: XEl): string {
  let s = '';
  for (const c of el.children) if (typeof c === 'string') s += c;
  return s;
}

/** `w:val` of a child element, e.g. val(pPr, 'w:pStyle'). */
export function val(el: XEl | undefined, name: string): string | undefined {
  return child(el, name)?.attrs['w:val'];
}

/** An on/off property (w:b, w:i …): present and not false. */
export function onOff(el: XEl | undefined, name: string): boolean {
  const c = child(el, name);
  if (!c) return false;
  const v = c.attrs['w:val'];
  return v === undefined || !(v === '0' || v === 'false' || v === 'off');
}
