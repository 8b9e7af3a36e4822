// The workflows the worker registers (its workflowsPath).
export { lifecycleWorkflow } from './lifecycle';
export { technicalReviewWorkflow } from './technical-review';
export { notificationMailWorkflow } from './notification-mail';
