import type { Handler } from './handler';

export const whereAmI: Handler = async ({ caller, position, services }) =>
  services.navigator.describe(await services.navigator.here(caller, position));
