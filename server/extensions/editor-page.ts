// The co-editing page of a standard's draft: a server-rendered frame that hosts the browser editor
// (public/build/editor.js). Access (edit / read / none) comes from the same rule the collaboration
// server applies, so the page and the socket never disagree.
import type { Db } from 'mongodb';
import type { AppExtensionContext } from '../app-deps';
import { draftPermission, threadPermission } from '../../workflows/draft-access';
import { suggestOnlyPermission } from '../../workflows/suggest-access';
import { getStandard } from '../../activities/data/standards';
import { userOf } from '../http/principal';
import { csrfTokenOf } from '../http/csrf';
import { AppError } from '../../activities/infra/errors';
import { draftDocName, PROVINCES, type Province, type StandardRecord } from '../../workflows/domain';

const ID = /^[A-Za-z0-9_-]{1,80}$/;

export async function loadStandardOr404(db: Db, id: string): Promise<StandardRecord & { step?: string }> {
  const standard = ID.test(id) ? await getStandard(db, id) : null;
  if (!standard) throw new AppError('NOT_FOUND', { zh: `未找到标准 ${id}`, en: `No standard ${id}` });
  return standard as StandardRecord & { step?: string };
}

export function editorPageExtension(deps: { db: Db }) {
  return ({ app, requireUser }: AppExtensionContext): void => {
    app.get('/standards/:id/draft', requireUser, async (req, res) => {
      const user = userOf(req);
      const standard = await loadStandardOr404(deps.db, String(req.params.id));
      const access = draftPermission(user.grants, standard);
      if (access === 'none') throw new AppError('FORBIDDEN', { zh: '您无权查看此草案', en: 'You may not view this draft' });
      const province = user.grants.map((g) => g.province).find((p): p is Province => p !== undefined && PROVINCES.includes(p));
      res.render('editor.njk', {
        standard,
        access,
        docName: draftDocName(standard._id),
        userProvince: province ?? '',
        csrf: csrfTokenOf(req),
        // Resolving threads (server/extensions/draft-threads.ts) is for the drafting group and the lead department.
        canResolveThreads: threadPermission('resolve', user.grants, standard).ok,
        // Experts and bureaus propose changes in suggestion mode (issue 15; the socket checks it, server/collab/suggest-guard.ts).
        suggestOnly: access === 'read' && suggestOnlyPermission(user.grants, standard),
      });
    });
  };
}
