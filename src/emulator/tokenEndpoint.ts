/**
 * `POST /{tenant}/oauth2/v2.0/token`: validates the common parameters and
 * dispatches to the grant handler registered for `grant_type`
 * (see `grantHandlers.ts`).
 */
import { malformedRequest, missingParameter, unsupportedGrantType } from "./entraErrors.js";
import { jsonResponse, type EmulatorHttpRequest, type EmulatorHttpResponse } from "./httpMessages.js";
import type { EmulatorRuntime } from "./emulatorRuntime.js";
import type { TokenRequestParameters } from "./tokenRequestParameters.js";

/** Handles a token request for a known tenant. Throws `EntraError` for OAuth errors. */
export async function handleTokenRequest(
  request: EmulatorHttpRequest,
  runtime: EmulatorRuntime,
  tenant: { tenantId: string; tenantSegment: string },
  params: TokenRequestParameters,
): Promise<EmulatorHttpResponse> {
  if (params.problems.length > 0) {
    throw malformedRequest(params.problems.join(" "));
  }
  if (params.grantType === undefined) {
    throw missingParameter("grant_type");
  }
  const handler = runtime.grantHandlers.get(params.grantType);
  if (!handler) {
    throw unsupportedGrantType(params.grantType);
  }
  const body = await handler({ request, runtime, params, ...tenant });
  return jsonResponse(200, body);
}
