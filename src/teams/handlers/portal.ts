import type { Handler } from './handler';

export const portal: Handler = ({ caller, position, input, services }) =>
  services.navigator.portals(caller, position, input.optional('accountId'));
