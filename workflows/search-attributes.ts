// Custom search attributes of the lifecycle workflow. Registered with the embedded dev server at start;
// on a real cluster an operator registers them once (README). Lists read these or the MongoDB projection.

export const SEARCH_ATTRIBUTES = {
  /** The current stage code, e.g. `publicComment`. */
  TongbiaoStage: 'Keyword',
  /** Provinces (SH, JS, ZJ) whose decision the current stage still waits for. */
  TongbiaoPendingProvinces: 'KeywordList',
} as const;
