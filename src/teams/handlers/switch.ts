import type { Handler } from './handler';

/** The switch-account picker. */
export const switchPicker: Handler = ({ caller, position, services }) => services.navigator.switchChoices(caller, position);
