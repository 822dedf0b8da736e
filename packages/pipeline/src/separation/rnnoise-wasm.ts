/**
 * Typed loading of @echogarden/rnnoise-wasm, which ships an untyped Emscripten module.
 * The specifier is a variable so TypeScript does not look for declarations (an ambient
 * `declare module` would not reach packages that compile this one).
 */
export interface RnnoiseModule {
  HEAPF32: Float32Array;
  _malloc(bytes: number): number;
  _free(ptr: number): void;
  _rnnoise_get_frame_size(): number;
  /** `model` 0 = the built-in model. */
  _rnnoise_create(model: number): number;
  _rnnoise_destroy(state: number): void;
  /** Denoises one frame into `out`; returns the frame's speech probability. */
  _rnnoise_process_frame(state: number, out: number, input: number): number;
}

const SPECIFIER = "@echogarden/rnnoise-wasm";

export async function instantiateRnnoise(): Promise<RnnoiseModule> {
  const mod = (await import(SPECIFIER)) as { default: () => Promise<RnnoiseModule> };
  return mod.default();
}
