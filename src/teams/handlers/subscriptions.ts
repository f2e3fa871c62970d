import { optionalString } from '../action-request';
import type { Handler } from './handler';

export const subscriptions: Handler = ({ caller, position, data, services }) =>
  services.subscriptions.show(caller, position, optionalString(data, 'accountId'));
