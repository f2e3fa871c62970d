import { optionalString } from '../action-request';
import type { Handler } from './handler';

/** A page of sub accounts: of the current account, or of the one a tree card's button names. */
export const accounts: Handler = ({ caller, position, data, services }) =>
  services.navigator.children(caller, position, optionalString(data, 'accountId'), optionalString(data, 'page'));
