import type { Benchmark } from './benchmark';
import { b1OfferMatching } from './b1OfferMatching';
import { b2EventStreamDecode } from './b2EventStreamDecode';
import { b3AgentLaunch } from './b3AgentLaunch';
import { b4ClusterModel } from './b4ClusterModel';
import { b5LogTail } from './b5LogTail';
import { b6Activation } from './b6Activation';

/** The suite, in the order it runs. Each benchmark is one file in this folder. */
export const benchmarks: readonly Benchmark[] = [b1OfferMatching, b2EventStreamDecode, b3AgentLaunch, b4ClusterModel, b5LogTail, b6Activation];
