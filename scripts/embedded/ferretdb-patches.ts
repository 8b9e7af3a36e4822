// Source patches applied to FerretDB v1.24 before it is built for the embedded default. Each one is a literal
// replacement that must match exactly once, so a changed upstream source fails the install loudly instead
// of building an unpatched binary; a file the set adds must not exist yet. The patch set's id is stored beside
// the binary: a binary built with an older set (or none) is rebuilt.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { AppError } from '../../activities/infra/errors';
import { EXACT_COUNT_PATCHES } from './ferretdb-exact-count';
import { EXACT_FIELDS_PATCHES } from './ferretdb-exact-fields';
import { DECODE_SPEED_PATCHES } from './ferretdb-decode-speed';
import { EXACT_PUSHDOWN_PATCHES } from './ferretdb-exact-pushdown';

export interface SourcePatch {
  id: string;
  file: string;
  /** Why the patch exists: shown when it no longer applies. */
  why: string;
  find: string;
  replace: string;
}

/** A whole new source file added to the tree (long Go code lives in its own TS module). */
export interface SourceFile {
  id: string;
  file: string;
  why: string;
  content: string;
}

export type FerretdbPatch = SourcePatch | SourceFile;

function idPushdownPatch(id: string, method: string, lineAfterCase: string): SourcePatch {
  // Query and Explain hold the same block; the line after the `case` tells them apart.
  const block = (condition: string): string =>
    ['\tif params.Filter.Len() ' + condition + ' {', '\t\tv, _ := params.Filter.Get("_id")', '\t\tswitch v.(type) {', '\t\tcase string, types.ObjectID:', '\t\t\t' + lineAfterCase].join('\n');
  return {
    id,
    file: 'internal/backends/sqlite/collection.go',
    why: `push an _id equality down even when the filter has other keys (${method})`,
    find: block('== 1'),
    replace: block('>= 1'),
  };
}

const NO_RESPONSE_PANIC = ['\t\tif resHeader == nil || resBody == nil {', '\t\t\tpanic("no response to send to client")', '\t\t}', ''].join('\n');

/**
 * An OP_MSG whose flagBits carry moreToCome (bit 1) asks for no reply: the Node driver sends an
 * unacknowledged (`w: 0`) write so and reads nothing back. FerretDB 1.24 replied anyway, and the reply sat
 * in the socket until the driver read it as the answer to the connection's next command, so every later
 * operation on that pooled connection got the previous one's reply (another request's session or user).
 * MongoDB sends nothing; so does the patched loop in internal/clientconn/conn.go. The command still runs
 * and a fatal error still closes the connection, as before.
 */
const OP_MSG_MORE_TO_COME_PATCH: SourcePatch = {
  id: 'opmsg-more-to-come-no-reply',
  file: 'internal/clientconn/conn.go',
  why: 'send no reply to an OP_MSG with the moreToCome flag (unacknowledged write), as MongoDB does',
  find: NO_RESPONSE_PANIC,
  replace: [
    NO_RESPONSE_PANIC,
    '\t\t// Tongbiao patch: the client set moreToCome and reads no reply; one sent would answer its next command.',
    '\t\tif reqMsg, isMsg := reqBody.(*wire.OpMsg); isMsg && reqMsg.Flags.FlagSet(wire.OpMsgMoreToCome) {',
    '\t\t\tif resCloseConn {',
    '\t\t\t\terr = errors.New("fatal error")',
    '\t\t\t\treturn',
    '\t\t\t}',
    '',
    '\t\t\tcontinue',
    '\t\t}',
    '',
  ].join('\n'),
};

/**
 * FerretDB's SQLite backend creates the `_id` index on the expression `_ferretdb_sjson->"_id"` but looks
 * documents up with `_ferretdb_sjson->'$._id'`. The values are equal, the expressions are not, so SQLite
 * never uses the index: every find, update and delete by `_id` scans the whole table (an update of one
 * standard on a 5 000-document collection took 16 ms and held the single SQLite writer all that time).
 * Looking up with the index's own expression makes it an index search.
 *
 * The backend also pushed `_id` down only when it was the filter's single key, so a conditional write such
 * as `{_id, $or: [...]}` scanned too. The backend contract (internal/backends/collection.go: "Filter may be
 * ignored, or safely applied partially") lets it narrow by `_id` whatever else the filter holds: the
 * handler applies the whole filter to what comes back.
 */
export const FERRETDB_PATCHES: FerretdbPatch[] = [
  {
    id: 'sqlite-id-lookup-uses-index',
    file: 'internal/backends/sqlite/metadata/metadata.go',
    why: 'look up _id with the expression of the _id index',
    find: `IDColumn = DefaultColumn + "->'$._id'"`,
    replace: `IDColumn = DefaultColumn + \`->"_id"\``,
  },
  idPushdownPatch('sqlite-id-pushdown-with-other-keys', 'Query', 'whereClause = fmt.Sprintf(` WHERE %s = ?`, metadata.IDColumn)'),
  // Explain too, so it shows what Query does.
  idPushdownPatch('sqlite-id-pushdown-with-other-keys-explain', 'Explain', 'filterPushdown = true'),
  OP_MSG_MORE_TO_COME_PATCH,
  // Issue 11: find with the comment EXACT_PUSHDOWN_COMMENT runs WHERE … ORDER BY … LIMIT in SQLite; count, COUNT(*).
  ...EXACT_PUSHDOWN_PATCHES,
  ...EXACT_COUNT_PATCHES,
  // A find with the comment and an inclusion projection decodes only the fields it reads (after the pushdown's patches).
  ...EXACT_FIELDS_PATCHES,
  // Strings without escapes decoded as their bytes; document iterators not tracked (every query).
  ...DECODE_SPEED_PATCHES,
];

/** The id of the patch set, stored beside the binary built with it. */
export const FERRETDB_PATCH_SET = FERRETDB_PATCHES.map((p) => p.id).join('+');

export function applyFerretdbPatches(srcDir: string, patches: FerretdbPatch[] = FERRETDB_PATCHES): void {
  for (const p of patches) {
    const file = path.join(srcDir, p.file);
    if ('content' in p) {
      if (existsSync(file)) {
        throw new AppError('TOOL_INSTALL_FAILED', {
          zh: `FerretDB 源码补丁 ${p.id}（${p.why}）无法应用：${p.file} 已存在`,
          en: `FerretDB source patch ${p.id} (${p.why}) does not apply: ${p.file} already exists`,
        });
      }
      mkdirSync(path.dirname(file), { recursive: true });
      writeFileSync(file, p.content);
      continue;
    }
    const text = readFileSync(file, 'utf8');
    const count = text.split(p.find).length - 1;
    if (count !== 1) {
      throw new AppError('TOOL_INSTALL_FAILED', {
        zh: `FerretDB 源码补丁 ${p.id}（${p.why}）无法应用：在 ${p.file} 中找到 ${count} 处，应为 1 处`,
        en: `FerretDB source patch ${p.id} (${p.why}) does not apply: found ${count} matches in ${p.file}, expected 1`,
      });
    }
    writeFileSync(file, text.replace(p.find, () => p.replace));
  }
}
