import { PasswordServiceClientCredentialFactory, type ServiceClientCredentials } from 'botframework-connector';
import { randomUUID } from 'node:crypto';
import { ALEX } from '../support/directories';
import { startLoggedServer, teamsActivity, type LoggedServer } from '../support/logged-server';

/**
 * A failure outside the turn's own error handling (here the outbound credentials, asked for
 * before the turn runs) is the server's: a 500 that says nothing of the error, one log line that
 * does, and the next request is served once the cause is gone.
 */
const SECRET_DETAIL = `credential store at vault-${randomUUID()} refused`;

class FlakyCredentials extends PasswordServiceClientCredentialFactory {
  failing = true;
  override async createCredentials(...args: Parameters<PasswordServiceClientCredentialFactory['createCredentials']>): Promise<ServiceClientCredentials> {
    if (this.failing) throw new Error(SECRET_DETAIL);
    return super.createCredentials(...args);
  }
}

describe('a request the adapter cannot serve', () => {
  let logged: LoggedServer;
  const credentials = new FlakyCredentials('', '');
  beforeAll(async () => {
    logged = await startLoggedServer({ DATA_DIR: 'none' }, 'info', { connectorCredentials: credentials });
  });
  afterAll(() => logged?.close());

  it('is a 500 with a fixed message, logged once with the cause, and the next request after recovery works', async () => {
    const activity = teamsActivity({ aadObjectId: ALEX }, `conv-${randomUUID()}`, { type: 'message', text: 'where am i', deliveryMode: 'expectReplies' });
    const reply = await logged.post(activity);
    expect(reply.status).toBe(500);
    expect(reply.body).toEqual({ error: 'InternalError', message: 'Something went wrong.' });
    expect(reply.text).not.toContain('vault');
    const failures = logged.records().filter((r) => r.msg === 'request failed');
    expect(failures).toHaveLength(1);
    expect(failures[0]!.err).toMatchObject({ type: 'Error', message: SECRET_DETAIL });

    credentials.failing = false;
    const again = await logged.post({ ...activity, id: randomUUID() });
    expect(again.status).toBe(200);
    expect(JSON.stringify(again.body)).toContain('Account id');
  });
});
