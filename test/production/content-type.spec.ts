import { randomUUID } from 'node:crypto';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ALEX } from '../support/directories';
import { startLoggedServer, teamsActivity, type LoggedServer } from '../support/logged-server';
import { RawConnection } from '../support/raw-http';

/**
 * /api/messages takes Bot Framework activities as JSON and nothing else. Any other content type
 * is refused with 415 before a byte of the body is read, so a multipart upload never reaches a
 * temp folder and a cross-site form post never becomes an activity.
 */
const alex = { aadObjectId: ALEX };
const UNSUPPORTED = { error: 'UnsupportedMediaType', message: 'Send the activity as application/json.' };

describe('/api/messages accepts application/json only', () => {
  let bot: LoggedServer;
  let uploads: string;
  const originalTmp = process.env.TMPDIR;

  beforeAll(async () => {
    bot = await startLoggedServer();
    // Where formidable (and anything else using os.tmpdir()) would write an upload.
    uploads = mkdtempSync(path.join(os.tmpdir(), 'switchboard-uploads-'));
    process.env.TMPDIR = uploads;
  });
  afterAll(async () => {
    if (originalTmp === undefined) delete process.env.TMPDIR;
    else process.env.TMPDIR = originalTmp;
    rmSync(uploads, { recursive: true, force: true });
    await bot.close();
  });

  const activity = () => teamsActivity(alex, `conv-${randomUUID()}`, { type: 'message', text: 'where am i' });

  async function send(contentType: string | undefined, body: string | FormData | URLSearchParams): Promise<{ status: number; body: unknown }> {
    const headers: Record<string, string> = contentType === undefined ? {} : { 'content-type': contentType };
    const response = await fetch(`${bot.url}/api/messages`, { method: 'POST', headers, body });
    const text = await response.text();
    return { status: response.status, body: text ? (JSON.parse(text) as unknown) : undefined };
  }

  it('refuses a multipart upload with 415 and writes nothing to the temp folder', async () => {
    const form = new FormData();
    form.set('upload', new Blob([Buffer.alloc(1024 * 1024, 'x')]), 'upload.bin');
    form.set('type', 'message');
    const reply = await send(undefined, form); // fetch sets multipart/form-data with its boundary
    expect(reply).toEqual({ status: 415, body: UNSUPPORTED });
    expect(readdirSync(uploads)).toEqual([]);
  });

  it('refuses a multipart body before reading it: the answer comes while the upload is still being sent', async () => {
    const conn = await RawConnection.open(bot.url);
    try {
      conn.write(
        'POST /api/messages HTTP/1.1\r\nHost: test\r\nContent-Type: multipart/form-data; boundary=x\r\nContent-Length: 209715200\r\n\r\n' +
          '--x\r\nContent-Disposition: form-data; name="f"; filename="a.bin"\r\n\r\n' +
          'x'.repeat(64 * 1024),
      );
      await conn.until(() => conn.status !== undefined, 5_000, 'an answer to a half-sent multipart body');
      expect(conn.status).toBe(415);
      expect(JSON.parse(conn.body)).toEqual(UNSUPPORTED);
      await conn.until(() => conn.closed, 5_000, 'the server to hang up');
      expect(readdirSync(uploads)).toEqual([]);
    } finally {
      conn.destroy();
    }
  });

  it.each([
    ['application/x-www-form-urlencoded', () => new URLSearchParams({ type: 'message', 'from[id]': 'x', text: 'where am i' }).toString()],
    ['text/plain', () => JSON.stringify(activity())],
    ['text/plain;charset=UTF-8', () => JSON.stringify(activity())],
    ['application/activity+json', () => JSON.stringify(activity())],
    ['application/jsonp', () => JSON.stringify(activity())],
    ['application/json; charset=latin1', () => JSON.stringify(activity())],
    ['application/json; boundary=x', () => JSON.stringify(activity())],
    ['', () => JSON.stringify(activity())],
  ])('refuses Content-Type "%s" with 415', async (contentType, body) => {
    expect(await send(contentType, body())).toEqual({ status: 415, body: UNSUPPORTED });
  });

  it('refuses a body with no Content-Type at all with 415', async () => {
    const conn = await RawConnection.open(bot.url);
    try {
      const body = JSON.stringify(activity());
      conn.write(`POST /api/messages HTTP/1.1\r\nHost: test\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`);
      await conn.until(() => conn.status !== undefined, 5_000, 'an answer');
      expect(conn.status).toBe(415);
      expect(JSON.parse(conn.body)).toEqual(UNSUPPORTED);
    } finally {
      conn.destroy();
    }
  });

  it.each(['application/json', 'application/json; charset=utf-8', 'Application/JSON;Charset="UTF-8"'])('accepts Content-Type "%s"', async (contentType) => {
    const reply = await send(contentType, JSON.stringify(activity()));
    expect(reply.status).toBe(200);
  });

  it('ran no turn for any refused request and wrote nothing to the temp folder', () => {
    expect(bot.records().filter((r) => r.msg === 'turn')).toHaveLength(3);
    expect(readdirSync(uploads)).toEqual([]);
  });
});
