// Release documents: the GB/T 1.1—2020 DOCX generator, the 编制说明 and the activities that store them.
export { generateStandardDocx, buildStandardDocument, warmUpGenerator, type GenerateOptions, type ProgressCallback, type ProgressPhase } from './generate';
export { EDITIONS, DRAFT_STAGES, STAGE_LABEL_ZH, editionInfo, type EditionName, type DraftStage, type EditionInfo } from './edition';
export { explanatoryNoteSchema, generateExplanatoryNoteDocx, sampleExplanatoryNote, type ExplanatoryNote } from './explanatory-note';
export { createReleaseActivities, editionFileName, EXPLANATORY_NOTES_COLLECTION, type ReleaseActivities, type ReleaseActivitiesDeps } from './activities';
