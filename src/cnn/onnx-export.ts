// The evaluation network as an ONNX model (opset 13) that any ONNX runtime can run: the inference graph
// (batch norms with their running statistics, no drop-path, no auxiliary head), input NCHW float32
// normalized as the model's metadata says, output the logits. Built with the ONNX protobuf schema
// (onnx-proto), node by node from the same operation definitions as the TensorFlow.js network.
import onnxProto from 'onnx-proto';
import type { Variable } from '@tensorflow/tfjs';
import type { Genotype, Pair } from '../space/genotype.ts';
import type { CellPlan } from '../space/plan.ts';
import { BN_EPSILON } from '../space/primitives.ts';
import type { EvalNetwork } from '../network/eval-network.ts';
import type { ImageTransform } from '../data/image-folder.ts';
import { VERSION } from '../version.ts';

const { onnx } = onnxProto;
type Attr = number | number[] | string;

export const ONNX_OPSET = 13;

/** A graph under construction: initializers from the network's weights, nodes with unique output names. */
class GraphBuilder {
  readonly nodes: onnxProto.onnx.INodeProto[] = [];
  readonly initializers: onnxProto.onnx.ITensorProto[] = [];
  private count = 0;

  constructor(private readonly tensors: Map<string, Variable>) {}

  /** A constant from float32 values (copied: a view of a larger buffer would carry all of it). */
  constant(name: string, values: Float32Array, dims: number[]): string {
    const copy = Float32Array.from(values);
    this.initializers.push(
      onnx.TensorProto.create({
        name,
        dims,
        dataType: onnx.TensorProto.DataType.FLOAT,
        rawData: new Uint8Array(copy.buffer),
      }),
    );
    return name;
  }

  int64(name: string, values: number[]): string {
    this.initializers.push(
      onnx.TensorProto.create({
        name,
        dims: [values.length],
        dataType: onnx.TensorProto.DataType.INT64,
        int64Data: values,
      }),
    );
    return name;
  }

  /** A network weight, its axes permuted (TensorFlow layouts to ONNX ones). */
  weight(name: string, perm?: number[]): string {
    const v = this.tensors.get(name);
    if (!v) throw new Error(`the network has no weight ${name}`);
    const values = v.dataSync() as Float32Array;
    if (!perm) return this.constant(name, values, v.shape);
    const shape = v.shape;
    const dims = perm.map((p) => shape[p]);
    const out = new Float32Array(values.length);
    const strides = shape.map((_, k) => shape.slice(k + 1).reduce((a, b) => a * b, 1));
    const index = new Array(shape.length).fill(0);
    for (let o = 0; o < out.length; o++) {
      let rest = o;
      for (let k = dims.length - 1; k >= 0; k--) {
        index[perm[k]] = rest % dims[k];
        rest = Math.floor(rest / dims[k]);
      }
      out[o] = values[index.reduce((s, ix, k) => s + ix * strides[k], 0)];
    }
    return this.constant(`${name}.onnx`, out, dims);
  }

  node(
    opType: string,
    inputs: string[],
    attrs: Record<string, Attr> = {},
    output = `${opType.toLowerCase()}_${++this.count}`,
  ): string {
    const attribute = Object.entries(attrs).map(([name, v]) => {
      const A = onnx.AttributeProto.AttributeType;
      if (typeof v === 'string')
        return onnx.AttributeProto.create({ name, type: A.STRING, s: new TextEncoder().encode(v) });
      if (Array.isArray(v)) return onnx.AttributeProto.create({ name, type: A.INTS, ints: v });
      return Number.isInteger(v) && name !== 'epsilon'
        ? onnx.AttributeProto.create({ name, type: A.INT, i: v })
        : onnx.AttributeProto.create({ name, type: A.FLOAT, f: v });
    });
    this.nodes.push(onnx.NodeProto.create({ opType, name: output, input: inputs, output: [output], attribute }));
    return output;
  }
}

/** The network's layers as ONNX nodes, mirroring EvalNetwork.forward in evaluation mode. */
class Layers {
  constructor(private readonly g: GraphBuilder) {}

  relu = (x: string) => this.g.node('Relu', [x]);

