/**
 * Client lookup and confidential-client authentication shared by grant
 * handlers: client secret (form or HTTP Basic) or JWT client assertion.
 */
import { JWT_BEARER_ASSERTION_TYPE } from "./clientAssertionVerifier.js";
import { verifyClientSecret } from "./clientSecretVerifier.js";
import { isFederatedAssertion, verifyFederatedAssertion } from "./federatedAssertion.js";
import { decodeJws, type DecodedJws } from "./jose.js";
import {
  applicationNotFound,
  invalidClientSecret,
  malformedRequest,
  missingClientCredential,
  missingParameter,
} from "./entraErrors.js";
import type { ClientAuthMethod } from "./accessTokenIssuer.js";
import type { RegisteredApp } from "./emulatorDirectory.js";
import type { GrantContext } from "./grantHandlers.js";

/** The registered app named by `client_id`; throws 900144 / 700016 otherwise. */
export function requireApp(context: GrantContext): RegisteredApp {
  const clientId = context.params.clientId;
  if (clientId === undefined) {
    throw missingParameter("client_id");
  }
  const app = context.runtime.directory.findApp(context.tenantId, clientId);
  if (!app) {
    throw applicationNotFound(clientId, context.tenantId);
  }
  return app;
}

/** Token endpoint URLs a client assertion's `aud` may name for this request. */
export function acceptedAssertionAudiences(context: GrantContext): string[] {
  const origins = new Set([context.request.origin, ...context.runtime.origins]);
  const tenants = new Set([context.tenantSegment, context.tenantId]);
  const result: string[] = [];
  for (const origin of origins) {
    for (const tenant of tenants) {
      result.push(`${origin}/${tenant}/oauth2/v2.0/token`, `${origin}/${tenant}/oauth2/token`);
    }
  }
  return result;
}

/**
 * Authenticates a confidential client with a secret or a client assertion
 * (certificate-signed, or federated — see `federatedAssertion.ts`).
 * Throws `EntraError` 7000218 (nothing presented), 7000215 (wrong secret),
 * 700027 and friends (bad assertion), 70021 (no matching federated credential).
 */
export function authenticateClient(context: GrantContext, app: RegisteredApp): ClientAuthMethod {
  const { params, runtime } = context;
  if (params.clientAssertion !== undefined && params.clientSecret !== undefined) {
    throw malformedRequest("Send either 'client_secret' or 'client_assertion', not both.");
  }
  if (params.clientAssertion !== undefined) {
    if (params.clientAssertionType === undefined) {
      throw missingParameter("client_assertion_type");
    }
    if (params.clientAssertionType !== JWT_BEARER_ASSERTION_TYPE) {
      throw malformedRequest(`Unsupported client_assertion_type; use '${JWT_BEARER_ASSERTION_TYPE}'.`);
    }
    let jws: DecodedJws | undefined;
    try {
      jws = decodeJws(params.clientAssertion);
    } catch {
      jws = undefined; // the certificate verifier reports the malformed assertion
    }
    if (jws && isFederatedAssertion(jws, app)) {
      verifyFederatedAssertion(params.clientAssertion, app, runtime.tokenIssuer);
      return "assertion";
    }
    runtime.assertionVerifier.verify(params.clientAssertion, { app, acceptedAudiences: acceptedAssertionAudiences(context) });
    return "assertion";
  }
  if (params.clientSecret !== undefined) {
    if (!verifyClientSecret(params.clientSecret, app.secretDigests)) {
      throw invalidClientSecret(app.clientId);
    }
    return "secret";
  }
  throw missingClientCredential();
}
