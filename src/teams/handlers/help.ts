import type { Handler } from './handler';

/** Help needs no membership: anyone who installs the bot may read it. */
export const help: Handler = async ({ caller, services }) => {
  const admin = await services.navigator.admin(caller).catch(() => undefined);
  return { view: { view: 'help', welcome: false, ...(admin ? { adminName: admin.name } : {}) } };
};
