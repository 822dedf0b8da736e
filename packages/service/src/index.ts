export { logEnv, parseEnv, storageEnv } from "./env";
export { createLogger, logRecord, serializeError, toLogValue } from "./logger";
export type { AppLogger, LogFormat, LoggerOptions, LogLevel, SerializedError } from "./logger";
