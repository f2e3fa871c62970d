import { requireString } from '../action-request';
import type { Handler } from './handler';

export const find: Handler = ({ caller, position, data, services }) =>
  services.navigator.find(caller, position, requireString(data, 'query', 'Say what to look for, for example: find dental'));
