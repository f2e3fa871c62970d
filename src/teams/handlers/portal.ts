import { optionalString } from '../action-request';
import type { Handler } from './handler';

export const portal: Handler = ({ caller, position, data, services }) =>
  services.navigator.portals(caller, position, optionalString(data, 'accountId'));
