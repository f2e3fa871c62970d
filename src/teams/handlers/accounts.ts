import type { Handler } from './handler';

/** A page of sub accounts: of the current account, or of the one a tree card's button names. */
export const accounts: Handler = ({ caller, position, input, services }) =>
  services.navigator.children(caller, position, input.optional('accountId'), input.optional('page'));
