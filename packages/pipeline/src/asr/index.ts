/** Speech recognition engines (the OpenAI-compatible one is in llm/). */
export * from "./sherpa";
