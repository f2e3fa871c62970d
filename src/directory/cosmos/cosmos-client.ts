import type { Agent } from 'node:http';
import https from 'node:https';
import { CosmosClient, type CosmosClientOptions, type PluginConfig } from '@azure/cosmos';
import { DefaultAzureCredential, ManagedIdentityCredential, type TokenCredential } from '@azure/identity';
import { endpointHost, isLoopback, TRUST_LOCAL_CERTIFICATE_SETTING, type CosmosSettings } from '../../config';

/**
 * What a test (or a local tool) may change about how the client connects. Production passes
 * none of it.
 */
export interface CosmosConnectionOverrides {
  /** An https.Agent, e.g. one that accepts the stand-in's self-signed certificate (never a process-wide TLS switch). */
  readonly agent?: Agent;
  /** Pipeline plugins, e.g. a request counter. */
  readonly plugins?: readonly PluginConfig[];
  /** Off for a single-endpoint stand-in, which has no regions to discover. */
  readonly enableEndpointDiscovery?: boolean;
  /** An Entra ID credential to use instead of the one the settings choose (tests). */
  readonly credential?: TokenCredential;
  /** Instead of REQUEST_TIMEOUT_MS: the directory CLI moves many documents a request, outside any turn. */
  readonly requestTimeoutMs?: number;
  /** Instead of THROTTLE_RETRY: the directory CLI can wait out throttling. */
  readonly throttleRetry?: { readonly maxRetryAttemptCount: number; readonly maxWaitTimeInSeconds: number };
}

/**
 * One request waits at most this long: a hung connection must leave time, inside the adapter's
 * deadline, to report the directory as unavailable (and for a read, one more attempt).
 */
export const REQUEST_TIMEOUT_MS = 2000;

/**
 * 429s are retried by the SDK, honouring the service's retry-after, but only for so long: a turn
 * cannot wait the SDK's default 30 s, so throttling that outlasts this becomes "unavailable".
 */
export const THROTTLE_RETRY = { maxRetryAttemptCount: 9, maxWaitTimeInSeconds: 3 } as const;

/** Entra ID in production: the user-assigned managed identity when its client id is set. */
export function credentialFor(settings: Pick<CosmosSettings, 'managedIdentityClientId'>): TokenCredential {
  return settings.managedIdentityClientId
    ? new ManagedIdentityCredential({ clientId: settings.managedIdentityClientId })
    : new DefaultAzureCredential();
}

/**
 * With trustLocalCertificate (config.ts allows it only outside production, for a loopback
 * endpoint with a key): an agent that accepts the emulator's self-signed or expired certificate,
 * for this client only, and no endpoint discovery (a local server has no regions).
 */
function localServerConnection(settings: CosmosSettings): CosmosConnectionOverrides {
  if (!settings.trustLocalCertificate) return {};
  const host = endpointHost(settings.endpoint);
  if (host === undefined || !isLoopback(host) || !settings.key) {
    throw new Error(`${TRUST_LOCAL_CERTIFICATE_SETTING} is only for a loopback endpoint with an account key (got ${settings.endpoint})`);
  }
  return { agent: new https.Agent({ rejectUnauthorized: false, keepAlive: true }), enableEndpointDiscovery: false };
}

export function createCosmosClient(settings: CosmosSettings, given: CosmosConnectionOverrides = {}): CosmosClient {
  const overrides: CosmosConnectionOverrides = { ...localServerConnection(settings), ...Object.fromEntries(Object.entries(given).filter(([, v]) => v !== undefined)) };
  // `plugins` is read by the client but not yet part of its published options type.
  const options: CosmosClientOptions & { plugins?: PluginConfig[] } = {
    endpoint: settings.endpoint,
    // An account key only when configured, which config.ts refuses in production.
    ...(settings.key ? { key: settings.key } : { aadCredentials: overrides.credential ?? credentialFor(settings) }),
    connectionPolicy: {
      requestTimeout: overrides.requestTimeoutMs ?? REQUEST_TIMEOUT_MS,
      enableEndpointDiscovery: overrides.enableEndpointDiscovery ?? true,
      retryOptions: { ...(overrides.throttleRetry ?? THROTTLE_RETRY) },
    },
    userAgentSuffix: 'switchboard',
    ...(overrides.agent ? { agent: overrides.agent } : {}),
    ...(overrides.plugins ? { plugins: [...overrides.plugins] } : {}),
  };
  return new CosmosClient(options);
}
