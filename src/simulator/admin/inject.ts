// Admin injection of mailings and their responses into the ClosedLoop data and the client state.
import { z } from 'zod';
import type { SimContext } from '../context';
import { recordBounce, recordUnsubscribe } from '../services/feedback';

export const mailingSchema = z.object({
  mailingId: z.number().int().positive().optional(),
  name: z.string().default('Mailing'),
  recipientListId: z.number().int().min(0),
  /** ms on the simulator clock; default now. */
  startTime: z.number().int().optional(),
  endTime: z.number().int().nullable().optional(),
});

const eventSchema = z.object({
  type: z.enum(['sent', 'open', 'click', 'hardbounce', 'softbounce', 'autoresponder', 'unsubscribe']),
  recipientId: z.string().min(1),
  mailingId: z.number().int().positive().nullable().optional(),
  recipientListId: z.number().int().min(0).optional(),
  time: z.number().int().optional(),
  linkId: z.number().int().optional(),
  linkUrl: z.string().optional(),
});

export const eventsSchema = z.object({ events: z.array(eventSchema).max(100_000) });

export function injectMailing(sim: SimContext, m: number, input: z.infer<typeof mailingSchema>): number {
  const mailingId = input.mailingId ?? sim.store.events.nextMailingId(m);
  const startTime = input.startTime ?? sim.clock.now();
  sim.store.db.transaction(() => {
    sim.store.events.addMailing(m, {
      mailingId,
      name: input.name,
      listId: input.recipientListId,
      startTime,
      endTime: input.endTime ?? null,
    });
    const row = { getter: 'getMailings' as const, recipientId: '', mailingId, listId: input.recipientListId, eventTime: startTime };
    sim.store.events.add(m, row, sim.settings.batchIntervalMs);
  })();
  return mailingId;
}

export function injectEvents(sim: SimContext, m: number, events: z.infer<typeof eventSchema>[]): number {
  const interval = sim.settings.batchIntervalMs;
  sim.store.db.transaction(() => {
    for (const e of events) {
      const mailingId = e.mailingId ?? null;
      const listId = e.recipientListId ?? (mailingId === null ? 0 : (sim.store.events.mailing(m, mailingId)?.listId ?? 0));
      const base = { recipientId: e.recipientId, mailingId, listId, eventTime: e.time ?? sim.clock.now() };
      if (e.type === 'sent') sim.store.events.add(m, { ...base, getter: 'getRecipients' }, interval);
      else if (e.type === 'open') sim.store.events.add(m, { ...base, getter: 'getOpens' }, interval);
      else if (e.type === 'click')
        sim.store.events.add(
          m,
          { ...base, getter: 'getClicks', linkId: e.linkId ?? 1, linkUrl: e.linkUrl ?? 'https://example.com/' },
          interval,
        );
      else if (e.type === 'autoresponder')
        sim.store.events.add(m, { ...base, getter: 'getResponses', category: 'autoresponder' }, interval);
      else if (e.type === 'unsubscribe') recordUnsubscribe(sim, m, { recipientId: e.recipientId, listId, mailingId, time: base.eventTime });
      else recordBounce(sim, m, { recipientId: e.recipientId, listId, mailingId, time: base.eventTime, category: e.type });
    }
  })();
  return events.length;
}
