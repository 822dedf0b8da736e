export { REPO_ROOT, startStack } from "./launch";
export type { Stack, StackDatabase, StackOptions } from "./launch";
export { cpuSeconds, peakRssMb, StackProcess } from "./process";
export type { StackProcessOptions } from "./process";
export { ThrowawayPostgres, ThrowawayRedis } from "./services";
export { portOpen, waitUntil } from "../net";
export { downloadMp4, taskStatus, uploadTask, waitForTask } from "./rest-client";
export type { TaskStatus, UploadedTask } from "./rest-client";
