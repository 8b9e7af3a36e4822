// Decisions of the bureaus and refusals: return then approve, reject ends the standard, numbers unique per
// province and year, withdrawal releases reservations, release waits for documents, and what the service
// answers to unknown ids, bad payloads and operator injection.
import { listNotificationsOfStandard } from '../../activities/data/notifications';
import { numbersOfStandard } from '../../activities/data/numbers';
import { getStandard, listStandards } from '../../activities/data/standards';
import { chinaToday } from '../../workflows/dates';
import { actors, chinaTodayNow, driveToApproval, numberFor, regulatorOf, sampleProposal, startHarness, unavailableReleaseDocuments, waitForState, type Harness } from './support';

let h: Harness;
beforeAll(async () => {
  h = await startHarness('decisions');
});
afterAll(async () => {
  if (h) expect(await h.replayAll()).toBeGreaterThan(0);
  await h?.close();
});

test('a bureau returns the proposal with a reason; the lead resubmits; all three decide again and approve', async () => {
  const { _id: id } = await h.service.propose(sampleProposal, actors.shEco);
  await h.service.act(id, 'decideInitiation', { province: 'SH', decision: 'approve' }, actors.shReg);
  await expect(h.service.act(id, 'decideInitiation', { province: 'JS', decision: 'return' }, actors.jsReg)).rejects.toMatchObject({ code: 'VALIDATION_FAILED', status: 400 });
  let s = await h.service.act(id, 'decideInitiation', { province: 'JS', decision: 'return', reason: '范围需与江苏现行标准衔接' }, actors.jsReg);
  expect([s.stage, s.step, s.provinces.JS.decision]).toEqual(['initiation', 'returned', 'returned']);
  // While returned, no bureau decides.
  await expect(h.service.act(id, 'decideInitiation', { province: 'ZJ', decision: 'approve' }, actors.zjReg)).rejects.toMatchObject({ code: 'STAGE_CONFLICT', status: 409 });
  // Only the lead department resubmits.
  await expect(h.service.act(id, 'resubmit', {}, actors.jsEco)).rejects.toMatchObject({ code: 'FORBIDDEN', status: 403 });
  s = await h.service.act(id, 'resubmit', { reason: '已修改范围' }, actors.shEco);
  expect(s.step).toBe('awaitingDecisions');
  expect(s.pendingProvinces).toEqual(['SH', 'JS', 'ZJ']);
  for (const p of ['SH', 'JS', 'ZJ'] as const) s = await h.service.act(id, 'decideInitiation', { province: p, decision: 'approve' }, regulatorOf[p]);
  expect(s.stage).toBe('drafting');
  const timeline = await h.service.timeline(id);
  expect(timeline.find((e) => e.step === 'returned')).toMatchObject({ role: 'marketRegulator', reason: '范围需与江苏现行标准衔接', actor: { userId: 'u-js-reg' } });
});

test('a bureau rejects the proposal and the standard ends, withdrawn with the rejecting bureau named', async () => {
  const { _id: id } = await h.service.propose(sampleProposal, actors.shEco);
  const s = await h.service.act(id, 'decideInitiation', { province: 'ZJ', decision: 'reject', reason: '与浙江已有标准重复' }, actors.zjReg);
  expect([s.stage, s.step, s.rejectedBy]).toEqual(['withdrawn', 'ended', 'ZJ']);
  expect(s.endReason).toBe('rejected by ZJ: 与浙江已有标准重复');
  const result = await h.client.workflow.getHandle(`standard-${id}`).result();
  expect(result.stage).toBe('withdrawn');
  expect(await getStandard(h.db, id)).toMatchObject({ stage: 'withdrawn', rejectedBy: 'ZJ', endReason: 'rejected by ZJ: 与浙江已有标准重复' });
  // After the end: nobody acts any more; a stranger still hears "not your role".
  await expect(h.service.act(id, 'decideInitiation', { province: 'SH', decision: 'approve' }, actors.shReg)).rejects.toMatchObject({ code: 'STAGE_CONFLICT' });
  await expect(h.service.act(id, 'withdraw', { reason: 'x' }, actors.expert)).rejects.toMatchObject({ code: 'FORBIDDEN' });
});

