// Command-line options of the project's scripts, each with the sentence `--help` prints: one
// list says what a script accepts, and how it answers --help, an unknown option or a missing
// value (the usage, not a stack trace).
import { parseArgs } from 'node:util';

export interface ScriptOption {
  type: 'string' | 'boolean';
  default?: string;
  /** The script cannot run without it. */
  required?: boolean;
  description: string;
}

type Values<T extends Record<string, ScriptOption>> = {
  [K in keyof T]: T[K]['type'] extends 'boolean' ? boolean : T[K] extends { default: string } | { required: true } ? string : string | undefined;
};

/** The parsed options, or the process exits: 0 after printing the help, 2 after a wrong call. */
export function scriptOptions<T extends Record<string, ScriptOption>>(usage: string, options: T): Values<T> {
  const help = () => {
    const flags = [...Object.entries(options).map(([name, option]) => [`--${name}${option.type === 'string' ? ' <value>' : ''}`, option] as const)];
    const width = Math.max(...flags.map(([flag]) => flag.length), '--help'.length);
    return [
      usage,
      '',
      'Options:',
      ...flags.map(
        ([flag, o]) =>
          `  ${flag.padEnd(width)}  ${o.description}${o.default !== undefined ? ` (default: '${o.default}')` : ''}${o.required ? ' (required)' : ''}`,
      ),
      `  ${'--help'.padEnd(width)}  this text`,
    ].join('\n');
  };
  const fail = (message: string): never => {
    console.error(`${message}\n\n${help()}`);
    process.exit(2);
  };
  let values: Record<string, string | boolean | undefined> = {};
  try {
    const config = Object.fromEntries(
      Object.entries(options).map(([name, option]) => [
        name,
        option.default === undefined ? { type: option.type } : { type: option.type, default: option.default },
      ]),
    ) as Record<string, { type: 'string' | 'boolean'; default?: string }>;
    values = parseArgs({ options: { ...config, help: { type: 'boolean' } }, strict: true }).values;
  } catch (error) {
    fail((error as Error).message);
  }
  if (values.help) {
    console.log(help());
    process.exit(0);
  }
  for (const [name, option] of Object.entries(options)) if (option.required && values[name] === undefined) fail(`--${name} is required`);
  return values as Values<T>;
}
