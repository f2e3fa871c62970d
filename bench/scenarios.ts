import type { BenchAdmin, BenchPlan } from './synthetic';

/**
 * The load: Teams activities as Teams sends them (see test/support/bot-client.ts), one
 * conversation per admin and scenario, so that positions and state are each admin's own.
 * Typed commands are messages with deliveryMode "expectReplies" (replies come back in the HTTP
 * body); card buttons are adaptiveCard/action invokes (the replacement card comes back).
 */
export type Body = Record<string, unknown>;

export function messageActivity(admin: BenchAdmin, conversationId: string, text: string, n: number): Body {
  return {
    ...base(admin, conversationId, n),
    type: 'message',
    text,
    deliveryMode: 'expectReplies',
  };
}

export function invokeActivity(admin: BenchAdmin, conversationId: string, verb: string, data: Record<string, unknown>, n: number): Body {
  return {
    ...base(admin, conversationId, n),
    type: 'invoke',
    name: 'adaptiveCard/action',
    value: { action: { type: 'Action.Execute', verb, data } },
  };
}

/**
 * An Action.Submit press as a phone sends it: a message whose `value` carries the verb and the
 * card's data. Sent with expectReplies so that the new card comes back in the HTTP body (the
 * bench has no Bot Connector); the bot takes the same Submit path to the router either way.
 */
export function submitActivity(admin: BenchAdmin, conversationId: string, verb: string, data: Record<string, unknown>, n: number): Body {
  return {
    ...base(admin, conversationId, n),
    type: 'message',
    value: { ...data, verb },
    deliveryMode: 'expectReplies',
  };
}

function base(admin: BenchAdmin, conversationId: string, n: number): Body {
  return {
    id: `${conversationId}-${n}`,
    channelId: 'msteams',
    serviceUrl: 'https://smba.trafficmanager.net/teams/',
    from: { id: `29:${admin.aadObjectId}`, name: admin.name, aadObjectId: admin.aadObjectId },
    recipient: { id: '28:switchboard', name: 'Switchboard' },
    conversation: { id: conversationId, tenantId: admin.tenantId, conversationType: 'personal' },
    channelData: { tenant: { id: admin.tenantId } },
  };
}

/** What one admin does in a scenario: warm-up turns (sent once, in order), then the loop. */
export interface AdminScript {
  readonly setup: readonly Body[];
  readonly loop: readonly Body[];
}

export interface Scenario {
  readonly key: string;
  readonly name: string;
  /** How Teams delivers it: a typed command (message) or a card button (invoke). */
  readonly kind: 'message' | 'invoke';
  /** One line on what is measured, for the report. */
  readonly description: string;
  /**
   * The turns of admin `i`. `conversations` > 1 only for scenarios whose turns move the admin one
   * way (up): the loop then walks several pre-positioned conversations.
   */
  script(admin: BenchAdmin, i: number, plan: BenchPlan, conversations: number): AdminScript;
  /** A problem with a reply body, or undefined when it is the card this scenario expects. */
  check(body: string): string | undefined;
  /** Turns per conversation before the loop stops moving the admin (up); the loop is then cut at that many rounds. */
  readonly roundsPerConversation?: number;
  /** Not part of the issue's list: run only when named with --only (for attributing costs). */
  readonly diagnostic?: boolean;
}

const ERROR_CARD = '"color":"Attention"';

function expecting(...markers: string[]): (body: string) => string | undefined {
  return (body) => {
    if (body.includes(ERROR_CARD)) return `error card: ${body.slice(0, 300)}`;
    for (const m of markers) if (!body.includes(m)) return `missing ${JSON.stringify(m)} in ${body.slice(0, 300)}`;
    return undefined;
  };
}

/** One review turn per target: a valid new C2TU1 quantity, sent as an invoke or as a Submit. */
function reviewTurns(admin: BenchAdmin, conversationId: string, send: typeof invokeActivity): Body[] {
  return admin.reviewTargets.map((t, n) => send(admin, conversationId, 'review', { accountId: t.accountId, version: '1', [`qty_${t.sku}`]: t.quantity }, n));
}

const conv = (key: string, i: number, c = 0) => `bench-${key}-${i}${c ? `-${c}` : ''}`;

