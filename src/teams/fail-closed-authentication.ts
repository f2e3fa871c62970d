import {
  AuthenticationConstants,
  AuthenticationError,
  BotFrameworkAuthentication,
  type AuthenticateRequestResult,
  type BotFrameworkClient,
  type ClaimsIdentity,
  type ConnectorFactory,
  type UserTokenClient,
} from 'botframework-connector';
import type { Activity } from 'botbuilder';
import { StatusCodes } from 'botbuilder';

/**
 * botbuilder turns only an expired token into an authentication error; a bad signature, a token
 * not yet valid or an unexpected algorithm escape as plain errors, which CloudAdapter answers
 * with 500 and the library's message. Any failure to authenticate is the caller's, so it is a 401.
 */
export class FailClosedAuthentication extends BotFrameworkAuthentication {
  /**
   * @param channelIssuer when set, only tokens from this issuer (the channel's) get as far as
   * botbuilder: Switchboard talks to Teams only, so Emulator and skill tokens are refused.
   */
  constructor(
    private readonly inner: BotFrameworkAuthentication,
    private readonly onRejected: (reason: string) => void,
    private readonly channelIssuer?: string,
  ) {
    super();
  }

  override async authenticateRequest(activity: Activity, authHeader: string): Promise<AuthenticateRequestResult> {
    return this.failClosed(() => {
      this.checkIssuer(authHeader);
      return this.inner.authenticateRequest(activity, authHeader);
    });
  }

  /** Reads the unverified issuer only to refuse early; botbuilder still verifies everything. */
  private checkIssuer(authHeader: string): void {
    if (!this.channelIssuer) return;
    const payload = /^Bearer\s+[\w-]+\.([\w-]+)\.[\w-]*$/i.exec(authHeader?.trim() ?? '')?.[1];
    let issuer: unknown;
    try {
      issuer = payload ? (JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as { iss?: unknown }).iss : undefined;
    } catch {
      issuer = undefined;
    }
    if (payload && issuer !== this.channelIssuer) throw new AuthenticationError('Unauthorized: the token was not issued by the channel', StatusCodes.UNAUTHORIZED);
  }

  override async authenticateStreamingRequest(authHeader: string, channelIdHeader: string): Promise<AuthenticateRequestResult> {
    return this.failClosed(() => this.inner.authenticateStreamingRequest(authHeader, channelIdHeader));
  }

  override async authenticateChannelRequest(authHeader: string): Promise<ClaimsIdentity> {
    return this.failClosed(() => this.inner.authenticateChannelRequest(authHeader));
  }

  override createConnectorFactory(claimsIdentity: ClaimsIdentity): ConnectorFactory {
    return this.inner.createConnectorFactory(claimsIdentity);
  }

  override createUserTokenClient(claimsIdentity: ClaimsIdentity): Promise<UserTokenClient> {
    return this.inner.createUserTokenClient(claimsIdentity);
  }

  override createBotFrameworkClient(): BotFrameworkClient {
    return this.inner.createBotFrameworkClient();
  }

  override getOriginatingAudience(): string {
    return this.inner.getOriginatingAudience();
  }

  private async failClosed<T>(authenticate: () => Promise<T>): Promise<T> {
    try {
      return await authenticate();
    } catch (error) {
      const reason = error instanceof Error ? error.message.split('\n')[0]!.slice(0, 200) : 'unknown';
      this.onRejected(reason);
      if (error instanceof AuthenticationError) throw error;
      throw new AuthenticationError(`Unauthorized: ${reason}`, StatusCodes.UNAUTHORIZED);
    }
  }
}

/** The public Azure cloud's settings, passed whole when one of them is overridden (botbuilder then reads all of them). */
export const PUBLIC_CLOUD_SETTINGS = {
  ToChannelFromBotOAuthScope: AuthenticationConstants.ToChannelFromBotOAuthScope,
  ToBotFromChannelTokenIssuer: AuthenticationConstants.ToBotFromChannelTokenIssuer,
  OAuthUrl: AuthenticationConstants.OAuthUrl,
  ToBotFromChannelOpenIdMetadataUrl: AuthenticationConstants.ToBotFromChannelOpenIdMetadataUrl,
  ToBotFromEmulatorOpenIdMetadataUrl: AuthenticationConstants.ToBotFromEmulatorOpenIdMetadataUrl,
  CallerId: 'urn:botframework:azure',
} as const;

/** Where the bot gets its outbound tokens: the bot's own tenant, or botframework.com for a multi-tenant bot. */
export function loginUrlFor(tenantId: string | undefined): string {
  return `${AuthenticationConstants.ToChannelFromBotLoginUrlPrefix}${tenantId || AuthenticationConstants.DefaultChannelAuthTenant}`;
}
