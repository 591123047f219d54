export { ExperimentProvider, type ExperimentProviderProps } from './experiment-provider.js';
export { useExperiment } from './use-experiment.js';
export { assignmentsFromHeaders, assignmentsFromCookies } from './server-variants.js';
export type { BootstrapAssignment, ExperimentAssignment, ExperimentErrorContext } from './experiment-store.js';
export type { Register, RegisteredKey, RegisteredVariant } from './register.js';
