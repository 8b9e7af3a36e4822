// Which collaboration document holds a standard's draft.

/** The collaboration document of a standard: `standard:<standardId>`. */
export function docNameForStandard(standardId: string): string {
  return `standard:${standardId}`;
}
