import pino from 'pino';
import type { LogLevel } from './config';
import { errorForLog } from './log-error';

/**
 * Structured JSON logs. Only ids, types, verbs and timings are logged: never tokens, secrets,
 * message text or card data. The redaction list is a second line of defence.
 *
 * A person running the bot in a terminal (`npm start`, `npm run playground`) reads the same
 * records as one short line each (pino-pretty); everywhere else (pipes, files, App Service, tests)
 * and whenever NODE_ENV is production, the output is JSON lines as before.
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
      // `err` holds what errorForLog made ({ type, message, stack? }); pino's own serializer would
      // rename its type to "Object". An Error logged by mistake is cut down the same way.
      serializers: { err: (value: unknown) => (value instanceof Error ? errorForLog(value) : value) },
    },
    destination ?? terminalDestination(),
  );
}

/** What the decision needs from stdout: whether a person is looking, and where to write. */
export interface Terminal {
  readonly isTTY?: boolean;
  write(text: string): unknown;
}

type PrettyFactory = (options: Record<string, unknown>) => (record: Record<string, unknown>) => string;

/**
 * A destination that prints each record as one readable line when `out` is a terminal and this is
 * not production; undefined (pino's own JSON to stdout) otherwise, or when pino-pretty (a dev
 * dependency) is not installed.
 */
export function terminalDestination(out: Terminal = process.stdout, env: NodeJS.ProcessEnv = process.env): pino.DestinationStream | undefined {
  if (out.isTTY !== true || env.NODE_ENV === 'production') return undefined;
  let prettyFactory: PrettyFactory;
  try {
    // Loaded only here, so production (which prunes dev dependencies) never needs it.
    ({ prettyFactory } = require('pino-pretty') as { prettyFactory: PrettyFactory });
  } catch {
    return undefined;
  }
  const prettify = prettyFactory({
    colorize: env.NO_COLOR === undefined,
    singleLine: true,
    translateTime: 'SYS:HH:MM:ss.l',
    ignore: 'pid,hostname,service',
    // Errors too stay on their line (pino-pretty would print them as an indented block).
    errorLikeObjectKeys: [],
  });
  // Synchronous (a TTY write is synchronous on Linux and macOS), so no line is lost at exit.
  return { write: (line: string) => void out.write(prettify(forReading(JSON.parse(line) as Record<string, unknown>))) };
}

/** The turn line leads with what happened: "turn message open 3.2 ms", then the ids. */
function forReading(record: Record<string, unknown>): Record<string, unknown> {
  if (record.msg !== 'turn') return record;
  const { activityType, name, verb, latencyMs, ...rest } = record;
  const what = [activityType, name, verb].filter((part) => typeof part === 'string' && part !== '').join(' ');
  return { ...rest, msg: `turn ${what}${typeof latencyMs === 'number' ? ` ${latencyMs} ms` : ''}` };
}
