// Custom search attributes of the lifecycle workflow. Registered with the embedded dev server at start;
// on a real cluster an operator registers them once (README). Lists read these or the MongoDB projection.

export const SEARCH_ATTRIBUTES = {
  /** The current stage code, e.g. `publicComment`. */
  TongbiaoStage: 'Keyword',
  /** Provinces (SH, JS, ZJ) whose decision the current stage still waits for. */
  TongbiaoPendingProvinces: 'KeywordList',
} as const;

import { defineSearchAttributeKey, SearchAttributeType } from '@temporalio/common';

/** Typed keys for upserting from the workflow and for starting it with initial values. */
export const STAGE_SEARCH_ATTRIBUTE = defineSearchAttributeKey('TongbiaoStage', SearchAttributeType.KEYWORD);
export const PENDING_PROVINCES_SEARCH_ATTRIBUTE = defineSearchAttributeKey('TongbiaoPendingProvinces', SearchAttributeType.KEYWORD_LIST);