test('two standards cannot get the same number in one province and year: the second approval is refused', async () => {
  const [a, b] = await Promise.all([driveToApproval(h), driveToApproval(h)]);
  const n = numberFor('JS', 320555);
  await h.service.act(a, 'decideApproval', { province: 'JS', decision: 'approve', number: n }, actors.jsReg);
  await expect(h.service.act(b, 'decideApproval', { province: 'JS', decision: 'approve', number: n }, actors.jsReg)).rejects.toMatchObject({
    code: 'DUPLICATE_NUMBER',
    status: 409,
    messages: { zh: expect.stringContaining(n) as string },
  });
  // The refused standard still waits for JS; another number goes through; the same sequence in SH is fine.
  const s = await h.service.act(b, 'decideApproval', { province: 'JS', decision: 'approve', number: numberFor('JS', 320556) }, actors.jsReg);
  expect(s.provinces.JS).toMatchObject({ decision: 'approved', number: numberFor('JS', 320556) });
  await h.service.act(b, 'decideApproval', { province: 'SH', decision: 'approve', number: numberFor('SH', 320555) }, actors.shReg);
  // A number of the wrong province or without /T for a recommended standard is refused as bad input.
  await expect(h.service.act(b, 'decideApproval', { province: 'ZJ', decision: 'approve', number: numberFor('SH', 1234) }, actors.zjReg)).rejects.toMatchObject({ code: 'VALIDATION_FAILED' });
  await expect(h.service.act(b, 'decideApproval', { province: 'ZJ', decision: 'approve', number: `DB33 12345—${chinaTodayNow().slice(0, 4)}` }, actors.zjReg)).rejects.toMatchObject({ code: 'VALIDATION_FAILED' });
  await expect(h.service.act(b, 'decideApproval', { province: 'ZJ', decision: 'approve' }, actors.zjReg)).rejects.toMatchObject({ code: 'VALIDATION_FAILED' });
  // A bureau decides only for its own province.
  await expect(h.service.act(b, 'decideApproval', { province: 'ZJ', decision: 'approve', number: numberFor('ZJ', 1001) }, actors.shReg)).rejects.toMatchObject({ code: 'FORBIDDEN' });
});

test('two bureaus racing for one number: exactly one wins', async () => {
  const [a, b] = await Promise.all([driveToApproval(h), driveToApproval(h)]);
  const n = numberFor('ZJ', 339001);
  const results = await Promise.allSettled([
    h.service.act(a, 'decideApproval', { province: 'ZJ', decision: 'approve', number: n }, actors.zjReg),
    h.service.act(b, 'decideApproval', { province: 'ZJ', decision: 'approve', number: n }, actors.zjReg),
  ]);
  expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
  expect(results.filter((r) => r.status === 'rejected').map((r) => (r as PromiseRejectedResult).reason.code)).toEqual(['DUPLICATE_NUMBER']);
});

