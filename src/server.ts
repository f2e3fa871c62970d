import {
  CloudAdapter,
  ConfigurationBotFrameworkAuthentication,
  PrivateConversationState,
  type TurnContext,
} from 'botbuilder';
import * as restify from 'restify';
import { DEFAULT_NAVIGATOR_OPTIONS, Navigator } from './app/navigator';
import { SubscriptionChanges } from './app/subscription-changes';
import { describeConfig, loadConfig, type Config, ConfigError } from './config';
import { DirectoryFileError } from './directory/directory-file';
import type { Directory } from './directory/port';
import { activityProblem } from './teams/activity-shape';
import { SwitchboardBot } from './teams/bot';
import { CardRenderer } from './teams/card-renderer';
import { ActionRouter, type Logger } from './teams/router';
import { openStores } from './stores';

/** Composition root: config -> directory -> bot -> restify. */
export interface RunningServer {
  readonly url: string;
  readonly directory: Directory;
  close(): Promise<void>;
}

const consoleLogger: Logger & { info(message: string): void } = {
  error: (message, details) => console.error(JSON.stringify({ level: 'error', message, ...details })),
  info: (message) => console.log(message),
};

/** Body limit for /api/messages: Teams activities are small; a card action is a few KB. */
const MAX_BODY_BYTES = 256 * 1024;

export async function startServer(config: Config, logger = consoleLogger): Promise<RunningServer> {
  const stores = await openStores(config.directory, (err) => logger.error('could not save bot state', { error: String(err) }));
  const { directory } = stores;

  const navigator = new Navigator(directory, { ...DEFAULT_NAVIGATOR_OPTIONS, portals: config.portals });
  const subscriptions = new SubscriptionChanges(directory, navigator, { maxQuantity: config.maxQuantity, historyLimit: 20 });
  const router = new ActionRouter({ navigator, subscriptions }, logger);
  const bot = new SwitchboardBot(router, new CardRenderer(), new PrivateConversationState(stores.state), logger);

  const auth = new ConfigurationBotFrameworkAuthentication(
    config.bot
      ? {
          MicrosoftAppId: config.bot.appId,
          MicrosoftAppType: config.bot.appType,
          MicrosoftAppTenantId: config.bot.tenantId,
          MicrosoftAppPassword: config.bot.appPassword,
        }
      : {},
  );
  const adapter = new CloudAdapter(auth);
  adapter.onTurnError = async (context: TurnContext, error: Error) => {
    logger.error('turn failed', { activityType: context.activity.type, error: error.message });
  };

  const server = restify.createServer({ name: 'switchboard', handleUncaughtExceptions: false });
  server.use(restify.plugins.bodyParser({ maxBodySize: MAX_BODY_BYTES, mapParams: false }));
  server.post('/api/messages', async (req, res) => {
    const problem = activityProblem(req.body);
    if (problem) {
      res.send(400, { error: 'BadRequest', message: problem });
      return;
    }
    await adapter.process(req, res, (context) => bot.run(context));
  });
  server.get('/healthz', (_req, res, next) => {
    res.send(200, { status: 'ok' });
    next();
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(config.port, config.host, () => resolve());
  });
  const address = server.address();
  const url = `http://${config.host.includes(':') ? `[${config.host}]` : config.host}:${address.port}`;

  return {
    url,
    directory,
    async close() {
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await stores.close();
    },
  };
}

async function main(): Promise<void> {
  let config: Config;
  try {
    config = loadConfig();
  } catch (error) {
    if (error instanceof ConfigError) {
      console.error(error.message);
      process.exit(1);
    }
    throw error;
  }
  try {
    const running = await startServer(config);
    consoleLogger.info(`Switchboard listening on ${running.url}/api/messages (${describeConfig(config)})`);
    const stop = () => {
      void running.close().then(() => process.exit(0));
    };
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  } catch (error) {
    if (error instanceof DirectoryFileError) {
      console.error(error.message);
      process.exit(1);
    }
    throw error;
  }
}

if (require.main === module) void main();
