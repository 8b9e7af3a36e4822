// The bureaus are told a new proposal awaits their decision (issue 12 item 2: "each bureau when its
// decision is due"). A proposal is not a recorded transition (the service writes revision 0 itself), so
// its "your turn" notices are written here, by the same rule as a transition's: the holders of the next
// actions the permission table lets act. Id `<standardId>:0:actionDue:<action>`: written once.
import type { Db } from 'mongodb';
import { recordNotification } from '../data/notifications';
import { holdersOf } from '../../workflows/holders';
import type { StandardRecord } from '../../workflows/domain';
import type { LifecycleState } from '../../workflows/messages';
import { recipientMayAct } from './transition-notices';

export async function recordProposalNotices(db: Db, record: StandardRecord): Promise<void> {
  const state = { ...record, standardId: record._id, publicityEvents: 0, publicityDone: false } as unknown as LifecycleState;
  for (const h of holdersOf(state, record.leadProvince)) {
    if (h.action !== 'decideInitiation') continue;
    const recipients = h.recipients.filter((r) => recipientMayAct(r, h.action, state, record.leadProvince));
    if (recipients.length === 0) continue;
    await recordNotification(db, {
      _id: `${record._id}:0:actionDue:${h.action}`,
      standardId: record._id,
      kind: 'actionDue',
      action: h.action,
      event: 'proposalSubmitted',
      recipients,
      stage: record.stage,
      ...(record.step ? { step: record.step } : {}),
      at: record.createdAt,
    });
  }
}
