/** sherpa-onnx TTS (Kokoro, VITS, Matcha): model folders and the engine. */
export * from "./loader";
export * from "./engine";
