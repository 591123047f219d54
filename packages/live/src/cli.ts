// @bucketry/live/cli: the `rollout` command, for the `bucketry-rollout` bin and the main `bucketry` CLI.
export { runRolloutCommand, type RolloutCommandIo } from './rollout-command.js';
