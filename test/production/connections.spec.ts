import { startLoggedServer } from '../support/logged-server';
import { RawConnection } from '../support/raw-http';

/**
 * Connections cannot be held open for free. Node checks its own headersTimeout only about every
 * 30 s, so a client dribbling header bytes would outlive REQUEST_TIMEOUT_MS many times over; and
 * without a bound on connections, enough such clients exhaust the process.
 */
describe('slow headers', () => {
  it('closes a connection whose headers are not complete within REQUEST_TIMEOUT_MS, though bytes keep arriving', async () => {
    const bot = await startLoggedServer({ REQUEST_TIMEOUT_MS: '400' });
    const conn = await RawConnection.open(bot.url);
    const drip = setInterval(() => {
      if (!conn.closed) conn.write(`X-Drip-${Date.now()}: 1\r\n`);
    }, 50);
    try {
      conn.write('POST /api/messages HTTP/1.1\r\nHost: test\r\n');
      await conn.until(() => conn.closed, 3_000, 'the server to cut a connection whose headers never end');
      expect(conn.status === undefined || conn.status === 408).toBe(true);
      // The server still serves everyone else.
      expect((await fetch(`${bot.url}/healthz`)).status).toBe(200);
    } finally {
      clearInterval(drip);
      conn.destroy();
      await bot.close();
    }
  });

  it('closes a connection that sends nothing at all within REQUEST_TIMEOUT_MS', async () => {
    const bot = await startLoggedServer({ REQUEST_TIMEOUT_MS: '400' });
    const conn = await RawConnection.open(bot.url);
    try {
      await conn.until(() => conn.closed, 3_000, 'the server to cut a silent connection');
    } finally {
      conn.destroy();
      await bot.close();
    }
  });

  it('gives each request on a kept-alive connection its own header time limit', async () => {
    const bot = await startLoggedServer({ REQUEST_TIMEOUT_MS: '400' });
    const conn = await RawConnection.open(bot.url);
    const drip = setInterval(() => {
      if (!conn.closed && conn.status !== undefined) conn.write(`X-Drip-${Date.now()}: 1\r\n`);
    }, 50);
    try {
      conn.write('GET /healthz HTTP/1.1\r\nHost: test\r\n\r\n');
      await conn.until(() => conn.status === 200, 3_000, 'the first response');
      conn.write('GET /healthz HTTP/1.1\r\nHost: test\r\n');
      await conn.until(() => conn.closed, 3_000, 'the server to cut the second, never-ending request');
    } finally {
      clearInterval(drip);
      conn.destroy();
      await bot.close();
    }
  });
});

describe('concurrent connections', () => {
  it('holds at most MAX_CONNECTIONS open; the next one is closed at once, and a slot frees when one ends', async () => {
    const bot = await startLoggedServer({ MAX_CONNECTIONS: '2' });
    const held = [await RawConnection.open(bot.url), await RawConnection.open(bot.url)];
    try {
      for (const c of held) c.write('GET /healthz HTTP/1.1\r\nHost: test\r\n');
      const extra = await RawConnection.open(bot.url);
      extra.write('GET /healthz HTTP/1.1\r\nHost: test\r\nConnection: close\r\n\r\n');
      await extra.until(() => extra.closed, 3_000, 'the connection over the limit to be closed');
      expect(extra.status).toBeUndefined();
      held.shift()!.destroy();
      await new Promise((resolve) => setTimeout(resolve, 100));
      expect((await fetch(`${bot.url}/healthz`)).status).toBe(200);
    } finally {
      for (const c of held) c.destroy();
      await bot.close();
    }
  });
});
