/** The parts of the Emscripten module that @echogarden/rnnoise-wasm ships untyped and we use. */
declare module "@echogarden/rnnoise-wasm" {
  export interface RnnoiseModule {
    HEAPF32: Float32Array;
    _malloc(bytes: number): number;
    _free(ptr: number): void;
    _rnnoise_get_frame_size(): number;
    /** `model` 0 = the built-in model. */
    _rnnoise_create(model: number): number;
    _rnnoise_destroy(state: number): void;
    /** Denoises one frame in place or into `out`; returns the frame's speech probability. */
    _rnnoise_process_frame(state: number, out: number, input: number): number;
  }
  const RNNoise: (moduleArg?: object) => Promise<RnnoiseModule>;
  export default RNNoise;
}
