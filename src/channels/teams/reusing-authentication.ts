import { ConfigurationBotFrameworkAuthentication } from 'botbuilder';
import { LRUCache } from 'lru-cache';
import { checkServiceUrl } from '../../shared/service-url-hosts';

/** A Connector client was asked for a service URL that is not loopback or a Bot Framework host. */
class ServiceUrlRefusedError extends Error {
  constructor(reason: string) {
    super(`refused to call the service URL: ${reason}`);
    this.name = 'ServiceUrlRefusedError';
  }
}

type ClaimsIdentity = Parameters<ConfigurationBotFrameworkAuthentication['createConnectorFactory']>[0];
type ConnectorFactory = ReturnType<ConfigurationBotFrameworkAuthentication['createConnectorFactory']>;
type ConnectorClient = Awaited<ReturnType<ConnectorFactory['create']>>;
type AuthenticateRequestResult = Awaited<ReturnType<ConfigurationBotFrameworkAuthentication['authenticateRequest']>>;
type UserTokenClient = Awaited<ReturnType<ConfigurationBotFrameworkAuthentication['createUserTokenClient']>>;

/**
 * Bounded: in the open (no app id) mode the service URL comes from the request, and a stream of
 * made-up URLs must not grow the process. Real deployments talk to a handful of regional URLs.
 */
const MAX_CLIENTS = 64;

// The claims botbuilder itself takes the bot's app id from (audience for channel tokens, appid for the Emulator).
const appIdOf = (identity: ClaimsIdentity): string => identity.getClaimValue('aud') ?? identity.getClaimValue('appid') ?? '';

/**
 * botbuilder builds a new ConnectorClient and a new UserTokenClient for every incoming activity:
 * each one a full HTTP pipeline, about a tenth of a millisecond of CPU, a large share of a turn.
 * They hold no per-turn state (the credentials object caches and refreshes its own token), so one
 * per app id and service URL serves every turn.
 */
export class ReusingBotFrameworkAuthentication extends ConfigurationBotFrameworkAuthentication {
  private readonly connectorClients = new LRUCache<string, Promise<ConnectorClient>>({ max: MAX_CLIENTS });
  private readonly userTokenClients = new LRUCache<string, Promise<UserTokenClient>>({ max: MAX_CLIENTS });

  constructor(
    configuration: ConstructorParameters<typeof ConfigurationBotFrameworkAuthentication>[0],
    credentialsFactory: ConstructorParameters<typeof ConfigurationBotFrameworkAuthentication>[1],
    /** Every Connector client is made here: a service URL off this list never gets one (see service-url-hosts.ts). */
    private readonly serviceUrlHosts: readonly string[],
  ) {
    super(configuration, credentialsFactory);
  }

  override async authenticateRequest(activity: Parameters<ConfigurationBotFrameworkAuthentication['authenticateRequest']>[0], authHeader: string): Promise<AuthenticateRequestResult> {
    const result = await super.authenticateRequest(activity, authHeader);
    if (!result.connectorFactory) return result;
    return { ...result, connectorFactory: this.reusing(result.connectorFactory, appIdOf(result.claimsIdentity)) };
  }

  override createConnectorFactory(claimsIdentity: ClaimsIdentity): ConnectorFactory {
    return this.reusing(super.createConnectorFactory(claimsIdentity), appIdOf(claimsIdentity));
  }

  override createUserTokenClient(claimsIdentity: ClaimsIdentity): Promise<UserTokenClient> {
    const key = appIdOf(claimsIdentity);
    const cached = this.userTokenClients.get(key);
    if (cached) return cached;
    const created = super.createUserTokenClient(claimsIdentity);
    // A failed creation (credentials unavailable) is not kept: the next turn tries again.
    created.catch(() => this.userTokenClients.delete(key));
    this.userTokenClients.set(key, created);
    return created;
  }

  private reusing(factory: ConnectorFactory, appId: string): ConnectorFactory {
    const clients = this.connectorClients;
    const hosts = this.serviceUrlHosts;
    const reusingFactory = {
      create(serviceUrl: string, audience?: string): Promise<ConnectorClient> {
        // The last line of defence: proactive posts use stored references, which may predate the check at the door.
        const verdict = checkServiceUrl(serviceUrl, hosts);
        if (!verdict.allowed) return Promise.reject(new ServiceUrlRefusedError(verdict.reason));
        const key = `${appId}\n${serviceUrl}\n${audience ?? ''}`;
        const cached = clients.get(key);
        if (cached) return cached;
        const created = factory.create(serviceUrl, audience);
        created.catch(() => clients.delete(key));
        clients.set(key, created);
        return created;
      },
    };
    return reusingFactory;
  }
}
