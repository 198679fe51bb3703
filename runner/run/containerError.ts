import { CliError } from '../commands/cliError';

/**
 * A container could not be created, started or reached. `exitCode` follows Docker: 125 set-up,
 * 126 cannot run the command, 127 no such command, 2 bad usage, 1 no such container. The CLI
 * prints it as one line (it is a CliError).
 */
export class ContainerError extends CliError {
  constructor(message: string, exitCode = 125) {
    super(message, exitCode);
  }
}
