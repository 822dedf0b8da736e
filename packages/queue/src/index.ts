export * from "./stages";
export * from "./connection";
export * from "./queues";
export * from "./events";
export * from "./live-reader";
