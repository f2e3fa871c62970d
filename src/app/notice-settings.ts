import type { Caller } from '../domain/admins';
import { InvalidActionError } from '../domain/errors';
import type { NoticePreferences } from '../domain/notices';
import type { AdminAccess } from './access';
import type { NoticesView } from './views';

/** Where each admin's notice preferences live (with the bot state), and whether they can be reached. */
export interface NoticePreferenceStore {
  preferences(caller: Caller): Promise<NoticePreferences & { readonly reachable: boolean }>;
  setPreferences(caller: Caller, preferences: NoticePreferences): Promise<void>;
}

const SETTINGS: Readonly<Record<string, (p: NoticePreferences) => NoticePreferences>> = {
  off: () => ({ changeNotices: false, digest: false }),
  on: () => ({ changeNotices: true, digest: true }),
  'changes off': (p) => ({ ...p, changeNotices: false }),
  'changes on': (p) => ({ ...p, changeNotices: true }),
  'digest off': (p) => ({ ...p, digest: false }),
  'digest on': (p) => ({ ...p, digest: true }),
};

const USAGE = 'Type notices to see what you receive, notices off to stop everything, notices on for everything, or notices changes off / notices digest off for one kind.';

/** `notices`: what an admin receives unasked, and the switches for it. Only admins have notices to switch. */
export class NoticeSettings {
  constructor(
    private readonly access: Pick<AdminAccess, 'admin'>,
    private readonly store: NoticePreferenceStore,
  ) {}

  async show(caller: Caller): Promise<NoticesView> {
    await this.access.admin(caller);
    return this.view(await this.store.preferences(caller));
  }

  /** `setting` as typed after "notices" or sent by the card's buttons. */
  async change(caller: Caller, setting: string): Promise<NoticesView> {
    const apply = SETTINGS[setting.replace(/\s+/g, ' ').trim().toLowerCase()];
    if (!apply) throw new InvalidActionError(USAGE);
    await this.access.admin(caller);
    const current = await this.store.preferences(caller);
    const next = apply(current);
    await this.store.setPreferences(caller, next);
    const banner = !next.changeNotices && !next.digest ? 'Notices are off: Switchboard sends you nothing unasked.' : 'Saved.';
    return this.view({ ...next, reachable: current.reachable }, banner);
  }

  private view(p: NoticePreferences & { readonly reachable: boolean }, banner?: string): NoticesView {
    return { view: 'notices', changeNotices: p.changeNotices, digest: p.digest, reachable: p.reachable, ...(banner ? { banner } : {}) };
  }
}
