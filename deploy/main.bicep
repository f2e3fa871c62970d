// Switchboard on Azure: a user-assigned managed identity that is both the bot's identity and the
// app's Cosmos DB identity, a Linux web app (Node 22 LTS: Node 20 left support in April 2026), an Azure Bot with the Teams channel,
// Cosmos DB (NoSQL) with local (key) auth disabled and data-plane RBAC, and Application Insights.
//
// Not compiled on the machine it was written on: run `az bicep build -f deploy/main.bicep` and
// `az deployment group what-if` before the first real deployment (see deploy/README.md).
//
// The web app's appSettings below are checked by test/deploy/bicep-settings.spec.ts against the
// SETTINGS table in src/config.ts: every setting production needs must be here, no secret may be.

targetScope = 'resourceGroup'

// ---------------------------------------------------------------------------------------------
// Parameters
// ---------------------------------------------------------------------------------------------

@description('Short name the resource names start with: lowercase letters, digits and hyphens, starting with a letter.')
@minLength(3)
@maxLength(20)
param namePrefix string

@description('Azure region for everything except the bot registration, which is global.')
param location string = resourceGroup().location

@description('App Service plan SKU. Basic or above: the web app runs with alwaysOn.')
@allowed([
  'B1'
  'B2'
  'B3'
  'S1'
  'S2'
  'S3'
  'P0v3'
  'P1v3'
  'P2v3'
  'P3v3'
])
param appServicePlanSku string = 'B1'

@description('Azure Bot pricing tier. Teams is a standard channel: F0 is enough for it.')
@allowed([
  'F0'
  'S1'
])
param botSku string = 'F0'

@description('Name shown for the bot registration in the Azure portal.')
param botDisplayName string = 'Switchboard'

@description('Cosmos DB database id (the app reads it as COSMOS_DATABASE).')
param cosmosDatabaseName string = 'switchboard'

@description('true: serverless Cosmos DB account (pay per request, one region). false: provisioned, with autoscale throughput shared by the database.')
param cosmosServerless bool = true

@description('With cosmosServerless=false: autoscale maximum RU/s shared by all containers of the database.')
@minValue(1000)
param cosmosAutoscaleMaxThroughput int = 1000

@description('Days a conversation position (bot state) is kept after its last change (COSMOS_STATE_TTL_DAYS).')
@minValue(1)
@maxValue(3650)
param stateTtlDays int = 90

@description('Days an audit entry of a subscription change is kept (COSMOS_AUDIT_RETENTION_DAYS); export the directory to keep entries longer. See docs/cosmos.md for the growth calculation.')
@minValue(1)
@maxValue(3650)
param auditRetentionDays int = 730

@description('Days the Log Analytics workspace keeps logs and Application Insights telemetry.')
@minValue(30)
@maxValue(730)
param logRetentionDays int = 30

@description('How card buttons reach the bot (CARD_ACTIONS): execute (Universal Actions with an Action.Submit fallback) or submit (Action.Submit only, for tenants whose Teams phone clients fail on Action.Execute).')
@allowed([
  'execute'
  'submit'
])
param cardActions string = 'execute'

@description('Tags put on every resource.')
param tags object = {
  app: 'switchboard'
}

// ---------------------------------------------------------------------------------------------
// Names and the Cosmos DB container design
// ---------------------------------------------------------------------------------------------

// Web app, bot and Cosmos DB names are global: a short suffix keeps them unique per resource group.
var suffix = take(uniqueString(subscription().id, resourceGroup().id, namePrefix), 6)
var identityName = '${namePrefix}-id'
var planName = '${namePrefix}-plan'
var webAppName = '${namePrefix}-${suffix}'
var botName = '${namePrefix}-bot-${suffix}'
var cosmosAccountName = toLower('${namePrefix}-cosmos-${suffix}')
var workspaceName = '${namePrefix}-logs'
var appInsightsName = '${namePrefix}-appi'

// Built-in Cosmos DB data-plane role "Cosmos DB Built-in Data Contributor".
var cosmosDataContributorRoleId = '00000000-0000-0000-0000-000000000002'

