/**
 * Metadata endpoints: OpenID Connect discovery, instance discovery and the
 * tenant JWKS. URLs in them use the origin the client addressed, so msal's
 * issuer check (issuer host == authority host) passes.
 */
import { jsonResponse, type EmulatorHttpRequest, type EmulatorHttpResponse } from "./httpMessages.js";
import type { TokenSigningKey } from "./emulatorCertificateAuthority.js";

/** `GET /{tenant}/v2.0/.well-known/openid-configuration` (also the v1 path). */
export function openIdConfiguration(request: EmulatorHttpRequest, tenantId: string): EmulatorHttpResponse {
  const base = `${request.origin}/${tenantId}`;
  return jsonResponse(200, {
    token_endpoint: `${base}/oauth2/v2.0/token`,
    token_endpoint_auth_methods_supported: ["client_secret_post", "private_key_jwt", "client_secret_basic"],
    jwks_uri: `${base}/discovery/v2.0/keys`,
    response_modes_supported: ["query", "fragment", "form_post"],
    subject_types_supported: ["pairwise"],
    id_token_signing_alg_values_supported: ["RS256"],
    response_types_supported: ["code", "id_token", "code id_token", "id_token token"],
    scopes_supported: ["openid", "profile", "email", "offline_access"],
    issuer: `${base}/v2.0`,
    request_uri_parameter_supported: false,
    userinfo_endpoint: "https://graph.microsoft.com/oidc/userinfo",
    authorization_endpoint: `${base}/oauth2/v2.0/authorize`,
    device_authorization_endpoint: `${base}/oauth2/v2.0/devicecode`,
    http_logout_supported: true,
    frontchannel_logout_supported: true,
    end_session_endpoint: `${base}/oauth2/v2.0/logout`,
    claims_supported: [
      "sub", "iss", "cloud_instance_name", "cloud_instance_host_name", "cloud_graph_host_name", "msgraph_host",
      "aud", "exp", "iat", "auth_time", "acr", "nonce", "preferred_username", "name", "tid", "ver", "at_hash",
      "c_hash", "email",
    ],
    kerberos_endpoint: `${base}/kerberos`,
    tenant_region_scope: null,
    cloud_instance_name: "microsoftonline.com",
    cloud_graph_host_name: "graph.windows.net",
    msgraph_host: "graph.microsoft.com",
    rbac_url: "https://pas.windows.net",
  });
}

/** `GET /common/discovery/instance?api-version=1.1&authorization_endpoint=...`. */
export function instanceDiscovery(request: EmulatorHttpRequest): EmulatorHttpResponse {
  const host = new URL(request.origin).host;
  let tenant = "common";
  const authorizationEndpoint = request.query.get("authorization_endpoint");
  if (authorizationEndpoint) {
    try {
      tenant = new URL(authorizationEndpoint).pathname.split("/")[1] || tenant;
    } catch {
      // keep "common"
    }
  }
  return jsonResponse(200, {
    tenant_discovery_endpoint: `${request.origin}/${tenant}/v2.0/.well-known/openid-configuration`,
    "api-version": "1.1",
    metadata: [{ preferred_network: host, preferred_cache: host, aliases: [host] }],
  });
}

/** `GET /{tenant}/discovery/v2.0/keys`: the token-signing key as a JWKS. */
export function jsonWebKeySet(request: EmulatorHttpRequest, tenantId: string, key: TokenSigningKey): EmulatorHttpResponse {
  return jsonResponse(200, {
    keys: [
      {
        kty: "RSA",
        use: "sig",
        kid: key.kid,
        x5t: key.x5t,
        n: key.n,
        e: key.e,
        x5c: [key.certificateDer.toString("base64")],
        issuer: `${request.origin}/${tenantId}/v2.0`,
      },
    ],
  });
}
