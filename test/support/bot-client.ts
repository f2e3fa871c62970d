import { randomUUID } from 'node:crypto';
import { loadConfig } from '../../src/config';
import { startServer, type RunningServer } from '../../src/server';
import { startConnectorStandIn, type ConnectorCall, type ConnectorStandIn } from './connector-stand-in';
import { DEMO_FILE, TENANT, tempDir } from './directories';

export type Card = Record<string, any>;

export interface Person {
  readonly aadObjectId: string;
  /** The Teams user id (29:...) that state is keyed by. */
  readonly userId?: string;
  readonly tenantId?: string;
}

/**
 * How the client presses card buttons, as CARD_ACTIONS sets them on the server:
 * - execute: Action.Execute invokes, answered with the new card; the bot's other replies come
 *   back in the response body (deliveryMode expectReplies).
 * - submit: what a phone client sends when cards carry Action.Submit only: a message with `value`
 *   and `replyToId` (the card's activity id). Every reply goes through the Bot Connector
 *   stand-in (the activity's serviceUrl), which gives each card its id; a pressed button must
 *   update its card in place there.
 */
export type CardMode = 'execute' | 'submit';
export const CARD_MODES: readonly CardMode[] = ['execute', 'submit'];

/** Cards delivered through the connector, and the activity each one is now. */
class ConnectorSide {
  private readonly ids = new WeakMap<Card, string>();
  private readonly latest = new Map<string, string>();
  constructor(readonly standIn: ConnectorStandIn) {}

  remember(conversationId: string, card: Card, activityId: string): void {
    this.ids.set(card, activityId);
    this.latest.set(conversationId, activityId);
  }

  /** The card's activity id, or the latest card's in the conversation when none is named. */
  idOf(conversationId: string, card: Card | undefined): string {
    const id = card ? this.ids.get(card) : this.latest.get(conversationId);
    if (!id) throw new Error(card ? 'That card did not come through the connector: the client cannot press its buttons.' : `No card has been sent in ${conversationId} yet.`);
    return id;
  }
}

/** What a client needs of a server: where it is, and how to stop it (a no-op for one the client did not start). */
type Reachable = Pick<RunningServer, 'url' | 'close'>;

/**
 * The service URL of a chat with no connector stand-in behind it. The bot may still reach for it
 * (a change notice to this admin's personal chat): on loopback, where nothing listens, it fails
 * at once and never leaves the machine, as a public URL would.
 */
const NO_CONNECTOR = 'http://127.0.0.1:9/teams/';

/**
 * A client that talks to the real server over HTTP the way Teams does (see CardMode).
 */
export class BotClient {
  private constructor(
    readonly server: Reachable,
    readonly conversationId: string,
    private readonly connectorSide?: ConnectorSide,
    private readonly conversationType = 'personal',
    private readonly serviceUrl?: string,
  ) {}

  static async start(env: Record<string, string> = {}, mode: CardMode = 'execute'): Promise<BotClient> {
    const config = loadConfig({ NODE_ENV: 'test', PORT: '0', DIRECTORY_FILE: DEMO_FILE, DATA_DIR: tempDir(), LOG_LEVEL: 'silent', INSECURE_UNAUTHENTICATED_LOOPBACK: 'true', CARD_ACTIONS: mode, ...env });
    const standIn = mode === 'submit' ? await startConnectorStandIn() : undefined;
    return new BotClient(await startServer(config), `conv-${randomUUID()}`, standIn && new ConnectorSide(standIn));
  }

  /** A client for a server the test started itself; with `standIn`, in submit mode through it. */
  static attach(server: RunningServer, standIn?: ConnectorStandIn): BotClient {
    return new BotClient(server, `conv-${randomUUID()}`, standIn && new ConnectorSide(standIn));
  }

  /** A client for a server running elsewhere (another process); close() leaves it running. */
  static at(url: string): BotClient {
    return new BotClient({ url, close: async () => undefined }, `conv-${randomUUID()}`);
  }

  /** Another conversation against the same server (`groupChat` or `channel` for cards that refresh). */
  inConversation(conversationId: string, conversationType = 'personal'): BotClient {
    return new BotClient(this.server, conversationId, this.connectorSide, conversationType, this.serviceUrl);
  }