// Indexing: range indexes on every path (the default) except what no query reads, which only
// makes writes dearer. Every query is in src/directory/cosmos (docs/cosmos.md, "Queries"):
// accounts are filtered and ordered by rootId, type, parentId, childKey, searchKey, lineage[],
// accountId and seq (search keys by rootId, type, lineage[] and key; who holds an offer by
// subscriptions[].sku and enabledOffers[]), never by the denormalized ancestor copies, a search
// key's copy of the path, the brand, an audit entry's body or an outbox record's notices and
// settled lists; lookups by pk, type and _ts; bot state is only ever point-read.
// Single-field ORDER BY only: no composite indexes.
var accountsIndexingPolicy = {
  indexingMode: 'consistent'
  automatic: true
  includedPaths: [
    {
      path: '/*'
    }
  ]
  excludedPaths: [
    {
      path: '/ancestors/*'
    }
    {
      path: '/brand/*'
    }
    {
      path: '/entry/*'
    }
    {
      path: '/notices/*'
    }
    {
      path: '/settled/*'
    }
    {
      path: '/path/*'
    }
    {
      path: '/"_etag"/?'
    }
  ]
}
var lookupsIndexingPolicy = {
  indexingMode: 'consistent'
  automatic: true
  includedPaths: [
    {
      path: '/*'
    }
  ]
  excludedPaths: [
    {
      path: '/admin/*'
    }
    {
      path: '/roots/*'
    }
    {
      path: '/offers/*'
    }
    {
      path: '/rootIds/*'
    }
    {
      path: '/"_etag"/?'
    }
  ]
}
var botStateIndexingPolicy = {
  indexingMode: 'consistent'
  automatic: true
  includedPaths: []
  excludedPaths: [
    {
      path: '/*'
    }
  ]
}

// The containers the app expects, exactly as CONTAINER_SPECS in src/directory/cosmos/containers.ts
// (test/deploy checks they agree). Audit entries live in `accounts`; admins, account locators and
// the offer catalogue in `lookups`. A partition key cannot change once a container exists.
// ttl: defaultTtl -1 makes Cosmos DB honour the per-item ttl the app writes on bot state
// (COSMOS_STATE_TTL_DAYS) and audit entries (COSMOS_AUDIT_RETENTION_DAYS); items without one
// (accounts) never expire. Nothing in `lookups` may expire, so it has no TTL at all.
var cosmosContainers = [
  {
    id: 'accounts'
    partitionKey: '/rootId'
    indexingPolicy: accountsIndexingPolicy
    ttl: {
      defaultTtl: -1
    }
  }
  {
    id: 'lookups'
    partitionKey: '/pk'
    indexingPolicy: lookupsIndexingPolicy
    ttl: {}
  }
  {
    id: 'botState'
    partitionKey: '/id'
    indexingPolicy: botStateIndexingPolicy
    ttl: {
      defaultTtl: -1
    }
  }
]

// ---------------------------------------------------------------------------------------------
// Identity
// ---------------------------------------------------------------------------------------------

// The bot's Microsoft App ID is this identity's client id (msaAppType UserAssignedMSI): no app
// registration and no client secret. The same identity reads and writes Cosmos DB.
resource identity 'Microsoft.ManagedIdentity/userAssignedIdentities@2023-01-31' = {
  name: identityName
  location: location
  tags: tags
}

// ---------------------------------------------------------------------------------------------
// Monitoring
// ---------------------------------------------------------------------------------------------

resource workspace 'Microsoft.OperationalInsights/workspaces@2023-09-01' = {
  name: workspaceName
  location: location
  tags: tags
  properties: {
    sku: {
      name: 'PerGB2018'
    }
    retentionInDays: logRetentionDays
    features: {
      enableLogAccessUsingOnlyResourcePermissions: true
    }
  }
}

resource appInsights 'Microsoft.Insights/components@2020-02-02' = {
  name: appInsightsName
  location: location
  tags: tags
  kind: 'web'
  properties: {
    Application_Type: 'web'
    WorkspaceResourceId: workspace.id
    // Retention is the workspace's (logRetentionDays).
    IngestionMode: 'LogAnalytics'
  }
}

// ---------------------------------------------------------------------------------------------
// Cosmos DB (NoSQL): Entra ID only, containers created here (the app cannot create them:
// data-plane RBAC does not allow database or container creation).
// ---------------------------------------------------------------------------------------------

