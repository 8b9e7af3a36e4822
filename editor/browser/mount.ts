// Mounts the co-editing editor into its host element: connects a Yjs document to the collaboration server
// with y-websocket's provider, waits for the first sync (seeding a new draft's skeleton if the document is
// empty), then builds the ProseMirror view with y-prosemirror's sync, cursor and undo plugins, the id and
// numbering plugins, and the toolbar, outline, presence and properties panes. The save indicator follows
// the server's `stored` acknowledgements (editor/collab/save-tracker.ts); the server's `access` message switches
// read-only on and off.
import * as Y from 'yjs';
import { WebsocketProvider } from 'y-websocket';
import { ySyncPlugin, ySyncPluginKey, yCursorPlugin, yUndoPlugin } from 'y-prosemirror';
import { EditorState, type Command, type Transaction } from 'prosemirror-state';
import { EditorView } from 'prosemirror-view';
import type { Node as PMNode } from 'prosemirror-model';
import { dropCursor } from 'prosemirror-dropcursor';
import { gapCursor } from 'prosemirror-gapcursor';
import { tableEditing } from 'prosemirror-tables';
import { schema } from '../schema';
import { idPlugin } from '../ids';
import { numberingPlugin, currentNumbering } from '../decorations';
import { editorKeymaps } from '../keymap';
import { insertFigure, setNodeAttrs } from '../commands';
import { YJS_FRAGMENT, isEmptyYDoc, seedStandardUpdate } from '../ydoc';
import { repairPlugin } from '../repair';
import { trackSaveState, type SaveTracker } from '../collab/save-tracker';
import { CloseCode, closeReason } from '../collab/close-codes';
import type { Numbering } from '../numbering';
import type { Finding } from '../checker';
import type { EditorConfig } from './config';
import { translator } from './i18n';
import { injectStyles } from './styles';
import { h } from './dom';
import { createToolbar } from './toolbar';
import { createOutline, jumpTo } from './outline';
import { createPresence } from './presence';
import { createProperties } from './properties';
import { createFindingsPane, findingsPlugin } from './findings';
import { openXrefDialog } from './xref-dialog';
import { pickImageFile, uploadImage, UploadError } from './upload';
import { createThreadsPane, type ThreadsPane } from './threads';
import { threadHighlightsPlugin } from './thread-highlights';
import { suggestionsPlugin } from '../suggestions-plugin';
import { createSuggestPane, type SuggestPane } from './suggest-pane';
import { decideInEditor, undoCommand, redoCommand } from '../suggestions-undo';

/** Toolbar commands that restructure or format in place: not tracked as suggestions, so off for suggest-only users. */
const SUGGEST_ONLY_BLOCKED = new Set<string>(['promote', 'demote', 'indent', 'outdent', 'colAfter', 'deleteCol', 'bold', 'italic', 'sub', 'sup']);

/** How long after connecting a client waits before it may act as the repair leader. */
const LEADER_SETTLE_MS = 1500;

/** Close codes after which reconnecting cannot help. */
const FINAL_CLOSE_CODES = new Set<number>([CloseCode.UNAUTHORIZED, CloseCode.FORBIDDEN, CloseCode.UNKNOWN_DOCUMENT]);

export type EditorStatus = 'connecting' | 'saving' | 'saved' | 'offline' | 'readonly' | 'refused';

export interface EditorHandle {
  view: EditorView;
  ydoc: Y.Doc;
  provider: WebsocketProvider;
  tracker: SaveTracker;
  status(): EditorStatus;
  numbering(): Numbering;
  /** The drafting-rule findings of the last check (debounced after changes). */
  findings(): readonly Finding[];
  /** Runs the drafting-rule check now and returns its findings. */
  checkNow(): Finding[];
  jumpTo(id: string): boolean;
  /** The comment threads pane, when the page gives it a `data-threads-url`. */
  threads: ThreadsPane | null;
  /** The suggested changes pane and the 建议模式 toggle (issue 15). */
  suggestions: SuggestPane;
  destroy(): void;
}

