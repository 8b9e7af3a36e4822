// Replaces the WMF/EMF pictures of an opened package by PNG renderings (activities/import/metafile.ts)
// before the pure importer reads it, so an equation object's preview (and a figure pasted as a metafile)
// becomes a picture stored and shown like any other. Renderings are kept in the conversion cache by the
// metafile's hash: upload, preview and confirmation render once. When the tools fail, the metafiles stay
// as they are (the importer keeps a placeholder and reports it) and the reason is returned for the report.
import type { ConversionCache } from './convert-cache';
import { MAX_METAFILES, metafileKind, renderMetafilesToPng, type MetafileKind, type MetafileTools } from './metafile';

export interface MetafileOutcome {
  /** Package paths whose metafile is now a PNG. */
  converted: string[];
  /** Paths left as metafiles (over the limit, or the rendering failed). */
  kept: string[];
  /** Why rendering failed, when it did. */
  failure?: string;
}

export async function metafilesToPng(
  media: Map<string, Uint8Array>,
  options: { conversions?: ConversionCache; tools?: MetafileTools } = {},
): Promise<MetafileOutcome> {
  const found: { path: string; bytes: Uint8Array; kind: MetafileKind }[] = [];
  for (const [p, bytes] of media) {
    const kind = metafileKind(bytes);
    if (kind) found.push({ path: p, bytes, kind });
  }
  const outcome: MetafileOutcome = { converted: [], kept: found.slice(MAX_METAFILES).map((m) => m.path) };
  const todo = found.slice(0, MAX_METAFILES);
  if (todo.length === 0) return outcome;
  // One rendering of every metafile, started only when one of them is not cached.
  let batch: Promise<Buffer[]> | undefined;
  const all = (): Promise<Buffer[]> => (batch ??= renderMetafilesToPng(todo, options.tools));
  const pngOf = (i: number): Promise<Buffer> => {
    const render = async (): Promise<Buffer> => (await all())[i];
    return options.conversions ? options.conversions.get(todo[i].bytes, `${todo[i].kind}-png`, render) : render();
  };
  const results = await Promise.allSettled(todo.map((_, i) => pngOf(i)));
  results.forEach((r, i) => {
    if (r.status === 'fulfilled') {
      media.set(todo[i].path, r.value);
      outcome.converted.push(todo[i].path);
    } else {
      outcome.kept.push(todo[i].path);
      outcome.failure ??= r.reason instanceof Error ? r.reason.message : String(r.reason);
    }
  });
  return outcome;
}
