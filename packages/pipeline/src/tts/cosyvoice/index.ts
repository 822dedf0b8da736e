/** CosyVoice over gRPC: the engine and how a request is phrased for each model version. */
export * from "./engine";
export * from "./mode";
