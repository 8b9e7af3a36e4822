// The workflows the worker registers (its workflowsPath).
export { lifecycleWorkflow } from './lifecycle';
export { updateFloorWorkflow } from './update-floor';
export { technicalReviewWorkflow } from './technical-review';
export { notificationMailWorkflow } from './notification-mail';
