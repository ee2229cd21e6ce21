// Command-line parsing shared by the fixture and benchmark scripts.

/** A function that prints `<script>: <message>` on stderr and exits with status 2 (a usage error). */
export function usageError(script) {
  return (message) => {
    process.stderr.write(`${script}: ${message}\n`);
    process.exit(2);
  };
}

/**
 * Calls `option(name, value)` for each argument of `argv` in turn; `value()` takes the next argument as the
 * option's value (a usage error when there is none). `option` returns false for an argument it does not know,
 * which is a usage error too.
 */
export function parseOptions(argv, fail, option) {
  for (let i = 0; i < argv.length; i += 1) {
    const a = argv[i];
    const value = () => {
      if (i + 1 >= argv.length) fail(`missing value for ${a}`);
      return argv[++i];
    };
    if (option(a, value) === false) fail(`unknown argument ${a}`);
  }
}
