/** One `layerlens` sub-command. `run` gets the arguments after the command name. */
export interface Command {
  summary: string;
  run(args: string[]): Promise<number>;
}
