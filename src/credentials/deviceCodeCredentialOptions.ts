import type { InteractiveCredentialOptions } from "./interactiveCredentialOptions.js";

/** What the user must do to sign in with a device code. */
export interface DeviceCodeInfo {
  /** The code to type. */
  userCode: string;
  /** Where to type it. */
  verificationUri: string;
  /** The full instruction Entra ID wrote, e.g. "To sign in, use a web browser to open …". */
  message: string;
}

/** Shows the user the device code: replace it to put the prompt in your own UI. */
export type DeviceCodePromptCallback = (info: DeviceCodeInfo) => void;

/** Options of {@link DeviceCodeCredential}. */
export interface DeviceCodeCredentialOptions extends InteractiveCredentialOptions {
  /** Shows the code to the user. @default prints `message` to standard error */
  userPromptCallback?: DeviceCodePromptCallback;
}
