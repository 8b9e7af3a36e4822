// Two source patches of FerretDB 1.24 that make decoding and encoding documents cheaper for every query (issue 11:
// in a 50,000-comment export FerretDB's profile showed ≈ 12 % of its CPU decoding each stored string with a fresh
// encoding/json Decoder, and ≈ 11 % tracking the lifetime of every document iterator — a pprof stack capture and a
// finalizer each time a document is walked, to panic when one is not closed). Both keep what FerretDB answers:
// a JSON string literal with no escape, quote or control character, in valid UTF-8, decodes to its own bytes
// (anything else is decoded as before); document iterators hold no resources, so closing one only ends it.
import type { FerretdbPatch } from './ferretdb-patches';

const lines = (...l: string[]): string => l.join('\n');

const STRING_DECODE = lines('\tr := bytes.NewReader(data)', '\tdec := json.NewDecoder(r)', '', '\tvar o string');
const ITER_TRACK = lines('\t\ttoken: resource.NewToken(),', '\t}', '\tresource.Track(iter, iter.token)');
const ITER_UNTRACK = lines('\titer.n.Store(uint32(iter.doc.Len()))', '', '\tresource.Untrack(iter, iter.token)');

export const DECODE_SPEED_PATCHES: FerretdbPatch[] = [
  {
    id: 'sjson-plain-string-fast-path',
    file: 'internal/handler/sjson/string.go',
    why: 'decode a string literal without escapes as its bytes instead of through a new JSON decoder',
    find: STRING_DECODE,
    replace: lines(
      '\t// Tongbiao patch: a literal with no escape, quote or control character, in valid UTF-8, is its own bytes.',
      '\tif len(data) >= 2 && data[0] == \'"\' && data[len(data)-1] == \'"\' {',
      '\t\tbody := data[1 : len(data)-1]',
      '\t\tplain := utf8.Valid(body)',
      '',
      '\t\tfor _, c := range body {',
      '\t\t\tif c == \'\\\\\' || c == \'"\' || c < 0x20 {',
      '\t\t\t\tplain = false',
      '\t\t\t\tbreak',
      '\t\t\t}',
      '\t\t}',
      '',
      '\t\tif plain {',
      '\t\t\t*str = stringType(body)',
      '\t\t\treturn nil',
      '\t\t}',
      '\t}',
      '',
      STRING_DECODE,
    ),
  },
  {
    id: 'sjson-plain-string-import',
    file: 'internal/handler/sjson/string.go',
    why: 'import unicode/utf8 for the fast path',
    find: lines('\t"encoding/json"', ''),
    replace: lines('\t"encoding/json"', '\t"unicode/utf8"', ''),
  },
  {
    id: 'document-iterator-untracked',
    file: 'internal/types/document_iterator.go',
    why: 'do not capture a stack and set a finalizer for every document iterator',
    find: ITER_TRACK,
    replace: lines('\t\ttoken: resource.NewToken(),', '\t}', '\t// Tongbiao patch: not tracked (a stack capture and a finalizer per document walked); see Close.'),
  },
  {
    id: 'document-iterator-untracked-close',
    file: 'internal/types/document_iterator.go',
    why: 'closing an untracked document iterator only ends it',
    find: ITER_UNTRACK,
    replace: lines('\titer.n.Store(uint32(iter.doc.Len()))'),
  },
];
