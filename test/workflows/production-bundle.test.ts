// The production worker's bundle (workflows/index.ts, what `npm start` and the tests register) holds the
// production workflows only; the benchmark's floor workflow lives in the benchmark's own bundle.
import * as production from '../../workflows/index';
import * as bench from '../../bench/workflows';
import { sharedBundle } from './support';

test('the production workflows are the lifecycle and its children, not the benchmark floor', async () => {
  expect(Object.keys(production)).toContain('lifecycleWorkflow');
  expect(Object.keys(production)).not.toContain('updateFloorWorkflow');
  const { code } = await sharedBundle();
  expect(code).toContain('lifecycleWorkflow');
  expect(code).not.toContain('updateFloorWorkflow');
}, 60_000);

test("the benchmark's bundle entry adds the floor to every production workflow", () => {
  expect(Object.keys(bench).sort()).toEqual([...Object.keys(production), 'updateFloorWorkflow'].sort());
});
