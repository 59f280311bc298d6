// A real OpenID provider for the sign-in tests (oidc-provider, an OpenID-certified implementation), on
// loopback only. Started by OidcProvider.java:
//   node provider.mjs PORT REDIRECT_URI POST_LOGOUT_URI
// It prints "ready ISSUER" once it listens. Test users sign in through the provider's own development
// login form (any password); their claims are below, as a municipality's directory might hand them out.
import Provider from 'oidc-provider';

const [port, redirectUri, postLogoutUri] = process.argv.slice(2);
if (!port || !redirectUri) {
  console.error('usage: node provider.mjs PORT REDIRECT_URI [POST_LOGOUT_URI]');
  process.exit(2);
}

const USERS = {
  asta: { name: 'Asta Neuvoja', groups: ['palvelurinki-neuvojat'], office: 'mikkeli' },
  eino: { name: 'Eino Asiantuntija', groups: ['palvelurinki-asiantuntijat', 'palvelurinki-rinki-kela'] },
  olga: { name: 'Olga Valvoja', groups: ['palvelurinki-valvojat'] },
  vieras: { name: 'Ville Vieras', groups: ['kirjasto'] },
};

const CLIENT = { client_id: 'palvelurinki', client_secret: 'palvelurinki-test-secret' };
const issuer = `http://127.0.0.1:${port}`;

const provider = new Provider(issuer, {
  clients: [{
    ...CLIENT,
    redirect_uris: [redirectUri],
    post_logout_redirect_uris: postLogoutUri ? [postLogoutUri] : [],
    grant_types: ['authorization_code'],
    response_types: ['code'],
    token_endpoint_auth_method: 'client_secret_basic',
  }],
  // The relying party must use PKCE even though it is a confidential client.
  pkce: { required: () => true },
  claims: { openid: ['sub'], profile: ['name'], groups: ['groups', 'office'] },
  // Claims in the ID token itself, as directories configured for single sign-on usually do.
  conformIdTokenClaims: false,
  features: { devInteractions: { enabled: true }, rpInitiatedLogout: { enabled: true } },
  cookies: { keys: ['palvelurinki-test-cookie-key'] },
  async findAccount(ctx, id) {
    const user = USERS[id];
    if (!user) return undefined;
    return { accountId: id, async claims() { return { sub: id, ...user }; } };
  },
  // A first-party client: no consent screen, every requested scope granted.
  async loadExistingGrant(ctx) {
    const grant = new ctx.oidc.provider.Grant({ clientId: ctx.oidc.client.clientId, accountId: ctx.oidc.session.accountId });
    grant.addOIDCScope(ctx.oidc.requestParamScopes ? [...ctx.oidc.requestParamScopes].join(' ') : 'openid');
    await grant.save();
    return grant;
  },
});
provider.proxy = false;

const server = provider.listen(Number(port), '127.0.0.1', () => {
  console.log(`ready ${issuer}`);
});
process.on('SIGTERM', () => server.close(() => process.exit(0)));
