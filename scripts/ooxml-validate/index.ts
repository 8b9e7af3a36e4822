// Schema validation of generated OOXML packages (DOCX) against the ECMA-376 transitional schemas: a small Java
// program (OoxmlValidate.java) on Apache POI's poi-ooxml-full (XMLBeans), built with Maven once into
// `.tools/ooxml-validate/` and rebuilt only when its sources change. Markup compatibility (mc:Ignorable,
// mc:AlternateContent) is applied before validation; [Content_Types].xml and docProps/core.xml are checked
// with JAXP against the OPC schemas in src/main/resources/opc.
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);
const SOURCE_DIR = __dirname;

export interface ValidatorPaths {
  root: string;
  classes: string;
  lib: string;
  stamp: string;
}

export function validatorPaths(toolsDir: string): ValidatorPaths {
  const root = path.join(toolsDir, 'ooxml-validate');
  return { root, classes: path.join(root, 'target', 'classes'), lib: path.join(root, 'lib'), stamp: path.join(root, 'build.sha256') };
}

function sourceFiles(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir).sort()) {
    const p = path.join(dir, name);
    if (statSync(p).isDirectory()) out.push(...sourceFiles(p));
    else if (/\.(java|xsd|xml)$/.test(name)) out.push(p);
  }
  return out;
}

/** Hash of pom.xml and every source file: the build is redone when it changes. */
function sourceHash(): string {
  const h = createHash('sha256');
  for (const f of [path.join(SOURCE_DIR, 'pom.xml'), ...sourceFiles(path.join(SOURCE_DIR, 'src'))]) {
    h.update(path.relative(SOURCE_DIR, f)).update('\0').update(readFileSync(f)).update('\0');
  }
  return h.digest('hex');
}

export class ValidatorBuildError extends Error {
  readonly zh: string;
  constructor(zh: string, en: string, options?: { cause?: unknown }) {
    super(`${zh} / ${en}`, options);
    this.name = 'ValidatorBuildError';
    this.zh = zh;
  }
}

async function sleep(ms: number): Promise<void> {
  await new Promise((r) => setTimeout(r, ms));
}

/**
 * Builds the validator with Maven when it is missing or its sources changed (idempotent; safe to call from
 * several processes at once: a lock directory serialises builds). Resolves with its paths.
 */
export async function ensureOoxmlValidator(toolsDir: string): Promise<ValidatorPaths> {
  const paths = validatorPaths(toolsDir);
  const want = sourceHash();
  const built = (): boolean => existsSync(paths.stamp) && readFileSync(paths.stamp, 'utf8').trim() === want;
  if (built()) return paths;
  mkdirSync(paths.root, { recursive: true });
  const lock = path.join(paths.root, 'build.lock');
  const started = Date.now();
  for (;;) {
    try {
      mkdirSync(lock);
      break;
    } catch {
      // Another process is building; a lock older than 5 min is stale.
      if (Date.now() - statSync(lock, { throwIfNoEntry: false })!.mtimeMs > 300_000) rmSync(lock, { recursive: true, force: true });
      if (Date.now() - started > 310_000) throw new ValidatorBuildError('等待 OOXML 校验器构建超时', 'timed out waiting for the OOXML validator build');
      await sleep(500);
      if (built()) return paths;
    }
  }
  try {
    if (built()) return paths;
    rmSync(paths.lib, { recursive: true, force: true });
    const args = [
      '-B', '-q',
      `-Dmaven.repo.local=${path.join(paths.root, 'm2')}`,
      `-DoutDir=${path.join(paths.root, 'target')}`,
      '-DincludeScope=runtime',
      `-DoutputDirectory=${paths.lib}`,
      'compile',
      'dependency:copy-dependencies',
    ];
    try {
      await run('mvn', args, { cwd: SOURCE_DIR, timeout: 300_000, maxBuffer: 64 << 20 });
    } catch (e) {
      const err = e as { code?: string; stdout?: string; stderr?: string; message?: string };
      const detail = err.code === 'ENOENT' ? 'mvn not found' : `${err.stdout ?? ''}${err.stderr ?? ''}`.trim().slice(-2000) || err.message;
      throw new ValidatorBuildError(
        `用 Maven 构建 OOXML 校验器失败（需要 Java 17、Maven 和可访问的 Maven Central）：${detail}`,
        `building the OOXML validator with Maven failed (needs Java 17, Maven and Maven Central): ${detail}`,
        { cause: e },
      );
    }
    writeFileSync(paths.stamp, `${want}\n`);
    return paths;
  } finally {
    rmSync(lock, { recursive: true, force: true });
  }
}

export interface SchemaError {
  file: string;
  part: string;
  line: number;
  column: number;
  message: string;
}

export interface ValidationResult {
  /** Number of XML parts validated per file. */
  parts: Record<string, number>;
  errors: SchemaError[];
}

/** Validates every XML part of each file; one JVM for all of them. */
export async function validateOoxml(toolsDir: string, files: string[]): Promise<ValidationResult> {
  const paths = await ensureOoxmlValidator(toolsDir);
  const cp = `${paths.classes}${path.delimiter}${path.join(paths.lib, '*')}`;
  let stdout: string;
  try {
    ({ stdout } = await run('java', ['-Dlog4j2.loggerContextFactory=org.apache.logging.log4j.simple.SimpleLoggerContextFactory', '-cp', cp, 'tongbiao.OoxmlValidate', ...files], { timeout: 180_000, maxBuffer: 64 << 20 }));
  } catch (e) {
    const err = e as { code?: number | string; stdout?: string; stderr?: string };
    if (err.code !== 1 || err.stdout === undefined) throw e;
    stdout = err.stdout;
  }
  const result: ValidationResult = { parts: {}, errors: [] };
  for (const line of stdout.split('\n')) {
    const ok = /^OK (.+) (\d+)$/.exec(line);
    if (ok) result.parts[ok[1]] = Number(ok[2]);
    const m = /^ERROR (.+?)\t(.+?):(\d+):(\d+)(?: \(after mc processing\))?\t(.*)$/.exec(line);
    if (m) result.errors.push({ file: m[1], part: m[2], line: Number(m[3]), column: Number(m[4]), message: m[5] });
  }
  for (const f of files) if (!(f in result.parts) && !result.errors.some((e) => e.file === f)) throw new Error(`validator printed nothing for ${f}`);
  return result;
}

/** One line per error: file, part:line:column and the message. */
export function formatSchemaErrors(errors: SchemaError[]): string {
  return errors.map((e) => `${path.basename(e.file)} ${e.part}:${e.line}:${e.column} ${e.message}`).join('\n');
}
