export { startSimulator, type RunningSimulator, type SeedInput, type SimulatorOptions } from './start-simulator';
export type { FaultSettings } from './fault-injection';
export type { RequestLogEntry } from './request-log';
