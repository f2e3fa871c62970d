import pino from 'pino';
import type { LogLevel } from './config';

/**
 * Structured JSON logs. Only ids, types, verbs and timings are logged: never tokens, secrets,
 * message text or card data. The redaction list is a second line of defence.
 */
export type Log = pino.Logger;

export function createLog(level: LogLevel, destination?: pino.DestinationStream): Log {
  return pino(
    {
      level,
      base: { service: 'switchboard' },
      redact: {
        paths: ['authorization', 'headers.authorization', '*.authorization', 'password', '*.password', 'MicrosoftAppPassword', 'COSMOS_KEY', 'key', '*.key', 'token', '*.token'],
        censor: '[redacted]',
      },
    },
    destination,
  );
}