  /** A convolution whose TensorFlow weight is [kh, kw, Cin, Cout], with PyTorch's symmetric padding. */
  conv(x: string, w: string, o: { stride?: number; pad?: number; dilation?: number } = {}): string {
    const s = o.stride ?? 1,
      p = o.pad ?? 0,
      d = o.dilation ?? 1;
    return this.g.node('Conv', [x, this.g.weight(w, [3, 2, 0, 1])], {
      strides: [s, s],
      pads: [p, p, p, p],
      dilations: [d, d],
    });
  }

  /** Depthwise k x k ([k, k, C, 1] in TensorFlow): a grouped convolution, one group a channel. */
  depthwise(x: string, w: string, k: number, C: number, stride: number, dilation: number): string {
    const p = (dilation * (k - 1)) / 2;
    return this.g.node('Conv', [x, this.g.weight(w, [2, 3, 0, 1])], {
      group: C,
      kernel_shape: [k, k],
      strides: [stride, stride],
      pads: [p, p, p, p],
      dilations: [dilation, dilation],
    });
  }

  bn(x: string, prefix: string): string {
    const g = this.g;
    return g.node(
      'BatchNormalization',
      [
        x,
        g.weight(`${prefix}.gamma`),
        g.weight(`${prefix}.beta`),
        g.weight(`${prefix}.running_mean`),
        g.weight(`${prefix}.running_var`),
      ],
      { epsilon: BN_EPSILON },
    );
  }

  /** ReLU, 1x1 stride-2 convolutions on the pixel grid and the grid offset by one, concatenated, BN. */
  factorizedReduce(x: string, p: string): string {
    const r = this.relu(x);
    const a = this.conv(r, `${p}conv1`, { stride: 2 });
    const shifted = this.g.node('Slice', [
      r,
      this.g.int64(`${p}slice.starts`, [1, 1]),
      this.g.int64(`${p}slice.ends`, [2 ** 31 - 1, 2 ** 31 - 1]),
      this.g.int64(`${p}slice.axes`, [2, 3]),
    ]);
    // One row and column of zeros at the end keeps odd sizes aligned with the first path.
    const padded = this.g.node('Pad', [shifted, this.g.int64(`${p}pad`, [0, 0, 0, 0, 0, 0, 1, 1])]);
    const b = this.conv(padded, `${p}conv2`, { stride: 2 });
    return this.bn(this.g.node('Concat', [a, b], { axis: 1 }), `${p}bn`);
  }

  reluConvBN = (x: string, p: string) => this.bn(this.conv(this.relu(x), `${p}conv`), `${p}bn`);

  /** One operation of an edge, as the evaluation network defines it (no BN after pools). */
  op([op, j]: Pair, x: string, p: string, cell: CellPlan): string {
    const stride = cell.reduction && j < 2 ? 2 : 1;
    const C = cell.C;
    switch (op) {
      case 'sep_conv_3x3':
      case 'sep_conv_5x5': {
        const k = op === 'sep_conv_3x3' ? 3 : 5;
        const h = this.bn(this.conv(this.depthwise(this.relu(x), `${p}dw1`, k, C, stride, 1), `${p}pw1`), `${p}bn1`);
        return this.bn(this.conv(this.depthwise(this.relu(h), `${p}dw2`, k, C, 1, 1), `${p}pw2`), `${p}bn2`);
      }
      case 'dil_conv_3x3':
      case 'dil_conv_5x5':
        return this.bn(
          this.conv(this.depthwise(this.relu(x), `${p}dw`, op === 'dil_conv_3x3' ? 3 : 5, C, stride, 2), `${p}pw`),
          `${p}bn`,
        );
      case 'max_pool_3x3':
        return this.g.node('MaxPool', [x], { kernel_shape: [3, 3], strides: [stride, stride], pads: [1, 1, 1, 1] });
      case 'avg_pool_3x3':
        return this.g.node('AveragePool', [x], {
          kernel_shape: [3, 3],
          strides: [stride, stride],
          pads: [1, 1, 1, 1],
          count_include_pad: 0,
        });
      case 'skip_connect':
        return stride === 1 ? x : this.factorizedReduce(x, p);
    }
  }
}

export interface OnnxOptions {
  classes: string[];
  input: ImageTransform;
}

