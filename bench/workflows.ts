// The benchmark worker's workflow bundle: every production workflow (workflows/index.ts) plus the floor
// workflow only the benchmark runs (bench/update-floor.ts), so the production bundle holds production
// workflows only. bench/lifecycle.ts bundles this file as its workflowsPath.
export * from '../workflows/index';
export { updateFloorWorkflow } from './update-floor';
