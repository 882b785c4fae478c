/** The value after `--name` on the command line, or undefined when the option is not given. */
export function argValue(name: string): string | undefined {
  const at = process.argv.indexOf(name);
  return at === -1 ? undefined : process.argv[at + 1];
}