resource cosmos 'Microsoft.DocumentDB/databaseAccounts@2024-05-15' = {
  name: cosmosAccountName
  location: location
  tags: tags
  kind: 'GlobalDocumentDB'
  properties: {
    databaseAccountOfferType: 'Standard'
    consistencyPolicy: {
      defaultConsistencyLevel: 'Session'
    }
    locations: [
      {
        locationName: location
        failoverPriority: 0
        isZoneRedundant: false
      }
    ]
    capabilities: cosmosServerless ? [
      {
        name: 'EnableServerless'
      }
    ] : []
    disableLocalAuth: true
    disableKeyBasedMetadataWriteAccess: true
    minimalTlsVersion: 'Tls12'
    publicNetworkAccess: 'Enabled'
  }
}

resource database 'Microsoft.DocumentDB/databaseAccounts/sqlDatabases@2024-05-15' = {
  parent: cosmos
  name: cosmosDatabaseName
  properties: {
    resource: {
      id: cosmosDatabaseName
    }
    options: cosmosServerless ? {} : {
      autoscaleSettings: {
        maxThroughput: cosmosAutoscaleMaxThroughput
      }
    }
  }
}

resource containers 'Microsoft.DocumentDB/databaseAccounts/sqlDatabases/containers@2024-05-15' = [for c in cosmosContainers: {
  parent: database
  name: c.id
  properties: {
    resource: union({
      id: c.id
      partitionKey: {
        paths: [
          c.partitionKey
        ]
        kind: 'Hash'
        version: 2
      }
      indexingPolicy: c.indexingPolicy
    }, c.ttl)
  }
}]

// Data Contributor (read, write and query items; read metadata) on the account, which holds only
// Switchboard's database: the SDK also reads account metadata when it starts.
resource cosmosDataContributor 'Microsoft.DocumentDB/databaseAccounts/sqlRoleAssignments@2024-05-15' = {
  parent: cosmos
  name: guid(cosmos.id, identity.id, cosmosDataContributorRoleId)
  properties: {
    roleDefinitionId: '${cosmos.id}/sqlRoleDefinitions/${cosmosDataContributorRoleId}'
    principalId: identity.properties.principalId
    scope: cosmos.id
  }
}

// ---------------------------------------------------------------------------------------------
// App Service
// ---------------------------------------------------------------------------------------------

resource plan 'Microsoft.Web/serverfarms@2023-12-01' = {
  name: planName
  location: location
  tags: tags
  kind: 'linux'
  sku: {
    name: appServicePlanSku
  }
  properties: {
    reserved: true
  }
}

resource site 'Microsoft.Web/sites@2023-12-01' = {
  name: webAppName
  location: location
  tags: tags
  kind: 'app,linux'
  identity: {
    type: 'UserAssigned'
    userAssignedIdentities: {
      '${identity.id}': {}
    }
  }
  properties: {
    serverFarmId: plan.id
    httpsOnly: true
    clientAffinityEnabled: false
    siteConfig: {
      linuxFxVersion: 'NODE|22-lts'
      // The compiled app; `npm start` would rebuild first (prestart) and needs devDependencies.
      appCommandLine: 'node --expose-gc dist/src/server.js'
      alwaysOn: true
      http20Enabled: true
      minTlsVersion: '1.2'
      scmMinTlsVersion: '1.2'
      ftpsState: 'Disabled'
      healthCheckPath: '/healthz'
      // This template owns the app settings: a deployment replaces the whole list, so settings
      // added in the portal are lost on the next one. Add optional ones (portal URL templates,
      // MAX_QUANTITY) here. Never add COSMOS_KEY or MicrosoftAppPassword.
      appSettings: [
        {
          name: 'NODE_ENV'
          value: 'production'
        }
        {
          name: 'DIRECTORY'
          value: 'cosmos'
        }
        {
          name: 'COSMOS_ENDPOINT'
          value: cosmos.properties.documentEndpoint
        }
        {
          name: 'COSMOS_DATABASE'
          value: database.name
        }
        {
          name: 'AZURE_CLIENT_ID'
          value: identity.properties.clientId
        }
        {
          name: 'COSMOS_STATE_TTL_DAYS'
          value: string(stateTtlDays)
        }
        {
          name: 'COSMOS_AUDIT_RETENTION_DAYS'
          value: string(auditRetentionDays)
        }
        {
          name: 'MicrosoftAppId'
          value: identity.properties.clientId
        }
        {
          name: 'MicrosoftAppType'
          value: 'UserAssignedMSI'
        }
        {
          name: 'MicrosoftAppTenantId'
          value: tenant().tenantId
        }
        {
          name: 'CARD_ACTIONS'
          value: cardActions
        }
        {
          name: 'APPLICATIONINSIGHTS_CONNECTION_STRING'
          value: appInsights.properties.ConnectionString
        }
        {
          // Application Insights agent for Node.js on Linux (no SDK in the app).
          name: 'ApplicationInsightsAgent_EXTENSION_VERSION'
          value: '~3'
        }
        {
          // Read on Windows plans only; on Linux linuxFxVersion chooses the runtime.
          name: 'WEBSITE_NODE_DEFAULT_VERSION'
          value: '~22'
        }
        {
          // A zip deployment of the sources is built on App Service (Oryx).
          name: 'SCM_DO_BUILD_DURING_DEPLOYMENT'
          value: 'true'
        }
        {
          // Oryx's own build would run a plain `npm install`, which skips devDependencies (and so
          // the TypeScript compiler) because NODE_ENV=production is set above.
          name: 'CUSTOM_BUILD_COMMAND'
          value: 'npm ci --include=dev && npm run build && npm prune --omit=dev'
        }
      ]
    }
  }
}

