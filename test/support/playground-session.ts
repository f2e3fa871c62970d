/**
 * One browser end-to-end session: Switchboard on a directory file (embedded, unauthenticated on
 * loopback, as the Playground sends no tokens), an Agents Playground pointed at it, and Chromium
 * showing its chat. The e2e files share this so each one says only what it checks.
 */
import { existsSync, rmSync } from 'node:fs';
import path from 'node:path';
import type { Browser } from 'playwright-core';
import { startPlayground, type RunningPlayground } from '../../scripts/playground';
import { loadConfig } from '../../src/config';
import { startServer, type RunningServer } from '../../src/server';
import { tempDir } from './directories';
import { ChatPage, chromiumMissingMessage, CHROMIUM_PATH, freePort, launchChromium, openPlayground, type OpenOptions } from './playground';

export interface PlaygroundSessionOptions {
  /** The temporary folder's prefix (`switchboard-phone-`). */
  readonly workPrefix: string;
  /** Writes (or names) the directory file the bot loads, given the session's temporary folder. */
  readonly directoryFile: (work: string) => string;
  readonly pageLoadMs: number;
  /** The wait for one step, for the page's default timeout (see `fileBudget`). */
  readonly stepTimeout: () => number;
  /** Device and screenshot folder of the chat page. */
  readonly open?: OpenOptions;
  /** What a failed scenario's screenshot is called, given the scenario's name. */
  readonly failedScreenshot: (scenario: string) => string;
}

export class PlaygroundSession {
  private work = '';
  private bot: RunningServer | undefined;
  private playground: RunningPlayground | undefined;
  private browser: Browser | undefined;
  private page: ChatPage | undefined;

  constructor(private readonly options: PlaygroundSessionOptions) {}

  /** The chat, once `start` has run. */
  get chat(): ChatPage {
    if (!this.page) throw new Error('The Playground session has not started');
    return this.page;
  }

  /** Starts the bot, the Playground and the browser, and waits for the greeting card. */
  async start(): Promise<void> {
    if (!existsSync(CHROMIUM_PATH)) throw new Error(chromiumMissingMessage());
    this.work = tempDir(this.options.workPrefix);
    const config = loadConfig({
      NODE_ENV: 'test',
      PORT: '0',
      DIRECTORY_FILE: this.options.directoryFile(this.work),
      DATA_DIR: path.join(this.work, 'data'),
      LOG_LEVEL: 'error',
      INSECURE_UNAUTHENTICATED_LOOPBACK: 'true',
    });
    this.bot = await startServer(config);
    this.playground = await startPlayground({ appEndpoint: `${this.bot.url}/api/messages`, port: await freePort(), logFile: path.join(this.work, 'playground.log') });
    this.browser = await launchChromium();
    this.page = await openPlayground(this.browser, this.playground.url, this.options.pageLoadMs, this.options.open);
    this.page.page.setDefaultTimeout(this.options.stepTimeout());
  }

  async close(): Promise<void> {
    await this.browser?.close().catch(() => undefined);
    await this.playground?.stop();
    await this.bot?.close();
    if (this.work) rmSync(this.work, { recursive: true, force: true });
  }

  /** Runs a scenario with a fresh step timeout; on failure saves a screenshot of the page as it was, then fails. */
  async scenario(name: string, body: () => Promise<void>): Promise<void> {
    this.chat.page.setDefaultTimeout(this.options.stepTimeout());
    try {
      await body();
    } catch (error) {
      await this.chat.screenshot(this.options.failedScreenshot(name)).catch(() => undefined);
      throw error;
    }
  }
}
