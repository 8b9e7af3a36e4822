// The content of a new draft: the mandatory elements with their fixed GB/T 1.1—2020 sentences, fresh ids.
// The collaboration server seeds an empty Yjs document with it (see editor/ydoc.ts), so that two clients
// opening a new draft at once never both insert a skeleton.
import { schema } from './schema';
import { newId, hasIdAttr } from './ids';
import type { DocJSON, NodeJSON } from './types';

const para = (text: string): NodeJSON => ({ type: 'paragraph', content: text ? [{ type: 'text', text }] : [] });

/**
 * A new standard body: 前言 with the drafting-basis and patent sentences, 1 范围, 2 规范性引用文件,
 * 3 术语和定义. `makeId` defaults to random ids; the seed (editor/ydoc.ts) passes a counter.
 */
export function newStandardJSON(makeId: () => string = newId): DocJSON {
  const json: DocJSON = {
    type: 'doc',
    content: [
      {
        type: 'foreword',
        content: [
          para('本文件按照GB/T 1.1—2020《标准化工作导则　第1部分：标准化文件的结构和起草规则》的规定起草。'),
          para('请注意本文件的某些内容可能涉及专利。本文件的发布机构不承担识别专利的责任。'),
        ],
      },
      { type: 'scope', content: [para('本文件规定了')] },
      { type: 'normativeReferences', content: [] },
      { type: 'termsAndDefinitions', content: [para('下列术语和定义适用于本文件。')] },
    ],
  };
  withFreshIds(json, makeId);
  schema.nodeFromJSON(json).check();
  return json;
}

/** Gives every id-carrying node in a JSON tree a fresh id (in place); returns the same tree. */
export function withFreshIds<T extends NodeJSON>(node: T, makeId: () => string = newId): T {
  if (hasIdAttr(node.type)) node.attrs = { ...(node.attrs ?? {}), id: makeId() };
  for (const c of node.content ?? []) withFreshIds(c, makeId);
  if (node.content && node.content.length === 0) delete node.content;
  return node;
}
