// The editor reads its configuration from the host element's data attributes and refuses bad values.
import { readConfig } from '../../editor/browser/config';

const host = (dataset: Record<string, string>): HTMLElement => ({ dataset }) as unknown as HTMLElement;
const loc = (protocol: string, host: string): Location => ({ protocol, host }) as Location;

describe('editor configuration', () => {
  it('derives the socket URL from the page and the colour from the province', () => {
    const c = readConfig(host({ doc: 'standard:abc', userName: '张三', userProvince: 'ZJ' }), loc('https:', 'tb.example.cn'));
    expect(c.collabUrl).toBe('wss://tb.example.cn/collab');
    expect(c.userColor).toBe('#2f9e44');
    expect(c.readonly).toBe(false);
    expect(c.lang).toBe('zh');
  });

  it('takes explicit colour, read-only flag, socket parameters and upload settings', () => {
    const c = readConfig(
      host({ doc: 'd1', userName: 'a', userColor: '#123456', readonly: 'true', collabUrl: 'ws://h:1/collab', collabParams: 'user=a&x=1', uploadUrl: '/up', csrfToken: 't', lang: 'en' }),
      loc('http:', 'h'),
    );
    expect(c).toMatchObject({ userColor: '#123456', readonly: true, collabUrl: 'ws://h:1/collab', collabParams: { user: 'a', x: '1' }, uploadUrl: '/up', csrfToken: 't', lang: 'en' });
  });

  it('refuses a missing document name or user, or a document name the server would reject', () => {
    expect(() => readConfig(host({ userName: 'a' }), loc('http:', 'h'))).toThrow();
    expect(() => readConfig(host({ doc: 'd' }), loc('http:', 'h'))).toThrow();
    expect(() => readConfig(host({ doc: '../x', userName: 'a' }), loc('http:', 'h'))).toThrow();
  });

  it('drops a bad colour, province or language instead of refusing to start', () => {
    const c = readConfig(host({ doc: 'd', userName: 'a', userColor: 'red', userProvince: 'XX', lang: 'fr' }), loc('http:', 'h'));
    expect(c).toMatchObject({ userColor: '#7048e8', lang: 'zh' });
    expect(c.userProvince).toBeUndefined();
  });
});
