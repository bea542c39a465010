import { runTool, type RunToolOptions, type ToolOutput } from '@introeval/process';

/** The Debian package that provides ffmpeg and ffprobe, named when either is missing. */
export const MEDIA_TOOLS_PACKAGE = 'ffmpeg';

/** Runs ffmpeg or ffprobe through libs/process: killed at its limits, a missing tool names the ffmpeg package. */
export function runMediaTool(
  tool: string,
  args: readonly string[],
  options: Omit<RunToolOptions, 'debianPackage'>,
): Promise<ToolOutput> {
  return runTool(tool, args, { ...options, debianPackage: MEDIA_TOOLS_PACKAGE });
}
