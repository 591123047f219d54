export { ExperimentProvider, type ExperimentProviderProps } from './experiment-provider.js';
export { useExperiment } from './use-experiment.js';
export type { BootstrapAssignment, ExperimentErrorContext } from './experiment-store.js';
export type { Register, ExperimentKey, ExperimentVariant } from './register.js';
