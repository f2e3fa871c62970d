import { AuthenticationConstants, AuthenticationError, type AuthenticateRequestResult, type BotFrameworkAuthentication, type ClaimsIdentity } from 'botframework-connector';
import type { Activity } from 'botbuilder';
import { StatusCodes } from 'botbuilder';
import { DelegatingAuthentication } from './delegating-authentication';

/** The whole body of every 401: which check failed is logged, never told to the caller. */
export const NOT_AUTHENTICATED = 'The request is not authenticated.';

/**
 * botbuilder turns only an expired token into an authentication error; a bad signature, a token
 * not yet valid or an unexpected algorithm escape as plain errors, which CloudAdapter answers
 * with 500 and the library's message. Any failure to authenticate is the caller's, so it is a 401,
 * and its message is NOT_AUTHENTICATED: botbuilder's own (the caller's audience, the metadata URL
 * and its network error) go to the log through `onRejected`.
 *
 * In authenticated mode it also checks what botbuilder leaves out: an activity without
 * `serviceUrl` skips botbuilder's `serviceurl` binding, so one is required and must equal the
 * claim; and a token without `exp` never expires in botbuilder, so one is required.
 */
export class FailClosedAuthentication extends DelegatingAuthentication {
  /**
   * @param channelIssuer when set (authenticated mode), only tokens from this issuer (the
   * channel's) get as far as botbuilder: Switchboard talks to Teams only, so Emulator and skill
   * tokens are refused; and the token must expire and be bound to the activity's serviceUrl.
   */
  constructor(
    inner: BotFrameworkAuthentication,
    private readonly onRejected: (reason: string) => void,
    private readonly channelIssuer?: string,
  ) {
    super(inner);
  }

  override async authenticateRequest(activity: Activity, authHeader: string): Promise<AuthenticateRequestResult> {
    return this.failClosed(async () => {
      if (!this.channelIssuer) return this.inner.authenticateRequest(activity, authHeader);
      this.checkIssuer(authHeader);
      const serviceUrl: unknown = activity.serviceUrl;
      if (typeof serviceUrl !== 'string' || !serviceUrl) throw new Error('the activity has no serviceUrl to bind the token to');
      const result = await this.inner.authenticateRequest(activity, authHeader);
      checkClaims(result.claimsIdentity, serviceUrl);
      return result;
    });
  }

  /** Reads the unverified issuer only to refuse early; botbuilder still verifies everything. */
  private checkIssuer(authHeader: string): void {
    const payload = /^Bearer\s+[\w-]+\.([\w-]+)\.[\w-]*$/i.exec(authHeader?.trim() ?? '')?.[1];
    let issuer: unknown;
    try {
      issuer = payload ? (JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as { iss?: unknown }).iss : undefined;
    } catch {
      issuer = undefined;
    }
    if (payload && issuer !== this.channelIssuer) throw new Error('the token was not issued by the channel');
  }

  override async authenticateStreamingRequest(authHeader: string, channelIdHeader: string): Promise<AuthenticateRequestResult> {
    return this.failClosed(() => this.inner.authenticateStreamingRequest(authHeader, channelIdHeader));
  }

  override async authenticateChannelRequest(authHeader: string): Promise<ClaimsIdentity> {
    return this.failClosed(() => this.inner.authenticateChannelRequest(authHeader));
  }

  private async failClosed<T>(authenticate: () => Promise<T>): Promise<T> {
    try {
      return await authenticate();
    } catch (error) {
      this.onRejected(error instanceof Error ? error.message.split('\n')[0]!.slice(0, 200) : 'unknown');
      throw new AuthenticationError(NOT_AUTHENTICATED, StatusCodes.UNAUTHORIZED);
    }
  }
}

/** The verified token's claims: it expires, and it was issued for this activity's service URL. */
function checkClaims(identity: ClaimsIdentity, serviceUrl: string): void {
  const exp: unknown = identity.getClaimValue('exp');
  if (typeof exp !== 'number' || !Number.isFinite(exp)) throw new Error('the token has no expiry (exp claim)');
  if (identity.getClaimValue(AuthenticationConstants.ServiceUrlClaim) !== serviceUrl) throw new Error('the token\'s serviceurl claim does not match the activity\'s serviceUrl');
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

/** Where the bot gets its outbound tokens: the bot's own tenant. */
export function loginUrlFor(tenantId: string): string {
  return `${AuthenticationConstants.ToChannelFromBotLoginUrlPrefix}${tenantId}`;
}
