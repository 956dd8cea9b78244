/**
 * The user-sign-in, federation, Azure Pipelines and managed identity methods
 * of a running emulator ({@link EmulatorIdentityApi}).
 */
import { simulateBrowser } from "./browserSimulator.js";
import { approveDeviceCode, declineDeviceCode } from "./deviceCodeFlow.js";
import { mintFederatedToken } from "./federatedAssertion.js";
import { managedIdentityEnvironment } from "./managedIdentityEnvironment.js";
import { permissionNames } from "./userScopes.js";
import { issueUserAccessToken, userIdentity } from "./userTokenIssuer.js";
import type { EmulatorIdentityApi, ManagedIdentitySourceKind } from "./emulatorIdentityTypes.js";
import type { EmulatorRuntime } from "./emulatorRuntime.js";

/** What the identity API needs besides the runtime. */
export interface IdentityApiContext {
  runtime: EmulatorRuntime;
  /** Origin of the plain-HTTP managed identity listener. */
  httpOrigin: string;
  /** SHA-1 thumbprint (hex) of the TLS certificate, for Service Fabric. */
  tlsThumbprint: string;
  caCertificatePem: string;
}

/** Builds the identity API of an emulator. */
export function createIdentityApi(context: IdentityApiContext): EmulatorIdentityApi {
  const { runtime, httpOrigin } = context;
  const { directory, users } = runtime;

  const environment = (kind: ManagedIdentitySourceKind): Record<string, string> => {
    if (kind === "arc" && !runtime.arc.enabled) {
      throw new Error("managedIdentityEnvironment('arc'): call emulator.enableArc() first (it writes secret files under msal-node's Azure Arc directory)");
    }
    const system = runtime.managedIdentities.systemAssigned;
    return managedIdentityEnvironment(kind, {
      httpOrigin,
      httpsOrigin: runtime.authorityHost,
      secret: runtime.managedIdentitySecret,
      tlsThumbprint: context.tlsThumbprint,
      ...(system ? { systemAssignedClientId: system.clientId } : {}),
    });
  };

  return {
    addUser: (user) => {
      directory.addUser(user);
    },
    approveDeviceCode: (userCode, username) => approveDeviceCode(runtime, userCode, username),
    declineDeviceCode: (userCode) => declineDeviceCode(runtime, userCode),
    setInteractiveUser: (username) => {
      users.interactiveUser = username;
    },
    declineNextInteractiveSignIn: () => {
      users.declineNextInteractive = true;
    },
    openBrowser: (url) => simulateBrowser(url, context.caCertificatePem),
    revokeRefreshTokens: (username) =>
      users.refreshTokens.revoke((grant) => username === undefined || grant.user.username.toLowerCase() === username.toLowerCase()),
    issueUserToken: (request) => {
      const tenantId = request.tenantId === undefined ? directory.defaultTenantId : directory.findTenant(request.tenantId);
      if (tenantId === undefined) throw new TypeError(`issueUserToken: unknown tenant '${String(request.tenantId)}'`);
      const user = directory.findUser(tenantId, String(request.username));
      if (!user) throw new TypeError(`issueUserToken: user '${String(request.username)}' is not in tenant '${tenantId}'`);
      if (typeof request.clientId !== "string" || request.clientId === "") throw new TypeError("issueUserToken: clientId is required");
      const lifetime = request.lifetimeSeconds ?? runtime.accessTokenLifetimeSeconds;
      if (!Number.isFinite(lifetime) || lifetime <= 0) throw new TypeError("issueUserToken: lifetimeSeconds must be positive");
      return issueUserAccessToken(runtime.tokenIssuer, {
        user: userIdentity(user),
        clientId: request.clientId,
        resource: request.audience ?? `api://${request.clientId}`,
        scp: permissionNames(request.scopes ?? ["user_impersonation"]),
        authorityHost: runtime.authorityHost,
        lifetimeSeconds: Math.floor(lifetime),
        clientAuth: "none",
      }).accessToken;
    },
    issueFederatedToken: (request) =>
      mintFederatedToken(runtime.tokenIssuer, {
        issuer: request.issuer ?? `${runtime.authorityHost}/oidc/kubernetes`,
        subject: request.subject,
        ...(request.audience !== undefined ? { audience: request.audience } : {}),
        ...(request.lifetimeSeconds !== undefined ? { lifetimeSeconds: request.lifetimeSeconds } : {}),
      }),
    addPipelinesServiceConnection: (connection) => runtime.pipelines.add(connection),
    pipelinesOidcRequestUri: `${runtime.authorityHost}/pipelines/oidc`,
    addManagedIdentity: (identity) => runtime.managedIdentities.add(identity),
    systemAssignedIdentity: runtime.managedIdentities.systemAssigned ? { ...runtime.managedIdentities.systemAssigned } : undefined,
    managedIdentityHttpEndpoint: httpOrigin,
    managedIdentityHeader: runtime.managedIdentitySecret,
    managedIdentityEnvironment: environment,
    enableArc: () => {
      runtime.arc.enable();
      return environment("arc");
    },
  };
}
