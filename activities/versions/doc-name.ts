// Which collaboration document holds a standard's draft: the project-wide rule lives in workflows/domain.
import { draftDocName } from '../../workflows/domain';

/** The collaboration document of a standard: `standard:<standardId>`. */
export const docNameForStandard: (standardId: string) => string = draftDocName;
