/**
 * Test helper (not exported): writes a tiny speaker-embedding ONNX model that sherpa-onnx
 * accepts — its metadata says 3D-Speaker, and the graph is a ReduceMean of the fbank
 * features over time, so the "embedding" is the mean spectrum (80 values). Different
 * sounds give different embeddings, the same sound the same one: enough to test the real
 * native extractor and the matching built on it. Field numbers are from onnx.proto.
 */
const varint = (n: number): number[] => {
  const out: number[] = [];
  let v = BigInt(n);
  do {
    let b = Number(v & 0x7fn);
    v >>= 7n;
    if (v > 0n) b |= 0x80;
    out.push(b);
  } while (v > 0n);
  return out;
};
const tag = (f: number, w: number) => varint((f << 3) | w);
const int = (f: number, n: number) => [...tag(f, 0), ...varint(n)];
const bytes = (f: number, b: readonly number[] | Uint8Array) => [...tag(f, 2), ...varint(b.length), ...b];
const str = (f: number, s: string) => bytes(f, Buffer.from(s, "utf8"));

/** ValueInfoProto of a float tensor; strings are symbolic dims. */
function valueInfo(name: string, dims: readonly (number | string)[]): number[] {
  const shape = dims.flatMap((d) => bytes(1, typeof d === "number" ? int(1, d) : str(2, d)));
  return [...str(1, name), ...bytes(2, bytes(1, [...int(1, 1), ...bytes(2, shape)]))];
}

export function fakeSpeakerEmbeddingOnnx(featDim = 80): Uint8Array {
  const axes = [...str(1, "axes"), ...int(20, 7), ...int(8, 1)];
  const keepdims = [...str(1, "keepdims"), ...int(20, 2), ...int(3, 0)];
  const node = [
    ...str(1, "x"),
    ...str(2, "embedding"),
    ...str(3, "mean"),
    ...str(4, "ReduceMean"),
    ...bytes(5, axes),
    ...bytes(5, keepdims),
  ];
  const graph = [
    ...bytes(1, node),
    ...str(2, "fake-speaker-embedding"),
    ...bytes(11, valueInfo("x", ["N", "T", featDim])),
    ...bytes(12, valueInfo("embedding", ["N", featDim])),
  ];
  const meta: [string, string][] = [
    ["framework", "3d-speaker"],
    ["output_dim", String(featDim)],
    ["sample_rate", "16000"],
    ["normalize_samples", "1"],
    ["language", "English"],
  ];
  return Uint8Array.from([
    ...int(1, 7),
    ...str(2, "vitranslator-test"),
    ...bytes(7, graph),
    ...bytes(8, [...str(1, ""), ...int(2, 13)]),
    ...meta.flatMap(([k, v]) => bytes(14, [...str(1, k), ...str(2, v)])),
  ]);
}
