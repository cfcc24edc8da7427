// How ops say they verified a client (SPEC 5: evidence {method, reference?}), and how the console words it.

export const evidenceMethods = ['phone', 'video', 'id_document', 'in_person', 'other'] as const;
export type EvidenceMethod = (typeof evidenceMethods)[number];

export interface Evidence {
  method: EvidenceMethod;
  reference?: string | undefined;
}

export const methodLabels: Record<EvidenceMethod, string> = {
  phone: 'Phone call',
  video: 'Video call',
  id_document: 'ID document',
  in_person: 'In person',
  other: 'Other',
};

export const describeEvidence = (evidence: Evidence): string =>
  evidence.reference ? `${methodLabels[evidence.method]} (${evidence.reference})` : methodLabels[evidence.method];
