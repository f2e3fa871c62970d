import { ActivityTypes, CloudAdapter, ConfigurationBotFrameworkAuthentication, MessageFactory } from 'botbuilder';
import * as restify from 'restify';

/**
 * The floor: the least any bot on Switchboard's stack can cost. Same restify 11 + botbuilder
 * CloudAdapter + bodyParser as src/server.ts, no state, no logging, no cards: a message gets
 * MessageFactory.text('ok'), an invoke a fixed 200 invoke response.
 * Prints `BENCH_LISTENING {"url":...}` once listening (PORT, default 0 = any free port).
 */
const INVOKE_BODY = { statusCode: 200, type: 'application/vnd.microsoft.activity.message', value: 'ok' };

async function main(): Promise<void> {
  const adapter = new CloudAdapter(new ConfigurationBotFrameworkAuthentication({}));
  const server = restify.createServer({ name: 'echo-floor', handleUncaughtExceptions: false });
  server.use(restify.plugins.bodyParser({ maxBodySize: 256 * 1024, mapParams: false }));
  server.post('/api/messages', async (req, res) => {
    await adapter.process(req, res, async (context) => {
      if (context.activity.type === ActivityTypes.Message) {
        await context.sendActivity(MessageFactory.text('ok'));
      } else if (context.activity.type === ActivityTypes.Invoke) {
        await context.sendActivity({ type: ActivityTypes.InvokeResponse, value: { status: 200, body: INVOKE_BODY } });
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(Number(process.env.PORT ?? 0), '127.0.0.1', () => resolve()));
  console.error(`BENCH_LISTENING ${JSON.stringify({ url: `http://127.0.0.1:${server.address().port}`, bootMs: performance.now() })}`);
  process.on('SIGTERM', () => process.exit(0));
  process.on('SIGINT', () => process.exit(0));
}

void main();
