import type { Handler } from './handler';

export const history: Handler = ({ caller, position, input, services }) =>
  services.subscriptions.history(caller, position, input.optional('accountId'));