  /**
   * The same conversation, its activities naming `serviceUrl` (an execute-mode client whose
   * personal chat is reached proactively through a connector stand-in); replies still come back
   * as this client takes them.
   */
  withServiceUrl(serviceUrl: string): BotClient {
    return new BotClient(this.server, this.conversationId, this.connectorSide, this.conversationType, serviceUrl);
  }

  get mode(): CardMode {
    return this.connectorSide ? 'submit' : 'execute';
  }

  /** The Bot Connector stand-in (submit mode). */
  get connector(): ConnectorStandIn {
    if (!this.connectorSide) throw new Error('This client talks execute mode: there is no connector stand-in.');
    return this.connectorSide.standIn;
  }

  get url(): string {
    return this.server.url;
  }

  activity(person: Person, fields: Record<string, unknown>): Record<string, unknown> {
    return {
      id: randomUUID(),
      channelId: 'msteams',
      serviceUrl: this.serviceUrl ?? this.connectorSide?.standIn.url ?? NO_CONNECTOR,
      from: { id: person.userId ?? `29:${person.aadObjectId}`, name: 'Test user', aadObjectId: person.aadObjectId },
      recipient: { id: '28:switchboard', name: 'Switchboard' },
      conversation: { id: this.conversationId, tenantId: person.tenantId ?? TENANT, conversationType: this.conversationType },
      channelData: { tenant: { id: person.tenantId ?? TENANT } },
      ...(this.connectorSide ? {} : { deliveryMode: 'expectReplies' }),
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

  /**
   * Posts an activity and returns the new cards the bot sent for it: from the response body
   * (expectReplies), or, in submit mode, as the connector stand-in received them.
   */
  async deliver(activity: Record<string, unknown>): Promise<Card[]> {
    const { status, body } = await this.post(activity);
    if (status !== 200) throw new Error(`POST returned ${status}: ${JSON.stringify(body)}`);
    if (!this.connectorSide) return cardsOf(body);
    const sent = this.callsFor(activity).filter((c) => c.route === 'send' || c.route === 'reply');
    return sent.flatMap((call) => this.received(call, call.issuedId!));
  }

  /** Types a message and returns the cards the bot replied with. */
  async say(person: Person, text: string): Promise<Card[]> {
    return this.deliver(this.activity(person, { type: 'message', text }));
  }

  /** Sends an Action.Submit payload (a message whose value carries the verb) from no card in particular: new cards answer it. */
  async submit(person: Person, data: Record<string, unknown>): Promise<Card[]> {
    return this.deliver(this.activity(person, { type: 'message', value: data }));
  }

  /**
   * Presses an Action.Submit button on `card` (default: the latest card in the conversation), as
   * a phone does: a message with `value` and `replyToId`. Submit mode only. Returns the card as
   * the bot updated it in place at the connector, and fails if it sent a new card instead.
   */
  async press(person: Person, data: Record<string, unknown>, card?: Card): Promise<Card> {
    const side = this.connectorSide;
    if (!side) throw new Error('press is for submit mode; execute mode clicks Action.Execute');
    const cardId = side.idOf(this.conversationId, card);
    const activity = this.activity(person, { type: 'message', value: data, replyToId: cardId });
    const { status, body } = await this.post(activity);
    if (status !== 200) throw new Error(`POST returned ${status}: ${JSON.stringify(body)}`);
    const calls = this.callsFor(activity);
    // Only updates of this card, the last one accepted (the connector client retries 429 and 5xx).
    const updates = calls.filter((c) => c.route === 'update' && c.status === 200);
    if (updates.length !== 1 || calls.some((c) => c.route !== 'update' || c.activityId !== cardId) || calls.at(-1) !== updates[0]) {
      throw new Error(`Pressing a button on card ${cardId} should update it in place once; the connector saw: ${calls.map((c) => `${c.route} ${c.activityId} ${c.status}`).join(', ') || 'nothing'}`);
    }
    return this.received(updates[0]!, cardId)[0]!;
  }

  /**
   * A card button: in execute mode an adaptiveCard/action invoke, answered with the replacement
   * card; in submit mode the Action.Submit the same button carries, pressed on `card` (default:
   * the latest card), answered by updating that card in place.
   */
  async execute(person: Person, verb: string, data: Record<string, unknown> = {}, card?: Card): Promise<Card> {
    if (this.connectorSide) return this.press(person, { ...data, verb }, card);
    const { status, body } = await this.invoke(person, 'adaptiveCard/action', { action: { type: 'Action.Execute', verb, data } });
    if (status !== 200) throw new Error(`invoke returned ${status}: ${JSON.stringify(body)}`);
    expect(body).toMatchObject({ statusCode: 200, type: 'application/vnd.microsoft.card.adaptive' });
    return body.value as Card;
  }

  /** The connector calls the bot made while handling `activity` (they carry it as replyToId). */
  private callsFor(activity: Record<string, unknown>): ConnectorCall[] {
    return this.connector.calls.filter((c) => c.body?.replyToId === activity.id);
  }

  /** The cards of an activity the connector accepted, remembered as activity `activityId`; submit-only cards carry no Action.Execute. */
  private received(call: ConnectorCall, activityId: string): Card[] {
    const cards = cardsOf({ activities: [call.body] });
    for (const card of cards) {
      const execute = actionsOf(card).find((a) => a.type === 'Action.Execute');
      if (execute) throw new Error(`A card sent with CARD_ACTIONS=submit carries Action.Execute "${execute.title}"`);
      if (card.refresh) throw new Error('A card sent with CARD_ACTIONS=submit carries a refresh (an Action.Execute)');
      this.connectorSide!.remember(call.conversationId, card, activityId);
    }
    return cards;
  }

  async invoke(person: Person, name: string, value: unknown): Promise<{ status: number; body: any }> {
    return this.post(this.activity(person, { type: 'invoke', name, value, deliveryMode: undefined }));
  }

  async close(): Promise<void> {
    await this.server.close();
    await this.connectorSide?.standIn.close();
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

/** The rows of a tree or result list, in order: containers that open an account when tapped, with the name they show. */
export function rowsOf(card: Card): { name: string; accountId: string }[] {
  return (card.body as Card[])
    .filter((b) => b.type === 'Container' && b.selectAction && verbOf(b.selectAction) === 'open')
    .map((b) => ({ name: b.items[0].inlines[0].text, accountId: b.selectAction.data.accountId }));
}

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

/** The verb a button sends: an Action.Execute's own, an Action.Submit's in its data. */
export function verbOf(button: Card): string | undefined {
  return button.type === 'Action.Submit' ? button.data?.verb : button.verb;
}

/** What pressing the button as Action.Submit sends: its own data, or its Submit fallback's. */
export function submitDataOf(button: Card): Record<string, unknown> {
  return button.type === 'Action.Submit' ? button.data : button.fallback.data;
}

/** The verb and data a card button sends, whichever kind of button it is. */
export function buttonOf(card: Card, title: string | RegExp): { verb: string; data: Record<string, unknown> } {
  const a = action(card, title);
  if (a.type === 'Action.Execute') return { verb: a.verb, data: a.data ?? {} };
  if (a.type === 'Action.Submit') {
    const { verb, ...data } = a.data ?? {};
    return { verb, data };
  }
  throw new Error(`"${String(title)}" is ${a.type}, not a button Switchboard answers`);
}

/**
 * Clicks the first button on `card` that sends `verb` with data including `where`: what a test
 * uses when the button's title is the card layout's business, not the test's.
 */
export async function clickVerb(client: BotClient, person: Person, card: Card, verb: string, where: Record<string, unknown> = {}, extra: Record<string, unknown> = {}): Promise<Card> {
  const button = actionsOf(card).find((a) => {
    if (verbOf(a) !== verb) return false;
    return Object.entries(where).every(([key, value]) => a.data?.[key] === value);
  });
  if (!button) throw new Error(`No button sending ${verb} ${JSON.stringify(where)} on card; have: ${actionsOf(card).map((a) => `${verbOf(a)} ${JSON.stringify(a.data)}`).join(', ')}`);
  const { verb: _verb, ...data } = button.type === 'Action.Submit' ? button.data : { ...button.data, verb };
  return client.execute(person, verb, { ...data, ...extra }, card);
}

/**
 * Clicks a button found on a card: its Action.Execute in execute mode, its Action.Submit
 * (pressed on that card, updated in place) in submit mode. `extra` adds input values.
 */
export async function click(client: BotClient, person: Person, card: Card, title: string | RegExp, extra: Record<string, unknown> = {}): Promise<Card> {
  const a = action(card, title);
  const want = client.mode === 'submit' ? 'Action.Submit' : 'Action.Execute';
  if (a.type !== want) throw new Error(`"${String(title)}" is ${a.type}, not ${want}`);
  const { verb, data } = buttonOf(card, title);
  return client.execute(person, verb, { ...data, ...extra }, card);
}
