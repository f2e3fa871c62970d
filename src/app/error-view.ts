import { SwitchboardError, type ErrorCode } from '../domain/errors';
import type { ErrorView } from './views';

interface NextStep {
  readonly title: string;
  readonly nextStep: string;
}

/**
 * Domain errors as cards, each saying what to do next, keyed by every code a domain error may
 * carry (so a new code does not compile until it has its card). Anything that is not a domain
 * error is "something went wrong".
 */
const NEXT_STEPS: Readonly<Record<ErrorCode | 'unknownCommand', NextStep>> = {
  notAnAdmin: {
    title: 'You are not an administrator of any account',
    nextStep: 'Ask an Account Owner of your partner account to add you as an Administrator in the Account Portal, then say hi again.',
  },
  notFound: {
    title: 'Account not found',
    nextStep: 'Check the name or id, or type find followed by part of the name.',
  },
  notAllowed: {
    title: 'Not allowed here',
    nextStep: 'What you see depends on your Administrator Role. An Account Owner of this account, or of an account above it, can change your roles.',
  },
  invalidAction: {
    title: 'That did not work',
    nextStep: 'Type where am i to start again from where you are, or help for the commands.',
  },
  unavailable: {
    title: 'The directory is unavailable',
    nextStep: 'Try again in a moment.',
  },
  tenantNotAllowed: {
    title: 'Switchboard is not available here',
    nextStep: 'Ask your Call2Teams partner to enable Switchboard for your organisation.',
  },
  unknownCommand: {
    title: 'I did not understand that',
    nextStep: 'Try where am i, accounts, open ‹name›, find ‹text›, switch, portal, subscriptions or help.',
  },
};

/** A confirmation the error cut short: pressing its button again applies it at most once. */
export type Confirming = 'subscriptions' | 'offers';

const PRESS_AGAIN: Readonly<Record<Confirming, string>> = {
  subscriptions: 'Press Update Subscriptions again: it applies at most once.',
  offers: 'Press Update offers again: it applies at most once.',
};

/** `confirming`: the error followed that confirmation, so the hint names its button. */
export function errorView(error: unknown, confirming?: Confirming): ErrorView {
  if (error instanceof SwitchboardError) {
    const step = NEXT_STEPS[error.code];
    const nextStep = error.code === 'unavailable' && confirming ? `${step.nextStep} ${PRESS_AGAIN[confirming]}` : step.nextStep;
    return { view: 'error', code: error.code, message: error.message, title: step.title, nextStep };
  }
  return {
    view: 'error',
    code: 'internal',
    title: 'Something went wrong',
    message: 'Switchboard could not finish that. Nothing was changed.',
    nextStep: 'Try again. If it keeps happening, tell your Switchboard administrator the time it happened.',
  };
}

export function unknownCommandView(text: string): ErrorView {
  const shown = text.length > 60 ? `${text.slice(0, 57)}...` : text;
  return { view: 'error', code: 'unknownCommand', message: `“${shown}” is not a Switchboard command.`, ...NEXT_STEPS.unknownCommand };
}
