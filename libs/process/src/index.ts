export { abortReason } from './abort-reason.js';
export { spawnChild, type ChildExit, type SpawnChildOptions, type SpawnedChild } from './spawn-child.js';
export { runTool, type RunToolOptions, type ToolOutput } from './run-tool.js';
export {
  installHint,
  lastLines,
  ToolError,
  ToolExitError,
  ToolNotInstalledError,
  ToolOutputTooLargeError,
  ToolTimeoutError,
} from './tool.errors.js';
