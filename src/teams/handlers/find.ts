import type { Handler } from './handler';

/** `find <text>`: the admin's recently visited accounts that match come first. */
export const find: Handler = ({ caller, position, recents, input, services }) =>
  services.navigator.find(caller, position, input.require('query', 'Say what to look for, for example: find dental'), recents);
