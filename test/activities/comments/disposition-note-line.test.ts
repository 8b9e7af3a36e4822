// Issue 13 item 5: the 说明 line of the 征求意见汇总处理表 in the usual form — ①发送单位数 ②回函单位数
// ③有意见单位数 ④没有回函单位数 — with the count of units the draft was sent to as recorded in
// `consultationMailings`, and 「未记录」 (never a guess) when nothing is recorded.
import { dispositionTableCsv, footText, summarise } from '../../../activities/comments/disposition-table';
import { sampleDispositionInput } from '../../../activities/comments/sample';
import { consultationMailingSchema, createConsultationMailingStore } from '../../../activities/data/consultation-mailings';
import { freshMongo } from '../../support/mongo';

describe('the 说明 line of the 征求意见汇总处理表', () => {
  it('counts units sent to, replied, replied with comments and silent; individuals are not units', () => {
    const input = sampleDispositionInput();
    const s = summarise({ ...input, sentTo: 9 });
    expect(s.units).toBe(4);
    expect(footText(s)).toMatch(/^说明：①发送《征求意见稿》的单位数：9个；②收到《征求意见稿》后，回函的单位数：4个；③收到《征求意见稿》后，回函并有建议或意见的单位数：4个；④没有回函的单位数：5个。/);
    expect(footText(s)).toContain('来自4个单位和1名个人');
  });

  it('says 「未记录」 for ① and ④ when the count was not recorded', () => {
    const text = footText(summarise({ ...sampleDispositionInput(), sentTo: null }));
    expect(text).toContain('①发送《征求意见稿》的单位数：未记录；');
    expect(text).toContain('④没有回函的单位数：未记录。');
    expect(text).not.toMatch(/④没有回函的单位数：\d/);
  });

  it('puts the same line at the foot of the CSV', () => {
    const csv = dispositionTableCsv({ ...sampleDispositionInput(), sentTo: 4 });
    expect(csv).toContain('④没有回函的单位数：0个。');
  });

  it('stores the recorded count per standard and refuses what is not a whole number', async () => {
    const mongo = await freshMongo('mailings');
    try {
      const store = createConsultationMailingStore(mongo.db);
      await store.ensureIndexes();
      expect(await store.sentTo('std-a')).toBeNull();
      await store.save('std-a', consultationMailingSchema.parse({ sentTo: '15', units: '上海市环境监测中心\n苏州市环境监测站' }), 'u1');
      await store.save('std-a', consultationMailingSchema.parse({ sentTo: 16 }), 'u1');
      expect(await store.sentTo('std-a')).toBe(16);
      expect(await mongo.db.collection('consultationMailings').countDocuments({ standardId: 'std-a' })).toBe(1);
      for (const bad of [{ sentTo: -1 }, { sentTo: 2.5 }, { sentTo: 'abc' }, { sentTo: 3, extra: 1 }]) expect(consultationMailingSchema.safeParse(bad).success).toBe(false);
    } finally {
      await mongo.drop();
    }
  });
});