test('a bureau returns the 报批稿: every reservation of that standard is released and the numbers can be used again', async () => {
  const id = await driveToApproval(h);
  await h.service.act(id, 'decideApproval', { province: 'SH', decision: 'approve', number: numberFor('SH', 317001) }, actors.shReg);
  await h.service.act(id, 'decideApproval', { province: 'JS', decision: 'approve', number: numberFor('JS', 327001) }, actors.jsReg);
  expect(await numbersOfStandard(h.db, id)).toHaveLength(2);
  let s = await h.service.act(id, 'decideApproval', { province: 'ZJ', decision: 'return', reason: '附录B需补充' }, actors.zjReg);
  expect([s.stage, s.step]).toEqual(['approval', 'returned']);
  expect(s.provinces.SH.number).toBeUndefined();
  expect(await numbersOfStandard(h.db, id)).toHaveLength(0);
  s = await h.service.act(id, 'resubmit', {}, actors.shEco);
  expect(s.pendingProvinces).toEqual(['SH', 'JS', 'ZJ']);
  // The released number is free again (here for the same standard).
  s = await h.service.act(id, 'decideApproval', { province: 'SH', decision: 'approve', number: numberFor('SH', 317001) }, actors.shReg);
  expect(s.provinces.SH.number).toBe(numberFor('SH', 317001));
  // Withdrawal in approval releases the reservations too.
  s = await h.service.act(id, 'withdraw', { reason: '并入国家标准制订' }, actors.exec);
  expect([s.stage, s.endReason]).toEqual(['withdrawn', '并入国家标准制订']);
  expect(await numbersOfStandard(h.db, id)).toHaveLength(0);
});

test('release dates in the past and implementation before release are refused; today publishes at once', async () => {
  const id = await driveToApproval(h);
  await expect(h.service.act(id, 'setReleaseDates', { releaseDate: '2020-01-01', implementationDate: '2020-02-01' }, actors.exec)).rejects.toMatchObject({ code: 'VALIDATION_FAILED' });
  const today = chinaTodayNow();
  await expect(h.service.act(id, 'setReleaseDates', { releaseDate: today, implementationDate: '2020-02-01' }, actors.exec)).rejects.toMatchObject({ code: 'VALIDATION_FAILED' });
  await expect(h.service.act(id, 'setReleaseDates', { releaseDate: today, implementationDate: today }, actors.shEco)).rejects.toMatchObject({ code: 'FORBIDDEN' });
  // A future implementation date: published today, publicity runs, completing it waits for the date.
  const next = chinaToday(Date.now() + 40 * 86400e3);
  await h.service.act(id, 'setReleaseDates', { releaseDate: today, implementationDate: next }, actors.exec);
  for (const p of ['SH', 'JS', 'ZJ'] as const) await h.service.act(id, 'decideApproval', { province: p, decision: 'approve', number: numberFor(p, 300100 + p.charCodeAt(0)) }, regulatorOf[p]);
  let s = await waitForState(h, id, (x) => x.stage === 'publicity');
  expect(s.step).toBe('running');
  expect(s.implementationDate).toBe(next);
  s = await h.service.act(id, 'recordPublicityEvent', { eventId: 'qa-session' }, actors.jsEco);
  await expect(h.service.act(id, 'completePublicity', {}, actors.jsEco)).rejects.toMatchObject({ code: 'FORBIDDEN' });
  s = await h.service.act(id, 'completePublicity', { reason: '三地培训完成' }, actors.exec);
  expect([s.stage, s.step, s.publicityDone, s.publicityEvents]).toEqual(['publicity', 'awaitingImplementation', true, 1]);
  // The list projection shows it, by stage and by lead province.
  expect((await listStandards(h.db, { stage: 'publicity' })).map((r) => r._id)).toContain(id);
  expect((await listStandards(h.db, { leadProvince: 'SH', stage: 'publicity' }))[0]).toMatchObject({ _id: id, step: 'awaitingImplementation', implementationDate: next });
  await h.service.act(id, 'withdraw', { reason: '测试结束' }, actors.shEco);
});

