import { randomUUID } from 'node:crypto';
import { loadConfig } from '../../src/config';
import { startServer, type RunningServer } from '../../src/server';
import { DEMO_FILE, TENANT, tempDir } from './directories';

export type Card = Record<string, any>;

export interface Person {
  readonly aadObjectId: string;
  /** The Teams user id (29:...) that state is keyed by. */
  readonly userId?: string;
  readonly tenantId?: string;
}

/**
 * A client that talks to the real server over HTTP the way Teams does, asking for the bot's
 * replies in the response body (deliveryMode expectReplies).
 */
/** What a client needs of a server: where it is, and how to stop it (a no-op for one the client did not start). */
type Reachable = Pick<RunningServer, 'url' | 'close'>;

export class BotClient {
  private constructor(
    readonly server: Reachable,
    readonly conversationId: string,
  ) {}

  static async start(env: Record<string, string> = {}): Promise<BotClient> {
    const config = loadConfig({ NODE_ENV: 'test', PORT: '0', DIRECTORY_FILE: DEMO_FILE, DATA_DIR: tempDir(), LOG_LEVEL: 'silent', INSECURE_UNAUTHENTICATED_LOOPBACK: 'true', ...env });
    return new BotClient(await startServer(config), `conv-${randomUUID()}`);
  }

  /** A client for a server the test started itself. */
  static attach(server: RunningServer): BotClient {
    return new BotClient(server, `conv-${randomUUID()}`);
  }

  /** A client for a server running elsewhere (another process); close() leaves it running. */
  static at(url: string): BotClient {
    return new BotClient({ url, close: async () => undefined }, `conv-${randomUUID()}`);
  }

  /** Another conversation against the same server. */
  inConversation(conversationId: string): BotClient {
    return new BotClient(this.server, conversationId);
  }

  get url(): string {
    return this.server.url;
  }

  activity(person: Person, fields: Record<string, unknown>): Record<string, unknown> {
    return {
      id: randomUUID(),
      channelId: 'msteams',
      serviceUrl: 'https://smba.trafficmanager.net/teams/',
      from: { id: person.userId ?? `29:${person.aadObjectId}`, name: 'Test user', aadObjectId: person.aadObjectId },
      recipient: { id: '28:switchboard', name: 'Switchboard' },
      conversation: { id: this.conversationId, tenantId: person.tenantId ?? TENANT, conversationType: 'personal' },
      channelData: { tenant: { id: person.tenantId ?? TENANT } },
      deliveryMode: 'expectReplies',
      ...fields,
    };
  }

  async post(body: unknown, raw = false): Promise<{ status: number; body: any }> {
    const response = await fetch(`${this.url}/api/messages`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: raw ? (body as string) : JSON.stringify(body),
    });
    const text = await response.text();
    let parsed: unknown = text;
    try {
      parsed = text ? JSON.parse(text) : undefined;
    } catch {
      // leave the text as it is
    }
    return { status: response.status, body: parsed };
  }

  /** Types a message and returns the cards the bot replied with. */
  async say(person: Person, text: string): Promise<Card[]> {
    const { status, body } = await this.post(this.activity(person, { type: 'message', text }));
    if (status !== 200) throw new Error(`POST returned ${status}: ${JSON.stringify(body)}`);
    return cardsOf(body);
  }

  /** Sends an Action.Submit payload (a message whose value carries the verb). */
  async submit(person: Person, data: Record<string, unknown>): Promise<Card[]> {
    const { status, body } = await this.post(this.activity(person, { type: 'message', value: data }));
    if (status !== 200) throw new Error(`POST returned ${status}: ${JSON.stringify(body)}`);
    return cardsOf(body);
  }

  /** Clicks an Action.Execute button: an adaptiveCard/action invoke; returns the replacement card. */
  async execute(person: Person, verb: string, data: Record<string, unknown> = {}): Promise<Card> {
    const { status, body } = await this.invoke(person, 'adaptiveCard/action', { action: { type: 'Action.Execute', verb, data } });
    if (status !== 200) throw new Error(`invoke returned ${status}: ${JSON.stringify(body)}`);
    expect(body).toMatchObject({ statusCode: 200, type: 'application/vnd.microsoft.card.adaptive' });
    return body.value as Card;
  }

  async invoke(person: Person, name: string, value: unknown): Promise<{ status: number; body: any }> {
    return this.post(this.activity(person, { type: 'invoke', name, value, deliveryMode: undefined }));
  }

  async close(): Promise<void> {
    await this.server.close();
  }
}

export function cardsOf(body: any): Card[] {
  const activities: any[] = body?.activities ?? [];
  return activities.flatMap((a) => (a.attachments ?? []).filter((x: any) => x.contentType === 'application/vnd.microsoft.card.adaptive').map((x: any) => x.content));
}

/** All the text a person would read on a card, in order. */
export function textOf(card: Card): string {
  const parts: string[] = [];
  const walk = (node: unknown): void => {
    if (Array.isArray(node)) node.forEach(walk);
    else if (node && typeof node === 'object') {
      const n = node as Record<string, any>;
      // Markdown fields as a person reads them (Switchboard's escapes removed); TextRuns as they are.
      if (n.type === 'TextBlock') parts.push(unescaped(n.text));
      if (n.type === 'RichTextBlock') parts.push(n.inlines.map((i: any) => (typeof i === 'string' ? i : i.text)).join(''));
      if (n.type === 'FactSet') for (const f of n.facts) parts.push(`${unescaped(f.title)}: ${unescaped(f.value)}`);
      if (typeof n.label === 'string') parts.push(n.label);
      for (const key of ['body', 'items', 'columns', 'choices']) if (n[key]) walk(n[key]);
      if (n.type === 'Input.ChoiceSet') for (const c of n.choices ?? []) parts.push(c.title);
    }
  };
  walk(card.body);
  return parts.join('\n');
}

const unescaped = (text: unknown): string => String(text).replace(/\\([\\`*_~[\]<&|#>+=.)-])/g, '$1');

/** Every action on the card (card-level, in action sets and selectActions), by title. */
export function actionsOf(card: Card): Card[] {
  const found: Card[] = [];
  const walk = (node: unknown): void => {
    if (Array.isArray(node)) node.forEach(walk);
    else if (node && typeof node === 'object') {
      const n = node as Record<string, any>;
      if (typeof n.type === 'string' && n.type.startsWith('Action.') && n !== undefined) found.push(n);
      for (const [key, value] of Object.entries(n)) if (key !== 'fallback') walk(value);
    }
  };
  walk(card);
  return found;
}

export function action(card: Card, title: string | RegExp): Card {
  const match = actionsOf(card).find((a) => (typeof title === 'string' ? a.title === title : title.test(a.title ?? '')));
  if (!match) throw new Error(`No action "${String(title)}" on card; have: ${actionsOf(card).map((a) => a.title).join(', ')}`);
  return match;
}

/** Clicks an Action.Execute found on a card. */
export async function click(client: BotClient, person: Person, card: Card, title: string | RegExp): Promise<Card> {
  const a = action(card, title);
  if (a.type !== 'Action.Execute') throw new Error(`"${String(title)}" is ${a.type}, not Action.Execute`);
  return client.execute(person, a.verb, a.data ?? {});
}
