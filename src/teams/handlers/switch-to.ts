import type { Handler } from './handler';

/** The picker's Switch button: `scopeRootId` is the ChoiceSet's input, re-checked against the caller's memberships. */
export const switchTo: Handler = ({ caller, input, services }) =>
  services.navigator.switchTo(caller, input.require('scopeRootId', 'Pick an account to switch to.'));
