// The lifecycle worker the runtime starts carries the configured cache size (TEMPORAL_MAX_CACHED_WORKFLOWS), not
// the SDK's default that grows with the heap limit; and the setting is validated like every other.
import { loadConfig } from '../../../server/infra/config';
import { AppError } from '../../../activities/infra/errors';
import { startTestRuntime } from '../../support/test-runtime';
import type { Runtime } from '../../../server/runtime';

describe('worker options from the configuration', () => {
  let rt: Runtime | undefined;
  const before = process.env.TEMPORAL_MAX_CACHED_WORKFLOWS;
  afterAll(async () => {
    if (before === undefined) delete process.env.TEMPORAL_MAX_CACHED_WORKFLOWS;
    else process.env.TEMPORAL_MAX_CACHED_WORKFLOWS = before;
    await rt?.stop();
  });

  it('the running worker keeps at most the configured number of lifecycles', async () => {
    process.env.TEMPORAL_MAX_CACHED_WORKFLOWS = '7';
    rt = await startTestRuntime('workeropts');
    expect(rt.worker).toBeDefined();
    expect(rt.worker!.options.maxCachedWorkflows).toBe(7);
  }, 120_000);

  it('defaults to 250 and refuses what the SDK would not take, in Chinese and English', () => {
    expect(loadConfig({}).TEMPORAL_MAX_CACHED_WORKFLOWS).toBe(250);
    for (const bad of ['1', '0', '-3', 'many', '20000']) {
      let err: unknown;
      try {
        loadConfig({ TEMPORAL_MAX_CACHED_WORKFLOWS: bad });
      } catch (e) {
        err = e;
      }
      expect(err).toBeInstanceOf(AppError);
      expect((err as AppError).messages.zh).toContain('TEMPORAL_MAX_CACHED_WORKFLOWS');
      expect((err as AppError).messages.en).toContain('TEMPORAL_MAX_CACHED_WORKFLOWS');
    }
  });
});
