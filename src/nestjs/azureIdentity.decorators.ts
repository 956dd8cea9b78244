import { Inject } from "@nestjs/common";
import { AZURE_CREDENTIAL, getAzureClientToken, getAzureCredentialToken } from "./azureIdentity.constants.js";

/**
 * Injects the default credential, or the named credential `name` (`AzureCredentials:<name>`).
 * @param name - a named credential; with `forRootAsync`, list it in `credentialNames`.
 */
export function InjectCredential(name?: string): PropertyDecorator & ParameterDecorator {
  return Inject(name === undefined ? AZURE_CREDENTIAL : getAzureCredentialToken(name));
}

/**
 * Injects the Azure SDK client registered under `name` (`clients: [blobServiceClient("blobs")]`).
 * @param name - the registration's name.
 */
export function InjectAzureClient(name: string): PropertyDecorator & ParameterDecorator {
  return Inject(getAzureClientToken(name));
}
