import type { Handler } from './handler';

/** The switch-account picker; `switch <text>` narrows it to the accounts matching the text, or switches to the only one. */
export const switchPicker: Handler = ({ caller, position, recents, input, services }) => {
  const text = input.optional('text');
  return text === undefined ? services.navigator.switchChoices(caller, position, recents) : services.navigator.switchByText(caller, position, text, recents);
};
