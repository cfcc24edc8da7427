import { recorded, staffActor, type InRequest } from '../domain/audit.ts';
import {
  cancel,
  documentRequestView,
  reRequest,
  type DocumentRequest,
  type DocumentRequestStore,
  type DocumentRequestTransition,
  type DocumentRequestView,
} from '../domain/document-request.ts';
import { conflict, notFound } from '../domain/errors.ts';
import type { Caller } from '../domain/ports.ts';
import { recordMetrics } from './perform-effects.ts';

const rounds = 3;

/** The advisor's changes to one item of the checklist, by name. */
export const advisorChanges = { cancel, 're-request': reRequest } satisfies Record<string, (item: DocumentRequest, now: Date) => DocumentRequestTransition>;

/**
 * Decides the change on the item as read and writes it while the item is still so; an upload or a scan that lands
 * in between is read again and decided anew. Only the caller's firm's items exist for them (404 otherwise).
 */
export const changeDocumentRequest = async (
  deps: { documentRequests: Pick<DocumentRequestStore, 'get' | 'apply'>; now: () => Date } & InRequest,
  caller: Caller,
  ids: { householdId: string; requestId: string },
  change: keyof typeof advisorChanges,
): Promise<DocumentRequestView> => {
  for (let round = 1; ; round += 1) {
    const current = await deps.documentRequests.get({ firmId: caller.firmId, ...ids });
    if (!current) throw notFound('document request');
    const decided = advisorChanges[change](current, deps.now());
    if (await deps.documentRequests.apply(recorded(decided.change, staffActor(caller, 'advisor'), deps.requestId))) {
      recordMetrics(decided.effects);
      return documentRequestView(decided.next);
    }
    if (round >= rounds) throw conflict('The document request changed meanwhile; retry');
  }
};