test('the service answers unknown ids, unknown actions, bad payloads and operator injection with 4xx and stores nothing', async () => {
  await expect(h.service.act('no-such-standard', 'withdraw', { reason: 'x' }, actors.shEco)).rejects.toMatchObject({ code: 'NOT_FOUND', status: 404 });
  await expect(h.service.state('no-such-standard')).rejects.toMatchObject({ code: 'NOT_FOUND' });
  await expect(h.service.timeline('{"$gt":""}')).rejects.toMatchObject({ code: 'NOT_FOUND' });
  const { _id: id } = await h.service.propose(sampleProposal, actors.shEco);
  const before = (await h.service.timeline(id)).length;
  await expect(h.service.act(id, 'fly' as never, {}, actors.shEco)).rejects.toMatchObject({ code: 'NOT_FOUND' });
  await expect(h.service.act(id, 'decideInitiation', { province: { $ne: 'XX' }, decision: 'approve' }, actors.shReg)).rejects.toMatchObject({ code: 'VALIDATION_FAILED', status: 400 });
  await expect(h.service.act(id, 'withdraw', { reason: { $gt: '' } }, actors.shEco)).rejects.toMatchObject({ code: 'VALIDATION_FAILED' });
  await expect(h.service.act(id, 'withdraw', { reason: 'ok', actor: actors.exec }, actors.expert)).rejects.toMatchObject({ code: 'VALIDATION_FAILED' });
  await expect(h.service.act(id, 'withdraw', {}, actors.shEco)).rejects.toMatchObject({ code: 'VALIDATION_FAILED' });
  await expect(h.service.act(id, 'withdraw', { reason: 'x'.repeat(2001) }, actors.shEco)).rejects.toMatchObject({ code: 'VALIDATION_FAILED' });
  await expect(h.service.propose({ ...sampleProposal, titleZh: { $gt: '' } } as never, actors.shEco)).rejects.toMatchObject({ code: 'VALIDATION_FAILED' });
  await expect(h.service.propose(sampleProposal, actors.shReg)).rejects.toMatchObject({ code: 'FORBIDDEN' });
  expect(await h.service.timeline(id)).toHaveLength(before);
  expect((await h.service.state(id)).revision).toBe(0);
});

test('without a DOCX generator the release does not complete: it parks with a notification and retries', async () => {
  const parked = await startHarness('parked', {
    durations: { commentPeriodMs: 300, reminderIntervalMs: 700, filingReminderMs: 60_000, reviewIntervalMs: 60_000 },
    seams: () => unavailableReleaseDocuments(),
  });
  try {
    const id = await driveToApproval(parked);
    const today = chinaTodayNow();
    await parked.service.act(id, 'setReleaseDates', { releaseDate: today, implementationDate: today }, actors.exec);
    for (const p of ['SH', 'JS', 'ZJ'] as const) await parked.service.act(id, 'decideApproval', { province: p, decision: 'approve', number: numberFor(p, 360000 + p.charCodeAt(1)) }, regulatorOf[p]);
    await waitForState(parked, id, (x) => x.step === 'generatingDocuments');
    // Parked, it keeps retrying and notifying (every reminder interval); a loaded machine may take a while.
    let blocked: Awaited<ReturnType<typeof listNotificationsOfStandard>> = [];
    for (const deadline = Date.now() + 30_000; Date.now() < deadline; await new Promise((r) => setTimeout(r, 250))) {
      blocked = (await listNotificationsOfStandard(parked.db, id)).filter((n) => n.kind === 'releaseBlocked');
      if (blocked.length >= 2) break;
    }
    const s = await parked.service.state(id);
    expect([s.stage, s.step, s.publishedAt]).toEqual(['release', 'generatingDocuments', undefined]);
    expect(blocked.length).toBeGreaterThanOrEqual(2);
    expect(blocked[0]).toMatchObject({ messageEn: expect.stringContaining('DOCX generator is not installed') as string, recipients: [{ role: 'executiveCommittee' }, { role: 'admin' }] });
    expect((await getStandard(parked.db, id))?.publishedAt).toBeUndefined();
    // Numbers stay reserved, not published; withdrawing releases them.
    expect((await numbersOfStandard(parked.db, id)).map((n) => n.status)).toEqual(['reserved', 'reserved', 'reserved']);
    await parked.service.act(id, 'withdraw', { reason: '测试结束' }, actors.exec);
    expect(await numbersOfStandard(parked.db, id)).toHaveLength(0);
    expect(await parked.replayAll()).toBeGreaterThan(0);
  } finally {
    await parked.close();
  }
}, 60_000);