export const SCENARIOS: readonly Scenario[] = [
  {
    key: 'whereAmI',
    name: 'where am i',
    kind: 'message',
    description: 'typed "where am i" at depth 8 (breadcrumb of 9, where-am-i card)',
    script(admin, i) {
      const c = conv(this.key, i);
      return { setup: [invokeActivity(admin, c, 'open', { accountId: admin.deepAccountId }, 0)], loop: [messageActivity(admin, c, 'where am i', 1)] };
    },
    check: expecting('"Account id"', '(you are here)'),
  },
  {
    key: 'open',
    name: 'open a child',
    kind: 'invoke',
    description: 'Open on a tree row: alternates between two children of a depth-5 reseller (moves the admin every turn)',
    script(admin, i) {
      const c = conv(this.key, i);
      const [a, b] = admin.openChoices;
      return { setup: [], loop: [invokeActivity(admin, c, 'open', { accountId: a }, 1), invokeActivity(admin, c, 'open', { accountId: b }, 2)] };
    },
    check: expecting('"Account id"'),
  },
  {
    key: 'up',
    name: 'go up',
    kind: 'invoke',
    description: 'Up button from depth 8 towards the root: every turn a real move, conversations pre-positioned',
    roundsPerConversation: 8,
    script(admin, i, _plan, conversations) {
      const ids = Array.from({ length: conversations }, (_, c) => conv(this.key, i, c));
      const setup = ids.map((c, n) => invokeActivity(admin, c, 'open', { accountId: admin.deepAccountId }, n));
      const loop: Body[] = [];
      for (let round = 0; round < Math.min(admin.deepDepth, this.roundsPerConversation!); round++) {
        for (const c of ids) loop.push(invokeActivity(admin, c, 'up', {}, 100 + round));
      }
      return { setup, loop };
    },
    check: expecting('"Account id"'),
  },
  {
    key: 'page',
    name: 'page of 5,000',
    kind: 'invoke',
    description: 'Previous/Next on the tree card of the 5,000-child reseller: 16 pages spread over all 250, tokens as the directory issued them',
    script(admin, i, plan) {
      const c = conv(this.key, i);
      const loop = plan.pageTokens.map((page, n) => invokeActivity(admin, c, 'accounts', { accountId: plan.wideAccountId, ...(page !== undefined ? { page } : {}) }, n));
      return { setup: [], loop: rotate(loop, i) };
    },
    check: expecting('Sub accounts of', ' · page '),
  },
  {
    key: 'find',
    name: 'find',
    kind: 'message',
    description: 'typed "find <text>": a trade word, a name prefix, a town and one exact name, over the admin\'s three scopes',
    script(admin, i, plan) {
      const c = conv(this.key, i);
      return { setup: [], loop: rotate(plan.searches.map((q, n) => messageActivity(admin, c, `find ${q}`, n)), i) };
    },
    check: expecting('Accounts matching'),
  },
  {
    key: 'switch',
    name: 'switch picker',
    kind: 'message',
    description: 'typed "switch": the picker over the admin\'s three memberships',
    script(admin, i) {
      const c = conv(this.key, i);
      return { setup: [], loop: [messageActivity(admin, c, 'switch', 1)] };
    },
    check: expecting('Switch account', '"Input.ChoiceSet"'),
  },
  {
    key: 'review',
    name: 'subscription review',
    kind: 'invoke',
    description: 'Review changes with a new C2TU1 quantity on a customer 2-4 levels down (old -> new, costs)',
    script(admin, i) {
      return { setup: [], loop: reviewTurns(admin, conv(this.key, i), invokeActivity) };
    },
    check: expecting('Review changes'),
  },
  {
    key: 'offers',
    name: 'offers card',
    kind: 'invoke',
    description: 'Offers on a depth-1 reseller of the big partner (its enabled offers, prices and who holds them below)',
    script(admin, i) {
      const c = conv(this.key, i);
      return { setup: [], loop: [invokeActivity(admin, c, 'offers', { accountId: admin.offersAccountId }, 1)] };
    },
    check: expecting('"text":"Offers"', '(C2TU1)'),
  },
  {
    key: 'reviewSubmit',
    name: 'review via Submit',
    kind: 'message',
    description: 'The subscription review pressed as Action.Submit (a message with value, as phones send): a new card, not a replaced one',
    script(admin, i) {
      return { setup: [], loop: reviewTurns(admin, conv(this.key, i), submitActivity) };
    },
    check: expecting('Review changes'),
  },
  {
    key: 'help',
    name: 'help (diagnostic)',
    kind: 'message',
    diagnostic: true,
    description: 'typed "help": the stack without the directory (activity handler, state, router, a small static card, turn log)',
    script(admin, i) {
      const c = conv(this.key, i);
      return { setup: [], loop: [messageActivity(admin, c, 'help', 1)] };
    },
    check: expecting('"AdaptiveCard"'),
  },
];

/**
 * The page tokens of the wide account as the running directory issues them (they are opaque:
 * offsets in the embedded directory, continuation tokens in Cosmos DB), found by clicking Next
 * from the first page to the last; returns up to `count` of them spread over all pages, the first
 * page (no token) included.
 */
export async function discoverPageTokens(url: string, admin: BenchAdmin, wideAccountId: string, count = 16): Promise<(string | undefined)[]> {
  const tokens: (string | undefined)[] = [undefined];
  for (let n = 0; n < 10_000; n++) {
    const page = tokens[tokens.length - 1];
    const body = invokeActivity(admin, 'bench-discover-pages', 'accounts', { accountId: wideAccountId, ...(page !== undefined ? { page } : {}) }, n);
    const response = await fetch(`${url}/api/messages`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
    const reply = (await response.json()) as { value?: { actions?: { title?: string; data?: { page?: string } }[] } };
    const next = reply.value?.actions?.find((a) => a.title?.startsWith('Next'))?.data?.page;
    if (typeof next !== 'string') break;
    tokens.push(next);
  }
  if (tokens.length <= count) return tokens;
  return Array.from({ length: count }, (_, i) => tokens[Math.floor((i * tokens.length) / count)]);
}

function rotate<T>(list: readonly T[], by: number): T[] {
  const k = by % Math.max(1, list.length);
  return [...list.slice(k), ...list.slice(0, k)];
}
