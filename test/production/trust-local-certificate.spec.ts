import { ConfigError, loadConfig } from '../../src/config';

/** COSMOS_TRUST_LOCAL_CERTIFICATE: a local emulator's certificate only, never production, never a remote host. */
const LOCAL = {
  NODE_ENV: 'development',
  INSECURE_UNAUTHENTICATED_LOOPBACK: 'true',
  DIRECTORY: 'cosmos',
  COSMOS_ENDPOINT: 'https://127.0.0.1:8081/',
  COSMOS_KEY: 'a2V5',
  COSMOS_TRUST_LOCAL_CERTIFICATE: 'true',
};

function problems(env: Record<string, string>): string {
  try {
    loadConfig(env);
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return (error as Error).message;
  }
  throw new Error('expected the settings to be refused');
}

describe('COSMOS_TRUST_LOCAL_CERTIFICATE', () => {
  it('is accepted for a loopback endpoint with a key outside production', () => {
    for (const endpoint of ['https://127.0.0.1:8081/', 'https://localhost:8081/', 'https://[::1]:8081/']) {
      const config = loadConfig({ ...LOCAL, COSMOS_ENDPOINT: endpoint });
      expect(config.directory).toMatchObject({ kind: 'cosmos', trustLocalCertificate: true });
    }
    expect(loadConfig({ ...LOCAL, COSMOS_TRUST_LOCAL_CERTIFICATE: '' }).directory).toMatchObject({ trustLocalCertificate: false });
  });

  it('is refused in production, naming the setting', () => {
    const message = problems({ ...LOCAL, NODE_ENV: 'production', INSECURE_UNAUTHENTICATED_LOOPBACK: '', COSMOS_KEY: '', MicrosoftAppId: '3f2504e0-4f89-41d3-9a0c-0305e82c3301', MicrosoftAppType: 'UserAssignedMSI', MicrosoftAppTenantId: '3f2504e0-4f89-41d3-9a0c-0305e82c3302' });
    expect(message).toContain('COSMOS_TRUST_LOCAL_CERTIFICATE is never allowed in production');
  });

  it('is refused in production even with the embedded directory', () => {
    const message = problems({ NODE_ENV: 'production', DIRECTORY: 'embedded', MicrosoftAppId: '3f2504e0-4f89-41d3-9a0c-0305e82c3301', MicrosoftAppType: 'UserAssignedMSI', MicrosoftAppTenantId: '3f2504e0-4f89-41d3-9a0c-0305e82c3302', COSMOS_TRUST_LOCAL_CERTIFICATE: 'true' });
    expect(message).toContain('COSMOS_TRUST_LOCAL_CERTIFICATE is never allowed in production');
  });

  it('is refused for an endpoint that is not on loopback', () => {
    for (const endpoint of ['https://switchboard.documents.azure.com:443/', 'https://10.0.0.5:8081/', 'https://127.0.0.1.example.com/']) {
      const message = problems({ ...LOCAL, COSMOS_ENDPOINT: endpoint });
      expect(message).toContain('COSMOS_TRUST_LOCAL_CERTIFICATE is only for a local emulator on a loopback address');
      expect(message).toContain(endpoint);
    }
  });

  it('is refused without an account key, and for any value but true', () => {
    expect(problems({ ...LOCAL, COSMOS_KEY: '' })).toContain('COSMOS_TRUST_LOCAL_CERTIFICATE is only for a local emulator, which needs COSMOS_KEY');
    expect(problems({ ...LOCAL, COSMOS_TRUST_LOCAL_CERTIFICATE: 'yes' })).toContain('COSMOS_TRUST_LOCAL_CERTIFICATE must be true or unset (got "yes")');
  });
});