// No FTP deployments with basic credentials (ftpsState is Disabled as well).
resource ftpBasicAuth 'Microsoft.Web/sites/basicPublishingCredentialsPolicies@2023-12-01' = {
  parent: site
  name: 'ftp'
  properties: {
    allow: false
  }
}

// The app's console output (JSON lines) and HTTP logs, in the same workspace as the telemetry.
resource siteDiagnostics 'Microsoft.Insights/diagnosticSettings@2021-05-01-preview' = {
  name: 'to-log-analytics'
  scope: site
  properties: {
    workspaceId: workspace.id
    logs: [
      {
        category: 'AppServiceConsoleLogs'
        enabled: true
      }
      {
        category: 'AppServiceHTTPLogs'
        enabled: true
      }
    ]
    metrics: [
      {
        category: 'AllMetrics'
        enabled: true
      }
    ]
  }
}

// ---------------------------------------------------------------------------------------------
// Azure Bot with the Teams channel
// ---------------------------------------------------------------------------------------------

var messagingEndpoint = 'https://${site.properties.defaultHostName}/api/messages'

resource bot 'Microsoft.BotService/botServices@2022-09-15' = {
  name: botName
  location: 'global'
  tags: tags
  kind: 'azurebot'
  sku: {
    name: botSku
  }
  properties: {
    displayName: botDisplayName
    description: 'Switchboard: account navigation and licence changes for Call2Teams partner admins.'
    endpoint: messagingEndpoint
    msaAppId: identity.properties.clientId
    msaAppType: 'UserAssignedMSI'
    msaAppMSIResourceId: identity.id
    msaAppTenantId: tenant().tenantId
  }
}

resource teamsChannel 'Microsoft.BotService/botServices/channels@2022-09-15' = {
  parent: bot
  name: 'MsTeamsChannel'
  location: 'global'
  properties: {
    channelName: 'MsTeamsChannel'
    properties: {
      isEnabled: true
      enableCalling: false
    }
  }
}

// ---------------------------------------------------------------------------------------------
// Outputs
// ---------------------------------------------------------------------------------------------

@description('The bot id for the Teams app manifest (bots[].botId): the managed identity\'s client id.')
output botId string = identity.properties.clientId

@description('Name of the Azure Bot resource.')
output botName string = bot.name

@description('Name of the web app, for az webapp deploy.')
output webAppName string = site.name

@description('Host name of the web app.')
output appHostname string = site.properties.defaultHostName

@description('The bot\'s messaging endpoint.')
output messagingEndpoint string = messagingEndpoint

@description('Cosmos DB account endpoint (COSMOS_ENDPOINT).')
output cosmosEndpoint string = cosmos.properties.documentEndpoint

@description('Cosmos DB account name.')
output cosmosAccountName string = cosmos.name

@description('Cosmos DB database id (COSMOS_DATABASE).')
output cosmosDatabaseName string = database.name

@description('Principal (object) id of the managed identity, for further role assignments.')
output identityPrincipalId string = identity.properties.principalId

@description('Entra tenant of the bot and its identity.')
output tenantId string = tenant().tenantId

@description('Application Insights resource name.')
output appInsightsName string = appInsights.name
