import type { Handler } from './handler';

export const subscriptions: Handler = ({ caller, position, input, services }) =>
  services.subscriptions.show(caller, position, input.optional('accountId'));
