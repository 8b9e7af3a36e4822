// npm run import:score -- DIR [--generate] [--show-missing N]
// Imports every .docx / .doc / .wps in DIR and scores it against its answer: an expected model beside it
// (NAME.expected.json, the document as the editor stores it; scripts/import-score-keys.ts), or a hand-written
// key (NAME.key.json, the elements a person read off the draft; scripts/import-score-answer-key.ts, format in
// editor/import/README.md) — element by element (chapters and clauses with number and title, terms with
// definition, tables with number/title/size, figures, formulas, notes, examples, annexes). Every file, with or
// without an answer, also reports the elements found and the share of its body text kept in the draft or the
// report; none is silently left out. A real-world collection kept outside the project is scored the same way.
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
import { answerKeySchema, elementsFound, scoreAgainstKey, textKeptOfImport, type AnswerKey } from './import-score-answer-key';

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

const pct = (a: number, b: number): string => (b === 0 ? '—' : `${((100 * a) / b).toFixed(1)}%`);

/** The answer the file is scored against: the expected model, a hand-written key, or none. */
async function answerOf(dir: string, name: string): Promise<{ kind: 'model'; doc: DocJSON } | { kind: 'key'; key: AnswerKey } | { kind: 'none' } | { kind: 'invalid'; why: string }> {
  const base = path.join(dir, name.replace(/\.(docx|doc|wps)$/i, ''));
  const model = await readFile(`${base}.expected.json`, 'utf8').catch(() => null);
  if (model !== null) return { kind: 'model', doc: docSchema.parse(JSON.parse(model)) as unknown as DocJSON };
  const raw = await readFile(`${base}.key.json`, 'utf8').catch(() => null);
  if (raw === null) return { kind: 'none' };
  let json: unknown;
  try {
    json = JSON.parse(raw);
  } catch (e) {
    return { kind: 'invalid', why: `not JSON: ${e instanceof Error ? e.message : String(e)}` };
  }
  const key = answerKeySchema.safeParse(json);
  if (!key.success) return { kind: 'invalid', why: key.error.issues.slice(0, 5).map((i) => `${i.path.join('.')}: ${i.message}`).join('; ') };
  return { kind: 'key', key: key.data };
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
  const names = (await readdir(dir)).filter((f) => /\.(docx|doc|wps)$/i.test(f)).sort();
  if (names.length === 0) {
    console.error('目录中没有 Word 文件 no .docx / .doc / .wps file in DIR');
    return 2;
  }
  const total: Score = { expected: 0, found: 0, byKind: Object.fromEntries(SCORED_KINDS.map((k) => [k, { expected: 0, found: 0 }])) as Score['byKind'], missing: [] };
  const text = { expected: 0, kept: 0 };
  const fromFile = { expected: 0, kept: 0 };
  let scored = 0;
  let unkeyed = 0;
  let invalid = 0;
  let refusedFiles = 0;
  for (const name of names) {
    const answer = await answerOf(dir, name);
    if (answer.kind === 'invalid') {
      invalid++;
      console.log(`${name}: 答案键无效 invalid key (${name.replace(/\.(docx|doc|wps)$/i, '.key.json')}): ${answer.why}`);
    }
    let result: Awaited<ReturnType<typeof importWordFile>> | null = null;
    let refused = '';
    const started = Date.now();
    try {
      result = await importWordFile(await readFile(path.join(dir, name)), { changes: 'accept', allowNonStandard: true });
    } catch (e) {
      if (!isImportError(e)) throw e;
      refused = e.messages.en;
      refusedFiles++;
    }
    const got = result?.doc ?? null;
    // Against the file itself: every character of its body in the draft or the report (no key needed).
    const own = result ? textKeptOfImport(result) : { expected: 0, kept: 0 };
    fromFile.expected += own.expected;
    fromFile.kept += own.kept;
    const tail = `text kept (file → draft + report) ${result ? pct(own.kept, own.expected) : '—'}; ${Date.now() - started} ms${refused ? `; REFUSED: ${refused}` : ''}`;
    if (answer.kind === 'none' || answer.kind === 'invalid') {
      unkeyed++;
      const found = result ? elementsFound(result) : {};
      console.log(`${name}: no key — elements found ${Object.entries(found).map(([k, n]) => `${k} ${n}`).join(', ') || 'none'}; not placed ${result?.report.unplaced.length ?? 0}; ${tail}`);
      continue;
    }
    const s = answer.kind === 'model' ? score(scoreKeys(answer.doc), got ? scoreKeys(got) : []) : scoreAgainstKey(answer.key, got);
    scored++;
    total.expected += s.expected;
    total.found += s.found;
    for (const k of SCORED_KINDS) {
      total.byKind[k].expected += s.byKind[k].expected;
      total.byKind[k].found += s.byKind[k].found;
    }
    let modelText = '';
    if (answer.kind === 'model') {
      const t = textKept(bodyText(answer.doc), got ? bodyText(got) : '');
      text.expected += t.expected;
      text.kept += t.kept;
      modelText = `text kept (expected model) ${pct(t.kept, t.expected)}; `;
    }
    const kinds = SCORED_KINDS.filter((k) => s.byKind[k].expected > 0).map((k) => `${k} ${s.byKind[k].found}/${s.byKind[k].expected}`).join(', ');
    console.log(`${name}: ${answer.kind === 'key' ? 'key' : 'model'} — elements ${s.found}/${s.expected} ${pct(s.found, s.expected)}; ${modelText}${tail}`);
    console.log(`  ${kinds}`);
    for (const m of s.missing.slice(0, showMissing)) console.log(`  missing ${m.kind}: ${m.key.slice(0, 120)}`);
    if (s.missing.length > showMissing) console.log(`  … ${s.missing.length - showMissing} more missing`);
  }
  console.log(`files: ${names.length} (${scored} with a key or model, ${unkeyed} without, ${refusedFiles} refused${invalid ? `, ${invalid} invalid keys` : ''})`);
  if (scored > 0) {
    const elementsPct = (100 * total.found) / Math.max(1, total.expected);
    console.log(`per kind: ${SCORED_KINDS.map((k) => `${k} ${total.byKind[k].found}/${total.byKind[k].expected}`).join(', ')}`);
    console.log(`RESULT import_score_elements_pct ${elementsPct.toFixed(1)} goal >=95 ${elementsPct >= 95 ? 'met' : 'not met'} (${scored} files, ${total.expected} elements)`);
  }
  if (text.expected > 0) console.log(`RESULT import_score_text_pct ${((100 * text.kept) / text.expected).toFixed(2)} goal 100 ${text.kept === text.expected ? 'met' : 'not met'} (against the expected models)`);
  const filePct = (100 * fromFile.kept) / Math.max(1, fromFile.expected);
  console.log(`RESULT import_text_kept_pct ${filePct.toFixed(2)} goal 100 ${fromFile.kept === fromFile.expected && refusedFiles === 0 ? 'met' : 'not met'} (${names.length - refusedFiles} files, body text → draft or report)`);
  return invalid > 0 ? 1 : 0;
}

main().then(
  (code) => process.exit(code),
  (e: unknown) => {
    console.error(e);
    process.exit(1);
  },
);
