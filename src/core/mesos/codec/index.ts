// The public surface of the Mesos codec: import from here, not from the files behind it.
export { MEDIA_TYPE, wireEncodingOfContentType, type WireEncoding } from './wireEncoding';
export type { Codec } from './mesosCodec';
export {
  agentCallCodec,
  agentResponseCodec,
  masterCallCodec,
  masterEventCodec,
  masterResponseCodec,
  schedulerCallCodec,
  schedulerEventCodec,
} from './codecs';
export { MesosDecodeError, type MesosDecodeErrorKind } from './mesosDecodeError';
export { MesosEncodeError, type MesosEncodeErrorKind } from './mesosEncodeError';
export type * from '../proto/generated/wireTypes';
// Mesos's JSON text as it comes (bare Infinity/NaN, 64-bit integers kept exact), for the legacy endpoints.
export { jsonTextOf, parseMesosJson } from './mesosJsonText';
