import { loadConfig } from '../../../server/infra/config';
import { AppError } from '../../../activities/infra/errors';

describe('loadConfig', () => {
  it('gives sensible defaults for an empty environment', () => {
    const c = loadConfig({});
    expect(c.PORT).toBe(3000);
    expect(c.MONGODB_URI).toBeUndefined();
    expect(c.TEMPORAL_ADDRESS).toBeUndefined();
    expect(c.TEMPORAL_NAMESPACE).toBe('default');
  });

  it('treats an empty address as unset so the embedded server is used', () => {
    expect(loadConfig({ MONGODB_URI: '  ' }).MONGODB_URI).toBeUndefined();
  });

  it('refuses a bad port, naming the variable in Chinese and English', () => {
    let err: unknown;
    try {
      loadConfig({ PORT: 'eighty' });
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(AppError);
    const e = err as AppError;
    expect(e.code).toBe('CONFIG_INVALID');
    expect(e.messages.zh).toContain('PORT');
    expect(e.messages.en).toContain('PORT');
  });

  it('refuses a TLS certificate without its key', () => {
    expect(() => loadConfig({ TEMPORAL_TLS_CERT: '/x.pem' })).toThrow(/TEMPORAL_TLS_CERT/);
  });
});
