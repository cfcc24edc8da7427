// Item keys of the single table, in one place so every access pattern is readable at a glance.

export const householdKey = (firmId: string, householdId: string) => ({
  pk: `FIRM#${firmId}#HH#${householdId}`,
  sk: 'HOUSEHOLD',
});

/** byFirm index: every household of a firm, oldest first. */
export const firmHouseholdsPartition = (firmId: string) => `FIRM#${firmId}#HOUSEHOLDS`;

/** byStatus index: a firm's households with one status. */
export const householdsByStatusPartition = (firmId: string, status: string) => `FIRM#${firmId}#HOUSEHOLDS#${status}`;
