// npm run import:docx -- FILE --out DIR [--accept-changes | --reject-changes | --keep-changes] [--allow-non-standard]
// (--keep-changes: tracked changes become suggested changes by their Word authors, 保留为修订建议.)
// Runs the same import as the upload: writes DIR/model.json (ProseMirror JSON as the editor stores it) and
// DIR/report.json. Exit status 0 when imported, 2 when refused (zh/en reason on stderr), 1 on a crash.
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { z } from 'zod';
import { importWordFile } from '../activities/import';
import { isImportError } from '../editor/import';

const argsSchema = z
  .object({
    file: z.string().min(1),
    out: z.string().min(1),
    acceptChanges: z.boolean(),
    rejectChanges: z.boolean(),
    keepChanges: z.boolean(),
    allowNonStandard: z.boolean(),
  })
  .refine((a) => [a.acceptChanges, a.rejectChanges, a.keepChanges].filter(Boolean).length <= 1, { message: '--accept-changes, --reject-changes and --keep-changes exclude each other' });

async function main(): Promise<number> {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: {
      out: { type: 'string' },
      'accept-changes': { type: 'boolean', default: false },
      'reject-changes': { type: 'boolean', default: false },
      'keep-changes': { type: 'boolean', default: false },
      'allow-non-standard': { type: 'boolean', default: false },
    },
  });
  const parsed = argsSchema.safeParse({
    file: positionals[0],
    out: values.out,
    acceptChanges: values['accept-changes'],
    rejectChanges: values['reject-changes'],
    keepChanges: values['keep-changes'],
    allowNonStandard: values['allow-non-standard'],
  });
  if (!parsed.success) {
    console.error('用法 / usage: npm run import:docx -- FILE --out DIR [--accept-changes | --reject-changes | --keep-changes] [--allow-non-standard]');
    console.error(parsed.error.issues.map((i) => i.message).join('\n'));
    return 2;
  }
  const a = parsed.data;
  const data = await readFile(a.file);
  try {
    const result = await importWordFile(data, {
      changes: a.acceptChanges ? 'accept' : a.rejectChanges ? 'reject' : a.keepChanges ? 'keep' : 'refuse',
      // Kept suggestions are proposed by whoever runs the import.
      ...(a.keepChanges ? { suggestionsBy: process.env.USER ?? 'import-cli' } : {}),
      allowNonStandard: a.allowNonStandard,
    });
    const out = path.resolve(a.out);
    await mkdir(out, { recursive: true });
    await writeFile(path.join(out, 'model.json'), `${JSON.stringify(result.doc)}\n`);
    await writeFile(path.join(out, 'report.json'), `${JSON.stringify({ format: result.format, ...result.report }, null, 2)}\n`);
    const r = result.report;
    console.log(
      `imported ${a.file}: ${r.elements.filter((e) => e.kind === 'chapter').length} chapters, ${r.elements.filter((e) => e.kind === 'clause').length} clauses, ` +
        `${r.elements.filter((e) => e.kind === 'table').length} tables, ${r.elements.filter((e) => e.kind === 'figure').length} figures; ` +
        `${r.unplaced.length} not placed, ${r.numbering.mismatches.length} number mismatches, ${r.warnings.length} warnings → ${out}`,
    );
    return 0;
  } catch (e) {
    if (isImportError(e)) {
      console.error(`拒绝导入：${e.messages.zh}`);
      console.error(`Refused: ${e.messages.en}`);
      return 2;
    }
    throw e;
  }
}

main().then(
  (code) => process.exit(code),
  (e: unknown) => {
    console.error(e);
    process.exit(1);
  },
);
