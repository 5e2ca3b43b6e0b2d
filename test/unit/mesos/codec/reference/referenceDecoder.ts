import path from 'node:path';
import * as protobuf from 'protobufjs';
import { jsonTextOf, parseMesosJson } from '../../../../../src/core/mesos/codec/mesosJsonText';
import type { WireEncoding } from '../../../../../src/core/mesos/codec/wireEncoding';
import { messageSpec } from '../../../../../src/core/mesos/codec/wireSpec';
import { plainFromJsonValue } from './plainFromJsonValue';
import { plainFromWireMessage } from './plainFromWireMessage';

const protoRoot = path.resolve(__dirname, '../../../../../src/core/mesos/proto');
let reflection: protobuf.Root | undefined;

// protobufjs's reflection mode, loaded from the .proto files: independent of our generated module.
function reflectionRoot(): protobuf.Root {
  if (!reflection) {
    const root = new protobuf.Root();
    root.resolvePath = (_origin, target) => (path.isAbsolute(target) ? target : path.join(protoRoot, target));
    reflection = root.loadSync(
      ['mesos/v1/scheduler/scheduler.proto', 'mesos/v1/master/master.proto', 'mesos/v1/agent/agent.proto'],
      { keepCase: true },
    );
    reflection.resolveAll();
  }
  return reflection;
}

/**
 * Decodes a body the slow, obvious way, for the compiled decoders to be compared with: protobufjs
 * reflection plus a toObject-style conversion, or JSON.parse plus a plain walk over the schema.
 * Throws FieldProblem (or protobufjs's own errors) where the codec throws MesosDecodeError.
 */
export function referenceDecode(
  messageType: string,
  bytes: Uint8Array,
  encoding: WireEncoding,
): Record<string, unknown> {
  const spec = messageSpec(messageType);
  if (encoding === 'json')
    return plainFromJsonValue(parseMesosJson(jsonTextOf(bytes), messageType, 'exact'), spec, 'accept');
  return plainFromWireMessage(reflectionRoot().lookupType(messageType).decode(bytes), spec);
}
