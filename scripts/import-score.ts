// npm run import:score -- DIR [--generate] [--show-missing N]
// Imports every .docx / .doc in DIR that has an expected model beside it (NAME.expected.json, the document
// as the editor stores it) and scores the recognised structure element by element against it (chapters
// and clauses with number and title, terms with definition, tables with number/title/size, figures,
// formulas, notes, examples, annexes; scripts/import-score-keys.ts), plus the share of the body text kept
// in the draft. Files without an expected model are listed, never silently left out.
// --generate first writes the synthetic corpus into DIR: the rich fixture and a generated large standard
// as the project generates them, and re-typed like drafters do (scripts/import-variants.ts). These are
// the only files here: the figures measure the synthetic variants, not real-world drafts.
import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { z } from 'zod';
import { importWordFile } from '../activities/import';
import { openDocx } from '../activities/import/package';
import { generateStandardDocx } from '../activities/docx/generate';
import { richStandardBody, richStandardRecord } from '../activities/docx/fixtures/rich-standard';
import { bigStandard } from '../bench/big-standard';
import { isImportError } from '../editor/import';
import { readDocument } from '../editor/import/reader';
import { parseXml } from '../editor/import/xml';
import { computeNumbering, xrefText } from '../editor/numbering';
import type { DocJSON, NodeJSON } from '../editor/types';
import { retype, VARIANTS, withoutHeaderMarks } from './import-variants';
import { score, scoreKeys, SCORED_KINDS, textKept, type Score } from './import-score-keys';

const docSchema = z.object({ type: z.literal('doc'), content: z.array(z.object({ type: z.string() }).passthrough()) }).passthrough();

function bodyText(doc: DocJSON): string {
  const numbering = computeNumbering(doc);
  const t = (n: NodeJSON): string => (n.type === 'text' ? (n.text ?? '') : n.type === 'xref' ? xrefText(numbering, String(n.attrs?.target ?? '')) : (n.content ?? []).map(t).join(''));
  return doc.content.filter((n) => n.type !== 'foreword').map(t).join('');
}

async function generate(dir: string): Promise<void> {
  await mkdir(dir, { recursive: true });
  const record = richStandardRecord();
  const sources: { name: string; body: DocJSON }[] = [
    { name: 'rich', body: richStandardBody() },
    { name: 'big6', body: bigStandard(6).toJSON() as DocJSON },
  ];
  for (const s of sources) {
    const generated = await generateStandardDocx({ record, body: s.body, edition: 'joint' });
    const pkg = await openDocx(generated);
    const blocks = readDocument(pkg.parts, { changes: 'accept', media: (p) => pkg.media.get(p), parse: parseXml }).blocks;
    const files: [string, Buffer][] = [[`${s.name}-generated`, generated]];
    for (const v of VARIANTS) files.push([`${s.name}-${v}`, v === 'noheader' ? await withoutHeaderMarks(generated) : await retype(blocks, v)]);
    for (const [name, data] of files) {
      await writeFile(path.join(dir, `${name}.docx`), data);
      await writeFile(path.join(dir, `${name}.expected.json`), JSON.stringify(s.body));
    }
  }
}

async function main(): Promise<number> {
  const { values, positionals } = parseArgs({ allowPositionals: true, options: { generate: { type: 'boolean', default: false }, 'show-missing': { type: 'string', default: '5' } } });
  const dir = positionals[0];
  const showMissing = Number(values['show-missing']);
  if (!dir || !Number.isInteger(showMissing)) {
    console.error('用法 / usage: npm run import:score -- DIR [--generate] [--show-missing N]');
    return 2;
  }
  if (values.generate) await generate(dir);
  const names = (await readdir(dir)).filter((f) => /\.(docx|doc)$/i.test(f)).sort();
  const total: Score = { expected: 0, found: 0, byKind: Object.fromEntries(SCORED_KINDS.map((k) => [k, { expected: 0, found: 0 }])) as Score['byKind'], missing: [] };
  const text = { expected: 0, kept: 0 };
  let scored = 0;
  for (const name of names) {
    const expectedPath = path.join(dir, name.replace(/\.(docx|doc)$/i, '.expected.json'));
    const raw = await readFile(expectedPath, 'utf8').catch(() => null);
    if (raw === null) {
      console.log(`${name}: 没有期望模型 no expected model (${path.basename(expectedPath)}), not scored`);
      continue;
    }
    const expected = docSchema.parse(JSON.parse(raw)) as unknown as DocJSON;
    const want = scoreKeys(expected);
    let got: DocJSON | null = null;
    let refused = '';
    const started = Date.now();
    try {
      got = (await importWordFile(await readFile(path.join(dir, name)), { changes: 'accept', allowNonStandard: true })).doc;
    } catch (e) {
      if (!isImportError(e)) throw e;
      refused = e.messages.en;
    }
    const s = score(want, got ? scoreKeys(got) : []);
    const t = textKept(bodyText(expected), got ? bodyText(got) : '');
    scored++;
    total.expected += s.expected;
    total.found += s.found;
    for (const k of SCORED_KINDS) {
      total.byKind[k].expected += s.byKind[k].expected;
      total.byKind[k].found += s.byKind[k].found;
    }
    text.expected += t.expected;
    text.kept += t.kept;
    const pct = (a: number, b: number): string => (b === 0 ? '—' : `${((100 * a) / b).toFixed(1)}%`);
    const kinds = SCORED_KINDS.filter((k) => s.byKind[k].expected > 0).map((k) => `${k} ${s.byKind[k].found}/${s.byKind[k].expected}`).join(', ');
    console.log(`${name}: elements ${s.found}/${s.expected} ${pct(s.found, s.expected)}; text kept ${pct(t.kept, t.expected)}; ${Date.now() - started} ms${refused ? `; REFUSED: ${refused}` : ''}`);
    console.log(`  ${kinds}`);
    for (const m of s.missing.slice(0, showMissing)) console.log(`  missing ${m.kind}: ${m.key.slice(0, 90)}`);
    if (s.missing.length > showMissing) console.log(`  … ${s.missing.length - showMissing} more missing`);
  }
  if (scored === 0) {
    console.error('没有可评分的文件 no file with an expected model in DIR');
    return 2;
  }
  const elementsPct = (100 * total.found) / Math.max(1, total.expected);
  const textPct = (100 * text.kept) / Math.max(1, text.expected);
  console.log(`per kind: ${SCORED_KINDS.map((k) => `${k} ${total.byKind[k].found}/${total.byKind[k].expected}`).join(', ')}`);
  console.log(`RESULT import_score_elements_pct ${elementsPct.toFixed(1)} goal >=95 ${elementsPct >= 95 ? 'met' : 'not met'} (${scored} files, ${total.expected} elements)`);
  console.log(`RESULT import_score_text_pct ${textPct.toFixed(2)} goal 100 ${text.kept === text.expected ? 'met' : 'not met'}`);
  return 0;
}

main().then(
  (code) => process.exit(code),
  (e: unknown) => {
    console.error(e);
    process.exit(1);
  },
);
