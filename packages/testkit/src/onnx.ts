/**
 * ONNX files written for tests, so the real onnxruntime and sherpa-onnx code paths run
 * without shipping model files: a minimal protobuf writer (field numbers from onnx.proto)
 * and the few graphs the tests need.
 */
const WIRE_VARINT = 0;
const WIRE_LEN = 2;
const FLOAT = 1;

function varint(n: number): number[] {
  const out: number[] = [];
  let v = BigInt(n);
  do {
    let byte = Number(v & 0x7fn);
    v >>= 7n;
    if (v > 0n) byte |= 0x80;
    out.push(byte);
  } while (v > 0n);
  return out;
}

const tag = (field: number, wire: number): number[] => varint((field << 3) | wire);
const int = (field: number, n: number): number[] => [...tag(field, WIRE_VARINT), ...varint(n)];
const bytes = (field: number, b: readonly number[] | Uint8Array): number[] => [
  ...tag(field, WIRE_LEN),
  ...varint(b.length),
  ...b,
];
const str = (field: number, s: string): number[] => bytes(field, Buffer.from(s, "utf8"));

/** ValueInfoProto of a float tensor; numbers are fixed dims, strings symbolic ones; no shape when absent. */
function valueInfo(name: string, dims?: readonly (number | string)[]): number[] {
  const shape = dims?.flatMap((d) => bytes(1, typeof d === "number" ? int(1, d) : str(2, d)));
  const tensorType = [...int(1, FLOAT), ...(shape ? bytes(2, shape) : [])];
  return [...str(1, name), ...bytes(2, bytes(1, tensorType))];
}

/** NodeProto: inputs → op → outputs, with optional AttributeProtos. */
function node(
  op: string,
  inputs: readonly string[],
  outputs: readonly string[],
  attributes: number[][] = [],
) {
  return [
    ...inputs.flatMap((i) => str(1, i)),
    ...outputs.flatMap((o) => str(2, o)),
    ...str(3, `${op.toLowerCase()}-node`),
    ...str(4, op),
    ...attributes.flatMap((a) => bytes(5, a)),
  ];
}

/** ModelProto (IR 7, opset 13) around a serialised GraphProto, with metadata_props. */
function model(graph: readonly number[], metadata: Record<string, string> = {}): Uint8Array {
  return Uint8Array.from([
    ...int(1, 7),
    ...str(2, "vitranslator-test"),
    ...bytes(7, graph),
    ...bytes(8, [...str(1, ""), ...int(2, 13)]),
    ...Object.entries(metadata).flatMap(([k, v]) => bytes(14, [...str(1, k), ...str(2, v)])),
  ]);
}

/** TensorProto of float data stored as raw little-endian bytes (dims empty: a scalar). */
function floatTensor(name: string, dims: readonly number[], raw: Uint8Array): number[] {
  return [...dims.flatMap((d) => int(1, d)), ...int(2, FLOAT), ...str(8, name), ...bytes(9, raw)];
}

export interface OneNodeModel {
  op: "Identity" | "Mul";
  /** For Mul: the constant the input is multiplied by. */
  factor?: number;
  shape: readonly number[];
}

/** Input "input" → one node → output "output", both float `shape` (the MDX code path's tests). */
export function oneNodeOnnx(m: OneNodeModel): Uint8Array {
  const factor = Buffer.alloc(4);
  factor.writeFloatLE(m.factor ?? 1);
  const graph = [
    ...bytes(1, node(m.op, m.op === "Mul" ? ["input", "factor"] : ["input"], ["output"])),
    ...str(2, "test"),
    ...(m.op === "Mul" ? bytes(5, floatTensor("factor", [], factor)) : []),
    ...bytes(11, valueInfo("input", m.shape)),
    ...bytes(12, valueInfo("output", m.shape)),
  ];
  return model(graph);
}

/**
 * A speaker-embedding model sherpa-onnx accepts: its metadata says 3D-Speaker, and the
 * graph is a ReduceMean of the fbank features over time, so the "embedding" is the mean
 * spectrum. Different sounds give different embeddings, the same sound the same one:
 * enough to test the real native extractor and the matching built on it.
 */
export function fakeSpeakerEmbeddingOnnx(featDim = 80): Uint8Array {
  const axes = [...str(1, "axes"), ...int(20, 7), ...int(8, 1)];
  const keepdims = [...str(1, "keepdims"), ...int(20, 2), ...int(3, 0)];
  const graph = [
    ...bytes(1, node("ReduceMean", ["x"], ["embedding"], [axes, keepdims])),
    ...str(2, "fake-speaker-embedding"),
    ...bytes(11, valueInfo("x", ["N", "T", featDim])),
    ...bytes(12, valueInfo("embedding", ["N", featDim])),
  ];
  return model(graph, {
    framework: "3d-speaker",
    output_dim: String(featDim),
    sample_rate: "16000",
    normalize_samples: "1",
    language: "English",
  });
}

/**
 * A file with the metadata and tensor names of sherpa-onnx's exports, so loaders can be
 * tested on generated model folders. The graph is one Identity node; `weightBytes` adds an
 * initializer of that size that readers must skip.
 */
export function sherpaLikeOnnx(opts: {
  metadata: Record<string, string>;
  inputs?: readonly string[];
  outputs?: readonly string[];
  weightBytes?: number;
}): Buffer {
  const inputs = opts.inputs ?? ["x"];
  const outputs = opts.outputs ?? ["y"];
  const weight = opts.weightBytes
    ? bytes(5, floatTensor("weight", [opts.weightBytes / 4], new Uint8Array(opts.weightBytes)))
    : [];
  const graph = [
    ...bytes(1, node("Identity", [inputs[0] ?? "x"], [outputs[0] ?? "y"])),
    ...str(2, "sherpa-like"),
    ...weight,
    ...inputs.flatMap((i) => bytes(11, valueInfo(i))),
    // IR < 4 style: an initializer listed as an input is not a session input.
    ...(opts.weightBytes ? bytes(11, valueInfo("weight")) : []),
    ...outputs.flatMap((o) => bytes(12, valueInfo(o))),
  ];
  return Buffer.from(model(graph, opts.metadata));
}
