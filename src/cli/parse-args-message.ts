/**
 * What node:util's parseArgs says about a command line, shortened to the point: its own messages
 * explain JavaScript details ("place it at the end of the command after '--'") nobody typing a
 * command needs.
 */
export function parseArgsMessage(error: unknown): string {
  const { code, message } = error as { code?: string; message: string };
  const option = /'(-[^']*)'/.exec(message)?.[1];
  switch (code) {
    case 'ERR_PARSE_ARGS_UNKNOWN_OPTION':
      return `unknown option "${option ?? message}"`;
    case 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE':
      return option ? `option "${option}" needs a value` : message.replace(/\.\s*$/, '');
    case 'ERR_PARSE_ARGS_UNEXPECTED_POSITIONAL':
      return `unexpected "${/'([^']*)'/.exec(message)?.[1] ?? message}"`;
    default:
      return message.replace(/\.\s*$/, '');
  }
}