/** The ONNX model of a trained evaluation network, encoded. */
export function exportOnnx(network: EvalNetwork, o: OnnxOptions): Uint8Array {
  const g = new GraphBuilder(new Map([...network.weights, ...network.buffers]));
  const L = new Layers(g);
  const { imagenet } = network.config;
  const genotype: Genotype = network.genotype;
  let s0: string, s1: string;
  if (imagenet) {
    const h = L.relu(L.bn(L.conv('input', 'stem0.conv1', { stride: 2, pad: 1 }), 'stem0.bn1'));
    s0 = L.bn(L.conv(h, 'stem0.conv2', { stride: 2, pad: 1 }), 'stem0.bn2');
    s1 = L.bn(L.conv(L.relu(s0), 'stem1.conv', { stride: 2, pad: 1 }), 'stem1.bn');
  } else {
    s0 = s1 = L.bn(L.conv('input', 'stem.conv', { pad: 1 }), 'stem.bn');
  }
  for (const cell of network.cells) {
    const p = `cells.${cell.index}.`;
    const states = [
      cell.reductionPrev ? L.factorizedReduce(s0, `${p}pre0.`) : L.reluConvBN(s0, `${p}pre0.`),
      L.reluConvBN(s1, `${p}pre1.`),
    ];
    const pairs = cell.reduction ? genotype.reduce : genotype.normal;
    for (let i = 0; i < pairs.length / 2; i++) {
      const [a, b] = [2 * i, 2 * i + 1].map((e) => L.op(pairs[e], states[pairs[e][1]], `${p}ops.${e}.`, cell));
      states.push(g.node('Add', [a, b]));
    }
    const concat = cell.reduction ? genotype.reduce_concat : genotype.normal_concat;
    [s0, s1] = [
      s1,
      g.node(
        'Concat',
        concat.map((k) => states[k]),
        { axis: 1 },
      ),
    ];
  }
  const pooled = g.node('Flatten', [g.node('GlobalAveragePool', [s1])], { axis: 1 });
  g.node('Gemm', [pooled, g.weight('classifier.w'), g.weight('classifier.b')], {}, 'logits');

  const size = o.input.size;
  const FLOAT = onnx.TensorProto.DataType.FLOAT;
  const model = onnx.ModelProto.create({
    irVersion: 7,
    opsetImport: [{ domain: '', version: ONNX_OPSET }],
    producerName: 'ednas',
    producerVersion: VERSION,
    docString:
      'EDNAS evaluation network (inference). Input: NCHW float32 images, each pixel value/255 normalized per ' +
      'channel with the mean and std in the metadata; output: logits over the classes in the metadata.',
    metadataProps: Object.entries({
      genotype: JSON.stringify(genotype),
      classes: JSON.stringify(o.classes),
      input_layout: 'NCHW',
      input_size: String(size),
      mean: JSON.stringify(o.input.mean),
      std: JSON.stringify(o.input.std),
      preprocessing:
        `resize the short side to ${o.input.resize}, crop the centre ${size}x${size}, x = (pixel / 255 ` +
        `- mean) / std per channel (RGB)`,
      network: JSON.stringify(network.config),
    }).map(([key, value]) => ({ key, value })),
    graph: {
      name: 'ednas_eval_network',
      node: g.nodes,
      initializer: g.initializers,
      input: [
        {
          name: 'input',
          type: {
            tensorType: {
              elemType: FLOAT,
              shape: { dim: [{ dimParam: 'N' }, { dimValue: 3 }, { dimValue: size }, { dimValue: size }] },
            },
          },
        },
      ],
      output: [
        {
          name: 'logits',
          type: {
            tensorType: { elemType: FLOAT, shape: { dim: [{ dimParam: 'N' }, { dimValue: network.config.classes }] } },
          },
        },
      ],
    },
  });
  const problem = onnx.ModelProto.verify(model);
  if (problem) throw new Error(`internal: the ONNX model does not verify: ${problem}`);
  return onnx.ModelProto.encode(model).finish();
}

/** The metadata of an ONNX model file (onnxruntime does not expose it), by decoding the file. */
export function onnxMetadata(bytes: Uint8Array): Record<string, string> {
  const m = onnx.ModelProto.decode(bytes);
  return Object.fromEntries(m.metadataProps.map((e) => [e.key ?? '', e.value ?? '']));
}
