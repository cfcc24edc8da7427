// Publishing lifecycle events through the outbox, with a bus and an outbox in memory: right after the commit, and
// by the sweeper for what that left owed; the detail each audit event becomes, against its published schema.
import { describe, expect, it } from 'vitest';
import { eventsOf, isLifecycle, lifecycleDetail, lifecycleTypes, systemActor, type AuditEvent } from '../../lib/domain/audit.ts';
import type { EventBus, EventOutbox } from '../../lib/domain/ports.ts';
import { lifecycleEventDetail, type LifecycleEventDetail } from '../../lib/schemas/events.ts';
import { check } from '../../lib/schemas/validate.ts';
import { announce, publishOwedEvents } from '../../lib/use-cases/publish-events.ts';

const household = { firmId: 'firm-a', householdId: '01900000-0000-7000-8000-000000000001' };
const at = '2026-03-01T12:00:00.000Z';
const eventsFor = (...actions: AuditEvent['action'][]) =>
  eventsOf(household, actions.map((action) => ({ action, at, from: null, to: 'x' })), { actor: systemActor, requestId: 'r-1' });

/** A bus that takes or refuses, and an outbox holding what the store filed as owed. */
const system = (owed: AuditEvent[]) => {
  const published: LifecycleEventDetail[] = [];
  const bus = { down: false };
  const outbox = new Map(owed.filter((event) => isLifecycle(event.action)).map((event) => [event.eventId, event]));
  const deps: { eventBus: EventBus; eventOutbox: EventOutbox; now: () => Date; graceMs: () => number } = {
    eventBus: {
      publish: async (events) => {
        if (bus.down) throw new Error('bus down');
        published.push(...events);
      },
    },
    eventOutbox: {
      unpublished: async (before, limit) => [...outbox.values()].filter((event) => event.at < before).slice(0, limit),
      published: async (event) => void outbox.delete(event.eventId),
    },
    now: () => new Date(Date.parse(at) + 60_000),
    graceMs: () => 30_000,
  };
  return { published, bus, outbox, deps };
};

describe('the detail a lifecycle event is published with', () => {
  it('is version 1 of the schema for every lifecycle type, and there is none for an audit-only action', () => {
    for (const event of eventsFor(...lifecycleTypes)) {
      const detail = lifecycleDetail(event);
      expect(check(lifecycleEventDetail, detail).success, event.action).toBe(true);
      expect(detail).toMatchObject({ version: 1, type: event.action, id: event.eventId, occurredAt: at, firmId: 'firm-a', actor: systemActor });
    }
    expect(lifecycleDetail(eventsFor('ticket.claimed')[0]!)).toBeUndefined();
  });
});

describe('publishing through the outbox', () => {
  it('publishes the lifecycle events of a change right after it committed, and owes them no more', async () => {
    const events = eventsFor('invitation.sent', 'invitation.resent', 'ticket.raised');
    const s = system(events);
    await announce(s.deps, events);
    expect(s.published.map((detail) => detail.type)).toEqual(['invitation.sent', 'ticket.raised']);
    expect(s.outbox.size).toBe(0);
  });

  it('leaves them owed when the bus refuses, without failing the request, and the sweeper publishes them past the grace period', async () => {
    const events = eventsFor('household.created');
    const s = system(events);
    s.bus.down = true;
    await announce(s.deps, events);
    expect(s.outbox.size).toBe(1);
    await expect(publishOwedEvents(s.deps)).rejects.toThrow('bus down');
    s.bus.down = false;
    expect(await publishOwedEvents({ ...s.deps, graceMs: () => 120_000 })).toBe(0);
    expect(await publishOwedEvents(s.deps)).toBe(1);
    expect(s.published.map((detail) => detail.id)).toEqual([events[0]!.eventId]);
    expect(s.outbox.size).toBe(0);
  });

  it('publishes nothing where a function has no bus: the sweeper does', async () => {
    const events = eventsFor('invitation.accepted');
    const s = system(events);
    await announce({}, events);
    expect(s.published).toEqual([]);
    expect(s.outbox.size).toBe(1);
  });
});
