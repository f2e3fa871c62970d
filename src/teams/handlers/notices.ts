import type { Handler } from './handler';

/** `notices` shows the switches; `notices off`, `notices digest on`... (typed or a button) flips them. */
export const notices: Handler = async ({ caller, input, services }) => {
  const setting = input.optional('setting');
  return { view: setting === undefined ? await services.notices.show(caller) : await services.notices.change(caller, setting) };
};
