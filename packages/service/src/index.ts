export { logEnv, parseEnv, storageEnv } from "./env";
