import fc from 'fast-check';
import { ALEX, ISAIAH, MEGAN } from '../support/directories';
import { BotClient } from '../support/bot-client';

/**
 * Property-based fuzzing over real HTTP: whatever activities and card payloads arrive, the
 * server never crashes, never answers 5xx, and every message gets a reply.
 */
const people = fc.constantFrom(ALEX, MEGAN, ISAIAH, 'unknown-user', '');
const verbs = fc.oneof(
  fc.constantFrom('whereAmI', 'accounts', 'open', 'up', 'home', 'portal', 'find', 'switch', 'switchTo', 'help', 'subscriptions', 'review', 'edit', 'confirm', 'set', 'history', 'offers', 'offer', 'reviewOffers', 'editOffers', 'confirmOffers', '__proto__', 'constructor', 'toString'),
  fc.string({ maxLength: 20 }),
);
const ids = fc.oneof(fc.constantFrom('northwind', 'tailspin', 'acme-dental', 'contoso', 'wingtip-it', 'o20', 'o99999'), fc.string({ maxLength: 30 }));
const anyValue = fc.oneof(fc.string({ maxLength: 40 }), fc.integer(), fc.double(), fc.boolean(), fc.constant(null), fc.array(fc.string({ maxLength: 5 }), { maxLength: 3 }), fc.dictionary(fc.string({ maxLength: 8 }), fc.string({ maxLength: 8 }), { maxKeys: 3 }));
const cardData = fc.record(
  {
    accountId: fc.oneof(ids, anyValue),
    page: fc.oneof(ids, anyValue),
    query: fc.oneof(fc.string({ maxLength: 50 }), anyValue),
    scopeRootId: ids,
    version: fc.oneof(fc.constantFrom('1', '2'), anyValue),
    reviewId: fc.oneof(fc.uuid(), anyValue),
    quantities: fc.oneof(fc.dictionary(fc.constantFrom('C2TU1', 'T2TU1', 'NOPE', '__proto__'), fc.oneof(fc.string({ maxLength: 6 }), fc.integer())), anyValue),
    qty_C2TU1: fc.oneof(fc.string({ maxLength: 6 }), fc.integer()),
  },
  { requiredKeys: [] },
);
const texts = fc.oneof(
  fc.string({ maxLength: 80 }),
  fc.constantFrom('where am i', 'accounts', 'up', 'home', 'switch', 'portal', 'subscriptions', 'history', 'offers', 'help'),
  fc.tuple(fc.constantFrom('open ', 'find ', 'set ', 'set C2TU1 ', '<at>Switchboard</at> '), fc.string({ maxLength: 40 })).map(([a, b]) => a + b),
);

type Sent = { kind: 'message'; person: string; text: string } | { kind: 'submit'; person: string; value: unknown } | { kind: 'invoke'; person: string; name: string; value: unknown } | { kind: 'raw'; body: unknown };

const sent: fc.Arbitrary<Sent> = fc.oneof(
  fc.record({ kind: fc.constant('message' as const), person: people, text: texts }),
  fc.record({ kind: fc.constant('submit' as const), person: people, value: fc.oneof(fc.tuple(verbs, cardData).map(([verb, data]) => ({ verb, ...data })), anyValue) }),
  fc.record({
    kind: fc.constant('invoke' as const),
    person: people,
    name: fc.constantFrom('adaptiveCard/action', 'application/search', 'composeExtension/query', 'composeExtension/queryLink', 'unknown/invoke'),
    value: fc.oneof(
      fc.tuple(verbs, cardData).map(([verb, data]) => ({ action: { type: 'Action.Execute', verb, data } })),
      fc.record({ commandId: fc.constant('findAccount'), parameters: fc.array(fc.record({ name: fc.constantFrom('query', 'other'), value: anyValue }), { maxLength: 2 }) }),
      fc.record({ url: fc.oneof(fc.webUrl(), fc.string({ maxLength: 60 })) }),
      anyValue,
    ),
  }),
  fc.record({ kind: fc.constant('raw' as const), body: fc.oneof(anyValue, fc.object({ maxDepth: 2 })) }),
);

describe('fuzzing activities and card payloads over HTTP', () => {
  let bot: BotClient;
  beforeAll(async () => {
    bot = await BotClient.start();
  });
  afterAll(() => bot.close());

  it('never crashes, never answers 5xx, and answers every message', async () => {
    await fc.assert(
      fc.asyncProperty(sent, async (s) => {
        const person = { aadObjectId: s.kind === 'raw' ? ALEX : s.person };
        const body =
          s.kind === 'message'
            ? bot.activity(person, { type: 'message', text: s.text })
            : s.kind === 'submit'
              ? bot.activity(person, { type: 'message', value: s.value })
              : s.kind === 'invoke'
                ? bot.activity(person, { type: 'invoke', name: s.name, value: s.value, deliveryMode: undefined })
                : s.body;
        const { status, body: reply } = await bot.post(body);
        expect(status).toBeLessThan(500);
        expect(JSON.stringify(reply ?? '')).not.toMatch(/\n\s+at |node_modules|\.ts:\d+/);
        const isMessage = s.kind === 'submit' || s.kind === 'message';
        if (isMessage) {
          expect(status).toBe(200);
          expect(reply.activities.length).toBeGreaterThanOrEqual(1);
        }
      }),
      { numRuns: 300, interruptAfterTimeLimit: 60_000 },
    );
    // Still healthy afterwards.
    expect((await fetch(`${bot.url}/healthz`)).status).toBe(200);
  }, 90_000);
});
