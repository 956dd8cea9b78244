import { LogLevel as MsalLogLevel, type NodeSystemOptions } from "@azure/msal-node";

type LoggerOptions = NonNullable<NodeSystemOptions["loggerOptions"]>;
import { createLogger, getLogLevel } from "../logger.js";

const logger = createLogger("msal");

const TO_MSAL: Record<string, MsalLogLevel> = {
  verbose: MsalLogLevel.Verbose,
  info: MsalLogLevel.Info,
  warning: MsalLogLevel.Warning,
  error: MsalLogLevel.Error,
};

/**
 * msal-node's log, sent to this library's log. PII logging stays off, and a line msal-node marks as
 * containing PII is dropped even so.
 */
export function msalLoggerOptions(): LoggerOptions {
  return {
    piiLoggingEnabled: false,
    logLevel: TO_MSAL[getLogLevel()],
    loggerCallback(level: MsalLogLevel, message: string, containsPii: boolean) {
      if (containsPii) return;
      if (level === MsalLogLevel.Error) logger.error(message);
      else if (level === MsalLogLevel.Warning) logger.warning(message);
      else if (level === MsalLogLevel.Info) logger.info(message);
      else logger.verbose(message);
    },
  };
}
