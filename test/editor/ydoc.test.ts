// The Yjs form of a document: round trip with ProseMirror JSON, and a seed that merges with itself.
import * as Y from 'yjs';
import { jsonToYDoc, yDocToJSON, seedStandardUpdate, isEmptyYDoc, seedYDoc } from '../../editor/ydoc';
import { sampleStandardJSON } from '../../editor/fixtures/sample-standard';
import { newStandardJSON } from '../../editor/template';
import { schema } from '../../editor/schema';

describe('Yjs documents', () => {
  it('round-trips the sample standard through a Y.Doc', () => {
    const json = sampleStandardJSON();
    expect(schema.nodeFromJSON(yDocToJSON(jsonToYDoc(json))).eq(schema.nodeFromJSON(json))).toBe(true);
  });

  it('makes the same seed everywhere, so three documents seeded apart merge into one skeleton', () => {
    const docs = [new Y.Doc(), new Y.Doc(), new Y.Doc()];
    for (const d of docs) {
      expect(isEmptyYDoc(d)).toBe(true);
      Y.applyUpdate(d, seedStandardUpdate());
    }
    for (const a of docs) for (const b of docs) if (a !== b) Y.applyUpdate(a, Y.encodeStateAsUpdate(b));
    const json = yDocToJSON(docs[0]);
    expect(json.content.map((n) => n.type)).toEqual(['foreword', 'scope', 'normativeReferences', 'termsAndDefinitions']);
    expect(yDocToJSON(docs[2])).toEqual(json);
    expect(json.content[0].attrs?.id).toBe('s00000000001');
  });

  it('seeds only an empty document', () => {
    const d = new Y.Doc();
    expect(seedYDoc(d, newStandardJSON())).toBe(true);
    expect(seedYDoc(d, newStandardJSON())).toBe(false);
    expect(yDocToJSON(d).content).toHaveLength(4);
  });
});
