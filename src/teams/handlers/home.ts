import type { Handler } from './handler';

/** The "logo click": back to the base account the admin came from. */
export const home: Handler = ({ caller, position, services }) => services.navigator.goHome(caller, position);