/** What the page may do on events the editor cannot handle alone. */
export interface EditorHooks {
  /**
   * The server refused an update of this suggest-only user as not a suggestion (4403 'not a suggestion'):
   * `local` is the document as the author had it (holding what was refused), `by` the author's user id. The
   * editor is read-only from then on; the page reloads the room in a fresh editor (./refused-edit.ts).
   */
  onRefusedEdit?(local: PMNode, by: string): void;
}

export async function mountEditor(root: HTMLElement, config: EditorConfig, hooks: EditorHooks = {}): Promise<EditorHandle> {
  const doc = root.ownerDocument;
  const t = translator(config.lang);
  injectStyles(doc);
  root.classList.add('tb-editor');
  root.dataset.status = 'connecting';

  const ydoc = new Y.Doc();
  const provider = new WebsocketProvider(config.collabUrl, config.doc, ydoc, { params: config.collabParams, disableBc: true });
  provider.awareness.setLocalStateField('user', { name: config.userName, color: config.userColor, province: config.userProvince });
  const tracker = trackSaveState(provider);

  let refused = false;
  // The browser's own view of the network: a cut network often leaves the socket looking open for up to
  // 30 s (y-websocket's silence timeout), during which edits would show as 保存中… instead of offline.
  let online = doc.defaultView?.navigator.onLine ?? true;
  let readOnly = config.readonly;
  // A user who may only suggest (experts, bureaus: data-suggest-only) edits in suggestion mode only.
  const suggestOnly = root.dataset.suggestOnly === 'true';
  let view: EditorView | null = null;
  const statusEl = h(doc, 'span', { class: 'tb-status', 'data-status': 'connecting', role: 'status', 'aria-live': 'polite' }, t('connecting'));

  const computeStatus = (): EditorStatus => {
    if (refused) return 'refused';
    if (!root.dataset.synced) return 'connecting';
    if (readOnly) return 'readonly';
    if (!provider.wsconnected || !online) return 'offline';
    return tracker.state.saved ? 'saved' : 'saving';
  };
  const renderStatus = (): void => {
    const status = computeStatus();
    if (statusEl.dataset.status === status && root.dataset.status === status) return;
    statusEl.dataset.status = status;
    root.dataset.status = status;
    statusEl.textContent = t(status);
  };
  const setReadOnly = (value: boolean): void => {
    const changed = readOnly !== value || root.dataset.access === undefined;
    readOnly = value;
    // Awareness changes are broadcast to everyone: only announce a real change.
    // A suggest-only user never leads the repair of merged documents (its plain edits would be refused).
    if (changed) provider.awareness.setLocalStateField('canEdit', !value && !suggestOnly);
    root.dataset.access = value ? 'read' : 'edit';
    if (view) {
      view.setProps({ editable: () => !readOnly });
      refreshPanes(view);
    }
    renderStatus();
  };

  tracker.subscribe((s) => {
    if (s.access) setReadOnly(s.access === 'read');
    renderStatus();
  });
  let connectedSince = Date.now();
  provider.on('status', (event: { status: string }) => {
    if (event.status === 'connected') connectedSince = Date.now();
    renderStatus();
  });
  provider.on('connection-close', (event: CloseEvent | null) => {
    if (event && FINAL_CLOSE_CODES.has(event.code)) {
      // Access withdrawn (or never given): stop retrying and stop editing, since nothing would be stored.
      refused = true;
      provider.disconnect();
      setReadOnly(true);
      if (event.reason === closeReason.NOT_A_SUGGESTION && view) hooks.onRefusedEdit?.(view.state.doc, root.dataset.userId || config.userName);
    }
    renderStatus();
  });

  const win0 = doc.defaultView;
  const onOffline = (): void => {
    online = false;
    // Nothing gets through a cut network: close the socket now (y-websocket keeps retrying with back-off)
    // rather than wait for its timeout, so the edits are kept locally and resent by the sync on reconnect.
    provider.ws?.close();
    renderStatus();
  };
  const onOnline = (): void => {
    online = true;
    // Reconnect at once rather than at the end of the back-off.
    if (!refused && !provider.wsconnected) {
      provider.disconnect();
      provider.connect();
    }
    renderStatus();
  };
  win0?.addEventListener('offline', onOffline);
  win0?.addEventListener('online', onOnline);

  await new Promise<void>((resolve) => {
    if (provider.synced) resolve();
    else {
      const onSync = (synced: boolean): void => {
        if (!synced) return;
        provider.off('sync', onSync);
        resolve();
      };
      provider.on('sync', onSync);
    }
  });
  // A new draft: every client writes the same skeleton (same bytes), so concurrent seeding merges into one.
  if (isEmptyYDoc(ydoc)) Y.applyUpdate(ydoc, seedStandardUpdate());
  root.dataset.synced = 'true';

  const getView = (): EditorView => {
    if (!view) throw new Error('editor view not ready');
    return view;
  };

  const chooseImage = async (): Promise<string | null> => {
    if (!config.uploadUrl) return doc.defaultView?.prompt(t('imageUrl')) ?? null;
    const file = await pickImageFile(doc);
    if (!file) return null;
    return uploadImage(config.uploadUrl, file, config.csrfToken);
  };
  const reportUploadError = (error: unknown): void => {
    console.error(error);
    const reason = error instanceof UploadError && error.reason ? `${config.lang === 'zh' ? '：' : ': '}${error.reason[config.lang]}` : '';
    doc.defaultView?.alert(`${t('uploadFailed')}${reason}`);
  };
  const insertFigureAction = (v: EditorView): void => {
    chooseImage()
      .then((src) => {
        if (src !== null) insertFigure(src, '')(v.state, v.dispatch);
      })
      .catch(reportUploadError);
  };
  const replaceImage = (v: EditorView, figurePos: number): void => {
    const id = v.state.doc.nodeAt(figurePos)?.attrs.id as string | undefined;
    chooseImage()
      .then((src) => {
        if (src === null) return;
        // Re-find the figure by id: the document may have changed during the upload.
        let pos = -1;
        v.state.doc.descendants((node, p) => {
          if (pos < 0 && node.attrs.id === id) pos = p;
          return pos < 0;
        });
        if (pos >= 0) setNodeAttrs(pos, { src })(v.state, v.dispatch);
      })
      .catch(reportUploadError);
  };

  const undo: Command = undoCommand;
  const redo: Command = redoCommand;
  const statusHolder = statusEl;
  const toolbar = createToolbar(
    doc,
    getView,
    { t, undo, redo, insertFigure: insertFigureAction, chooseXref: (v) => openXrefDialog(doc, v, t('chooseTarget')), isBlocked: (key) => suggestOnly && SUGGEST_ONLY_BLOCKED.has(key) },
    statusHolder,
  );
  const outline = createOutline(doc, getView, t('outline'));
  const presence = createPresence(doc, provider.awareness, t('presence'), t('you'));
  const properties = createProperties(doc, t, replaceImage);
  const findings = createFindingsPane(doc, t, config.lang);
  // Comment threads (./threads.ts): over HTTP, so they work in read-only mode too.
  const threadsUrl = root.dataset.threadsUrl ?? '';
  const threads = /^\/api\/standards\/[A-Za-z0-9_-]{1,80}\/threads$/.test(threadsUrl)
    ? createThreadsPane(doc, getView, { url: threadsUrl, csrfToken: config.csrfToken, lang: config.lang, canResolve: root.dataset.threadResolve === 'true', ydoc, type: ydoc.getXmlFragment(YJS_FRAGMENT) })
    : null;
  const suggestions = createSuggestPane(doc, getView, {
    lang: config.lang,
    canResolve: !suggestOnly,
    suggestOnly,
    decide: (decision, sids, apply) => decideInEditor(getView().state, root.dataset.userId || config.userName, decision, sids, apply),
  });
  toolbar.element.insertBefore(suggestions.toggle, statusEl);
  const body = h(doc, 'div', { class: 'tb-body' });
  const side = h(doc, 'div', { class: 'tb-side' }, ...(threads ? [threads.element] : []), suggestions.element, findings.element, presence.element, properties.element);
  root.replaceChildren(toolbar.element, outline.element, body, side);
  // The outline and the side pane stick just below the (sticky, wrapping) toolbar: never under it.
  const toolbarHeight = (): void => root.style.setProperty('--tb-toolbar-height', `${toolbar.element.offsetHeight}px`);
  toolbarHeight();
  const resizeObserver = typeof ResizeObserver === 'undefined' ? null : new ResizeObserver(toolbarHeight);
  resizeObserver?.observe(toolbar.element);

  // Panes follow the editor at most once per frame: with many co-authors, remote transactions arrive far
  // more often than anyone can see the toolbar change.
  let paneFrame: number | null = null;
  const refreshPanesNow = (v: EditorView): void => {
    paneFrame = null;
    const editable = !readOnly;
    toolbar.update(v, editable);
    outline.update(currentNumbering(v.state).outline);
    properties.update(v, editable);
    suggestions.update(v, editable);
  };
  const win = doc.defaultView;
  const refreshPanes = (v: EditorView): void => {
    if (paneFrame !== null) return;
    if (!win) refreshPanesNow(v);
    else paneFrame = win.requestAnimationFrame(() => refreshPanesNow(v));
  };

  const isRemote = (tr: Transaction): boolean => (tr.getMeta(ySyncPluginKey) as { isChangeOrigin?: boolean } | undefined)?.isChangeOrigin === true;
  view = new EditorView(body, {
    state: EditorState.create({
      schema,
      plugins: [
        ySyncPlugin(ydoc.getXmlFragment(YJS_FRAGMENT)),
        yCursorPlugin(provider.awareness),
        yUndoPlugin(),
        ...editorKeymaps(undo, redo),
        suggestionsPlugin({
          user: { by: root.dataset.userId || config.userName, name: config.userName, province: config.userProvince ?? '' },
          on: suggestOnly,
          forced: suggestOnly,
        }),
        idPlugin(),
        numberingPlugin(),
        findingsPlugin(),
        threadHighlightsPlugin({ isRemote, resolveAll: (d) => threads?.resolveAll(d) ?? null }),
        repairPlugin({ isLeader: () => isRepairLeader(provider, connectedSince), isRemote }),
        tableEditing(),
        dropCursor(),
        gapCursor(),
      ],
    }),
    editable: () => !readOnly,
    // `this` is the view: y-prosemirror dispatches from inside the EditorView constructor, before `view` is assigned.
    dispatchTransaction(this: EditorView, tr) {
      this.updateState(this.state.apply(tr));
      refreshPanes(this);
      // Before the view exists (y-prosemirror's first sync) the first check below covers the changes.
      if (view) findings.noteChange(this, tr.docChanged);
      if (view && tr.docChanged) threads?.noteChange();
    },
  });
  setReadOnly(readOnly);
  refreshPanesNow(view);
  findings.checkNow(view);
  renderStatus();

  return {
    view,
    ydoc,
    provider,
    tracker,
    status: computeStatus,
    numbering: () => currentNumbering(getView().state),
    findings: () => findings.findings(),
    checkNow: () => findings.checkNow(getView()),
    jumpTo: (id) => jumpTo(getView(), id),
    threads,
    suggestions,
    destroy() {
      if (paneFrame !== null) win?.cancelAnimationFrame(paneFrame);
      resizeObserver?.disconnect();
      win0?.removeEventListener('offline', onOffline);
      win0?.removeEventListener('online', onOnline);
      presence.destroy();
      threads?.destroy();
      findings.destroy();
      tracker.destroy();
      view?.destroy();
      provider.destroy();
      ydoc.destroy();
    },
  };
}

/**
 * The one client that repairs documents merged out of shape: the connected editor with the smallest Yjs
 * client id, as this client's awareness sees it. Read-only clients never repair (the server drops their
 * updates).
 */
export function isRepairLeader(provider: WebsocketProvider, connectedSince: number): boolean {
  // Offline, a client sees only itself and would always lead; it repairs after reconnecting if still needed.
  if (!provider.wsconnected) return false;
  // Just connected, it may not have heard of the others yet (their awareness follows the sync): wait.
  if (Date.now() - connectedSince < LEADER_SETTLE_MS) return false;
  const me = provider.awareness.clientID;
  let leader = Infinity;
  provider.awareness.getStates().forEach((state, clientId) => {
    if ((state as { canEdit?: boolean }).canEdit === true && clientId < leader) leader = clientId;
  });
  return leader === me;
}
