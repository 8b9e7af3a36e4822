// The editor's stylesheet. Numbers and fixed titles are printed from the attributes the numbering
// decorations set (editor/decorations.ts) with ::before / ::after, so they are visible but never part of
// the text: they cannot be typed, selected or deleted.
export const EDITOR_CSS = `
.tb-editor { display: grid; grid-template-columns: 220px minmax(0, 1fr) 280px; grid-template-rows: auto 1fr; gap: 0 12px;
  font-family: "Noto Serif CJK SC", SimSun, serif; font-size: 15px; height: 100%; }
.tb-editor.tb-viewer { grid-template-columns: 220px minmax(0, 1fr); grid-template-rows: 1fr; }
.tb-toolbar { grid-column: 1 / 4; display: flex; flex-wrap: wrap; gap: 4px; padding: 6px; border-bottom: 1px solid #ccc;
  position: sticky; top: 0; background: #fafafa; z-index: 5; align-items: center; }
.tb-toolbar button, .tb-toolbar select { font: inherit; font-size: 13px; padding: 2px 6px; }
.tb-toolbar .tb-sep { width: 1px; height: 20px; background: #ccc; margin: 0 4px; }
.tb-status { margin-left: auto; font-size: 13px; padding: 2px 8px; border-radius: 10px; background: #eee; }
.tb-status[data-status="saved"] { background: #d3f9d8; color: #2b8a3e; }
.tb-status[data-status="saving"] { background: #fff3bf; color: #8a6d00; }
.tb-status[data-status="offline"], .tb-status[data-status="refused"] { background: #ffe3e3; color: #c92a2a; }
.tb-status[data-status="readonly"] { background: #e7f5ff; color: #1864ab; }
.tb-outline, .tb-side { overflow: auto; font-size: 13px; padding: 8px 0; box-sizing: border-box;
  position: sticky; top: var(--tb-toolbar-height, 40px); align-self: start; max-height: calc(100vh - var(--tb-toolbar-height, 40px)); }
.tb-editor.tb-viewer .tb-outline { top: 0; max-height: 100vh; }
.tb-outline h3, .tb-side h3 { font-size: 13px; margin: 4px 0; color: #555; }
.tb-outline a { display: block; color: #222; text-decoration: none; padding: 1px 0; white-space: nowrap; overflow: hidden; text-overflow: ellipsis; cursor: pointer; }
.tb-outline a:hover { background: #f1f3f5; }
.tb-outline a .tb-outline-number { font-family: "Noto Sans CJK SC", SimHei, sans-serif; margin-right: 0.5em; }
.tb-presence li { list-style: none; display: flex; align-items: center; gap: 6px; }
.tb-presence { padding: 0; margin: 0 0 12px 0; }
.tb-presence .tb-dot { width: 10px; height: 10px; border-radius: 50%; display: inline-block; }
.tb-props label { display: block; margin: 4px 0; }
.tb-props input, .tb-props select { width: 100%; box-sizing: border-box; font: inherit; }
.tb-body { overflow: auto; padding: 8px 24px; }
.tb-body .ProseMirror { outline: none; white-space: pre-wrap; word-wrap: break-word; line-height: 1.8; min-height: 400px; }
.tb-body .ProseMirror[contenteditable="false"] { background: #fcfcfc; }
.ProseMirror p { margin: 0.2em 0; text-indent: 2em; }
.ProseMirror section { margin: 0.4em 0; }
.ProseMirror h2 { font-family: "Noto Sans CJK SC", SimHei, sans-serif; font-size: 15px; font-weight: normal; margin: 0.8em 0 0.3em; }
.ProseMirror h2[data-label]::before { content: attr(data-label) "\\3000"; }
.ProseMirror section[data-type="chapter"] > h2, .ProseMirror section[data-type="annex"] > h2 { font-weight: bold; }
.ProseMirror section[data-type="annex"] { border-top: 2px dashed #bbb; margin-top: 2em; padding-top: 1em; }
.ProseMirror section[data-type="annex"] > h2 { text-align: center; white-space: pre-wrap; }
.ProseMirror section[data-type="annex"] > h2[data-label]::before { content: attr(data-label) "\\A" attr(data-qualifier) "\\A"; }
.ProseMirror section[data-type="foreword"]::before { content: "前\\3000\\3000言"; display: block; text-align: center; font-family: "Noto Sans CJK SC", SimHei, sans-serif; font-size: 18px; margin: 0.5em 0; }
.ProseMirror section[data-type="introduction"]::before { content: "引\\3000\\3000言"; display: block; text-align: center; font-family: "Noto Sans CJK SC", SimHei, sans-serif; font-size: 18px; margin: 0.5em 0; }
.ProseMirror section[data-type="bibliography"]::before { content: "参\\3000考\\3000文\\3000献"; display: block; text-align: center; font-family: "Noto Sans CJK SC", SimHei, sans-serif; font-size: 18px; margin: 1em 0 0.5em; }
.ProseMirror section[data-type="scope"]::before, .ProseMirror section[data-type="termsAndDefinitions"]::before {
  content: attr(data-label) "\\3000" attr(data-title); display: block; font-family: "Noto Sans CJK SC", SimHei, sans-serif; font-weight: bold; margin: 0.8em 0 0.3em; }
.ProseMirror section[data-type="normativeReferences"] { display: flex; flex-direction: column; }
.ProseMirror section[data-type="normativeReferences"]::before {
  content: attr(data-label) "\\3000" attr(data-title); order: -2; font-family: "Noto Sans CJK SC", SimHei, sans-serif; font-weight: bold; margin: 0.8em 0 0.3em; }
.ProseMirror section[data-type="normativeReferences"]::after { content: attr(data-lead); order: -1; text-indent: 2em; margin: 0.2em 0; }
.ProseMirror p.tb-untitled::before { content: attr(data-label) "\\3000"; font-family: "Noto Sans CJK SC", SimHei, sans-serif; }
.ProseMirror p.tb-untitled { text-indent: 0; }
.ProseMirror section[data-type="termEntry"] { margin: 0.6em 0; }
.ProseMirror section[data-type="termEntry"]::before { content: attr(data-label); display: block; font-family: "Noto Sans CJK SC", SimHei, sans-serif; }
.ProseMirror div[data-type="term"], .ProseMirror div[data-type="termEnglish"], .ProseMirror div[data-type="termAbbreviation"] {
  display: inline; font-family: "Noto Sans CJK SC", SimHei, sans-serif; margin-left: 2em; }
.ProseMirror div[data-type="termEnglish"] { margin-left: 1em; }
.ProseMirror div[data-type="termAbbreviation"] { margin-left: 0.3em; }
.ProseMirror div[data-type="termAbbreviation"]:not(:has(> br.ProseMirror-trailingBreak:first-child))::before { content: "; "; }
.ProseMirror div[data-type="definition"] { text-indent: 2em; }
.ProseMirror div[data-type="termSource"]:not(:has(> br.ProseMirror-trailingBreak:first-child))::before { content: "[来源："; }
.ProseMirror div[data-type="termSource"]:not(:has(> br.ProseMirror-trailingBreak:first-child))::after { content: "]"; }
.ProseMirror div[data-type="referenceEntry"], .ProseMirror div[data-type="bibliographyEntry"] { text-indent: 2em; }
.ProseMirror div[data-type="referenceEntry"]::before, .ProseMirror div[data-type="bibliographyEntry"]::before { content: attr(data-label) "\\3000"; }
.ProseMirror aside { font-size: 13px; margin: 0.3em 0 0.3em 2em; }
.ProseMirror aside p { text-indent: 0; }
.ProseMirror p.tb-note-first::before { content: attr(data-label) "："; font-family: "Noto Sans CJK SC", SimHei, sans-serif; }
.ProseMirror p.tb-example-first::before { content: attr(data-label) "："; font-family: "Noto Sans CJK SC", SimHei, sans-serif; }
.ProseMirror div[data-type="list"] { margin-left: 2em; }
.ProseMirror div[data-type="sublist"] { margin-left: 2em; }
.ProseMirror p.tb-item-first { text-indent: -2em; padding-left: 2em; }
.ProseMirror p.tb-item-first::before { content: attr(data-label) " "; display: inline-block; min-width: 2em; text-indent: 0; }
.ProseMirror figure { margin: 0.8em 0; }
.ProseMirror figure img { display: block; margin: 0 auto; max-width: 100%; max-height: 360px; }
.ProseMirror figcaption { text-align: center; font-family: "Noto Sans CJK SC", SimHei, sans-serif; }
.ProseMirror figcaption[data-label]::before { content: attr(data-label) "\\3000"; }
.ProseMirror table { border-collapse: collapse; margin: 0 auto; }
.ProseMirror td, .ProseMirror th { border: 1px solid #333; padding: 2px 8px; min-width: 3em; vertical-align: top; font-size: 13px; }
.ProseMirror td p, .ProseMirror th p { text-indent: 0; text-align: center; }
.ProseMirror th { background: #e9ecef; font-weight: bold; font-family: "Noto Sans CJK SC", SimHei, sans-serif; border-bottom-width: 2px; }
.ProseMirror .selectedCell { background: #d0ebff; }
.ProseMirror div[data-type="formula"] { margin: 0.5em 0; }
.ProseMirror div[data-type="formula"] > img.tb-formulaPicture { display: block; margin: 0 auto; max-width: 100%; }
.ProseMirror div[data-type="formulaText"] { text-align: center; font-family: "Cambria Math", "STIX Two Math", serif; font-style: italic; position: relative; padding-right: 5em; }
.ProseMirror div[data-type="formulaText"][data-label]::after { content: "……" attr(data-label); position: absolute; right: 0; font-style: normal; }
.ProseMirror div[data-type="formulaSymbol"] { margin-left: 4em; font-size: 14px; }
.ProseMirror div[data-type="formulaText"] + div[data-type="formulaSymbol"]::before { content: "式中：\\A" attr(data-symbol) "——"; white-space: pre-wrap; }
.ProseMirror div[data-type="formulaSymbol"] + div[data-type="formulaSymbol"]::before { content: attr(data-symbol) "——"; }
.ProseMirror span.tb-xref::after { content: attr(data-label); color: #1864ab; text-decoration: underline dotted; }
.ProseMirror span.tb-xref-broken::after { color: #c92a2a; }
/* Placeholders in empty fields: ProseMirror renders an empty textblock as a lone trailing <br>. */
.ProseMirror :is(h2, figcaption, div[data-type]):has(> br.ProseMirror-trailingBreak:first-child)::after {
  color: #adb5bd; pointer-events: none; font-family: sans-serif; font-size: 13px; font-style: normal; }
.ProseMirror h2:has(> br.ProseMirror-trailingBreak:first-child)::after { content: "标题 Title"; }
.ProseMirror figcaption:has(> br.ProseMirror-trailingBreak:first-child)::after { content: "题名 Title"; }
.ProseMirror div[data-type="term"]:has(> br.ProseMirror-trailingBreak:first-child)::after { content: "术语 Term"; }
.ProseMirror div[data-type="termEnglish"]:has(> br.ProseMirror-trailingBreak:first-child)::after { content: "英文对应词 English"; }
.ProseMirror div[data-type="termAbbreviation"]:has(> br.ProseMirror-trailingBreak:first-child)::after { content: "缩略语（可选）"; }
.ProseMirror div[data-type="definition"]:has(> br.ProseMirror-trailingBreak:first-child)::after { content: "定义 Definition"; }
.ProseMirror div[data-type="termSource"]:has(> br.ProseMirror-trailingBreak:first-child)::after { content: "来源（可选）"; }
.ProseMirror div[data-type="formulaText"]:has(> br.ProseMirror-trailingBreak:first-child)::before { content: "公式 Formula"; color: #adb5bd; }
.ProseMirror div[data-type="referenceEntry"]:has(> br.ProseMirror-trailingBreak:first-child)::after { content: "文件名称 Title"; }
.ProseMirror div[data-type="bibliographyEntry"]:has(> br.ProseMirror-trailingBreak:first-child)::after { content: "参考文献 Reference"; }
.ProseMirror .tb-flash { animation: tb-flash 1.2s ease-out; }
@keyframes tb-flash { from { background: #ffec99; } to { background: transparent; } }
.ProseMirror-yjs-cursor { position: relative; margin-left: -1px; margin-right: -1px; border-left: 1px solid black; border-right: 1px solid black;
  border-color: orange; word-break: normal; pointer-events: none; }
.ProseMirror-yjs-cursor > div { position: absolute; top: -1.05em; left: -1px; font-size: 12px; font-family: sans-serif; font-style: normal;
  font-weight: normal; line-height: normal; user-select: none; color: white; padding: 0 3px; white-space: nowrap; text-indent: 0; }
.ProseMirror-gapcursor { display: none; pointer-events: none; position: absolute; }
.ProseMirror-gapcursor:after { content: ""; display: block; position: absolute; top: -2px; width: 20px; border-top: 1px solid black; animation: ProseMirror-cursor-blink 1.1s steps(2, start) infinite; }
@keyframes ProseMirror-cursor-blink { to { visibility: hidden; } }
.ProseMirror-focused .ProseMirror-gapcursor { display: block; }
.tb-findings { margin: 0 0 12px 0; }
.tb-findings-summary { margin: 2px 0 4px; color: #555; }
.tb-findings[data-errors]:not([data-errors="0"]) .tb-findings-summary { color: #c92a2a; }
.tb-findings-list { list-style: none; padding: 0; margin: 0; max-height: 40vh; overflow: auto; }
.tb-finding-item { padding: 3px 4px; margin: 2px 0; border-left: 3px solid #f59f00; background: #fff9db; cursor: pointer; line-height: 1.4; }
.tb-finding-item-error { border-left-color: #e03131; background: #fff5f5; }
.tb-finding-item:hover, .tb-finding-item:focus { outline: 1px solid #adb5bd; }
.tb-finding-fix { font: inherit; font-size: 12px; margin-left: 4px; padding: 0 6px; cursor: pointer; }
.tb-finding-badge { font-size: 11px; margin-right: 4px; color: #8a6d00; }
.tb-finding-item-error .tb-finding-fix { font: inherit; font-size: 12px; margin-left: 4px; padding: 0 6px; cursor: pointer; }
.tb-finding-badge { color: #c92a2a; }
.ProseMirror .tb-finding { border-left: 3px solid #f59f00; padding-left: 6px; margin-left: -9px; }
.ProseMirror .tb-finding-error { border-left-color: #e03131; }
.tb-dialog { position: fixed; inset: 20% 30% auto 30%; background: white; border: 1px solid #888; padding: 12px; z-index: 20; max-height: 60vh; overflow: auto; box-shadow: 0 4px 20px rgba(0,0,0,.2); }
.tb-dialog button { display: block; width: 100%; text-align: left; border: none; background: none; padding: 2px 4px; cursor: pointer; font: inherit; }
.tb-dialog button:hover { background: #e7f5ff; }
.tb-threads { border-bottom: 1px solid #ddd; padding-bottom: 8px; margin-bottom: 8px; }
.tb-thread-bar { display: flex; gap: 4px; align-items: center; }
.tb-thread-bar button, .tb-thread-bar select, .tb-threads button { font: inherit; font-size: 12px; padding: 1px 6px; }
.tb-thread-error { color: #c92a2a; margin: 4px 0; }
.tb-thread { border: 1px solid #e9ecef; border-left: 3px solid #f08c00; border-radius: 4px; padding: 4px 6px; margin: 6px 0; background: #fff; }
.tb-thread[data-status="resolved"] { border-left-color: #adb5bd; opacity: .8; }
.tb-thread--active { box-shadow: 0 0 0 2px #ffd43b; }
.tb-thread-head { cursor: pointer; }
.tb-thread-quote { margin: 2px 0; padding-left: 6px; border-left: 2px solid #ffe066; color: #555; max-height: 4.5em; overflow: hidden; }
.tb-thread-deleted { margin: 2px 0; color: #c92a2a; }
.tb-thread-text, .tb-thread-state { margin: 2px 0; white-space: pre-wrap; }
.tb-thread-state { color: #868e96; }
.tb-thread-replies { list-style: none; margin: 2px 0; padding-left: 8px; white-space: pre-wrap; }
.tb-thread-input { width: 100%; box-sizing: border-box; font: inherit; font-size: 12px; }
.tb-thread-people button { display: block; width: 100%; text-align: left; border: none; background: #f1f3f5; }
.ProseMirror .tb-thread-mark { background: #fff3bf; border-bottom: 2px solid #fcc419; }
.ProseMirror .tb-thread-mark--active { background: #ffd43b; }
`;

/** Adds the stylesheet `css` to the page once (known by its element id). */
export function injectStyleOnce(doc: Document, id: string, css: string): void {
  if (doc.getElementById(id)) return;
  const style = doc.createElement('style');
  style.id = id;
  style.textContent = css;
  doc.head.appendChild(style);
}

/** Adds the editor's stylesheet to the page once. */
export function injectStyles(doc: Document): void {
  injectStyleOnce(doc, 'tb-editor-style', EDITOR_CSS);
}
