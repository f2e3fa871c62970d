import type { Handler } from './handler';

export const up: Handler = ({ caller, position, services }) => services.navigator.up(caller, position);
