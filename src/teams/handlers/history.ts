import { optionalString } from '../action-request';
import type { Handler } from './handler';

export const history: Handler = ({ caller, position, data, services }) =>
  services.subscriptions.history(caller, position, optionalString(data, 'accountId'));
