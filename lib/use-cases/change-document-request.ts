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
import type { DocumentFiles } from '../domain/document-upload.ts';
import { conflict, notFound } from '../domain/errors.ts';
import type { Caller } from '../domain/ports.ts';
import type { Effect } from '../domain/transition.ts';
import { logger } from '../logger.ts';
import { recordMetrics } from './perform-effects.ts';

const rounds = 3;

/** The advisor's changes to one item of the checklist, by name. */
export const advisorChanges = { cancel, 're-request': reRequest } satisfies Record<string, (item: DocumentRequest, now: Date) => DocumentRequestTransition>;

/**
 * Deletes the files the change left unreferenced. A failure does not undo the change the advisor made: it is logged,
 * and the bucket's lifecycle rule deletes the file when its retention ends.
 */
const deleteFiles = async (files: Pick<DocumentFiles, 'remove'>, effects: Effect[]): Promise<void> => {
  for (const effect of effects) {
    if (effect.kind !== 'delete_file') continue;
    await files.remove(effect.key).catch((error: unknown) => {
      logger.warn('document file not deleted; the lifecycle rule will', { key: effect.key, error: error instanceof Error ? error.name : 'unknown' });
    });
  }
};

/**
 * Decides the change on the item as read and writes it while the item is still so; an upload or a scan that lands
 * in between is read again and decided anew. The file the item no longer holds is deleted after the write. Only the
 * caller's firm's items exist for them (404 otherwise).
 */
export const changeDocumentRequest = async (
  deps: {
    documentRequests: Pick<DocumentRequestStore, 'get' | 'apply'>;
    documentFiles: Pick<DocumentFiles, 'remove'>;
    retentionDays: () => number;
    now: () => Date;
  } & InRequest,
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
      await deleteFiles(deps.documentFiles, decided.effects);
      return documentRequestView(decided.next, deps.retentionDays());
    }
    if (round >= rounds) throw conflict('The document request changed meanwhile; retry');
  }
};
