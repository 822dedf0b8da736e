/**
 * A minimal ONNX protobuf writer for tests (not part of the public API): one-node models
 * such as Identity or Mul-by-a-constant, so the real onnxruntime session and MDX code path
 * can be exercised without shipping model files. Field numbers are from onnx.proto.
 */
const WIRE_VARINT = 0;
const WIRE_LEN = 2;

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
const intField = (field: number, n: number): number[] => [...tag(field, WIRE_VARINT), ...varint(n)];
const bytesField = (field: number, bytes: readonly number[] | Uint8Array): number[] => [
  ...tag(field, WIRE_LEN),
  ...varint(bytes.length),
  ...bytes,
];
const strField = (field: number, s: string): number[] => bytesField(field, Buffer.from(s, "utf8"));

const FLOAT = 1;

/** ValueInfoProto of a float tensor with a fixed shape. */
function valueInfo(name: string, shape: readonly number[]): number[] {
  const dims = shape.flatMap((d) => bytesField(1, intField(1, d)));
  const tensorType = [...intField(1, FLOAT), ...bytesField(2, dims)];
  return [...strField(1, name), ...bytesField(2, bytesField(1, tensorType))];
}

/** TensorProto of a float scalar (dims empty) stored as raw little-endian bytes. */
function scalarTensor(name: string, value: number): number[] {
  const raw = Buffer.alloc(4);
  raw.writeFloatLE(value);
  return [...intField(2, FLOAT), ...strField(8, name), ...bytesField(9, raw)];
}

export interface OneNodeModel {
  op: "Identity" | "Mul";
  /** For Mul: the constant the input is multiplied by. */
  factor?: number;
  shape: readonly number[];
}

/** Serialised ModelProto: input "input" → one node → output "output", both float `shape`. */
export function oneNodeOnnx(model: OneNodeModel): Uint8Array {
  const inputs = model.op === "Mul" ? ["input", "factor"] : ["input"];
  const node = [
    ...inputs.flatMap((i) => strField(1, i)),
    ...strField(2, "output"),
    ...strField(3, "node"),
    ...strField(4, model.op),
  ];
  const graph = [
    ...bytesField(1, node),
    ...strField(2, "test"),
    ...(model.op === "Mul" ? bytesField(5, scalarTensor("factor", model.factor ?? 1)) : []),
    ...bytesField(11, valueInfo("input", model.shape)),
    ...bytesField(12, valueInfo("output", model.shape)),
  ];
  const opset = [...strField(1, ""), ...intField(2, 13)];
  return Uint8Array.from([
    ...intField(1, 7),
    ...strField(2, "vitranslator-test"),
    ...bytesField(7, graph),
    ...bytesField(8, opset),
  ]);
}
