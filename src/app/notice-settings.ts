import type { Caller } from '../domain/admins';
import { InvalidActionError } from '../domain/errors';
import type { NoticePreferences } from '../domain/notices';
import { parseDigestTime } from '../domain/trials';
import type { AdminAccess } from './access';
import type { NoticesView } from './views';

/** Where each admin's notice preferences live (with the bot state), and whether they can be reached. */
export interface NoticePreferenceStore {
  preferences(caller: Caller): Promise<NoticePreferences & { readonly reachable: boolean; readonly timeZone: string }>;
  setPreferences(caller: Caller, preferences: NoticePreferences): Promise<void>;
}

/** Sends the caller's trial digest to their personal chat now, whatever the day and the switch. */
export interface DigestOnDemand {
  sendNow(caller: Caller): Promise<'sent' | 'nothing to say' | 'unreachable'>;
}

const SWITCHES: Readonly<Record<string, (p: NoticePreferences) => NoticePreferences>> = {
  off: (p) => ({ ...p, changeNotices: false, digest: false }),
  on: (p) => ({ ...p, changeNotices: true, digest: true }),
  'changes off': (p) => ({ ...p, changeNotices: false }),
  'changes on': (p) => ({ ...p, changeNotices: true }),
  'digest off': (p) => ({ ...p, digest: false }),
  'digest on': (p) => ({ ...p, digest: true }),
};

const USAGE =
  'Type notices to see what you receive, notices off to stop everything, notices on for everything, notices changes off / notices digest off for one kind, notices digest at 07:30 for when the digest comes, or notices digest now to have it now.';

const SENT_NOW: Readonly<Record<Awaited<ReturnType<DigestOnDemand['sendNow']>>, string>> = {
  sent: 'Your trial digest is in your personal chat with Switchboard.',
  'nothing to say': 'Nothing for a digest: no trial you look after ends within 7 days or ended in the last 7.',
  unreachable: 'I have no personal chat with you to send the digest to yet: send me any message there first.',
};

/** `notices`: what an admin receives unasked, and the switches for it. Only admins have notices to switch. */
export class NoticeSettings {
  constructor(
    private readonly access: Pick<AdminAccess, 'admin'>,
    private readonly store: NoticePreferenceStore,
    private readonly digest?: DigestOnDemand,
  ) {}

  async show(caller: Caller): Promise<NoticesView> {
    await this.access.admin(caller);
    return this.view(await this.store.preferences(caller));
  }

  /** `setting` as typed after "notices" or sent by the card's buttons. */
  async change(caller: Caller, setting: string): Promise<NoticesView> {
    const typed = setting.replace(/\s+/g, ' ').trim().toLowerCase();
    const at = /^digest at (.*)$/.exec(typed);
    const time = at ? parseDigestTime(at[1]!) : undefined;
    if (at && !time) throw new InvalidActionError(`"${at[1]}" is not a time of day: type notices digest at 07:30 (24-hour clock, your own time zone).`);
    const apply = time ? (p: NoticePreferences) => ({ ...p, digest: true, digestAt: time }) : SWITCHES[typed];
    if (!apply && typed !== 'digest now') throw new InvalidActionError(USAGE);
    await this.access.admin(caller);
    const current = await this.store.preferences(caller);
    if (!apply) {
      if (!this.digest) throw new InvalidActionError('This server does not send digests.');
      return this.view(current, SENT_NOW[await this.digest.sendNow(caller)]);
    }
    const next = apply(current);
    await this.store.setPreferences(caller, next);
    const banner = !next.changeNotices && !next.digest ? 'Notices are off: Switchboard sends you nothing unasked.' : 'Saved.';
    return this.view({ ...current, ...next }, banner);
  }

  private view(p: NoticePreferences & { readonly reachable: boolean; readonly timeZone: string }, banner?: string): NoticesView {
    return { view: 'notices', changeNotices: p.changeNotices, digest: p.digest, digestAt: p.digestAt, timeZone: p.timeZone, reachable: p.reachable, ...(banner ? { banner } : {}) };
  }
}
