import type { Handler } from './handler';

export const find: Handler = ({ caller, position, input, services }) =>
  services.navigator.find(caller, position, input.require('query', 'Say what to look for, for example: find dental'));
