import { requireString } from '../action-request';
import type { Handler } from './handler';

/** The picker's Switch button: `scopeRootId` is the ChoiceSet's input, re-checked against the caller's memberships. */
export const switchTo: Handler = ({ caller, data, services }) =>
  services.navigator.switchTo(caller, requireString(data, 'scopeRootId', 'Pick an account to switch to.'));
