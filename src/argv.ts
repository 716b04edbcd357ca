// The command line as kubectl users type it, rewritten into what commander parses. kubectl's
// flags are spf13/pflag's, which differ from commander in two ways that matter here:
// - `-n=shop` sets the namespace to "shop" (pflag's parseSingleShortArg: a shorthand followed
//   by "=" and at least one more character takes the rest as its value), where commander
//   would read "=shop";
// - a boolean flag takes a value after "=" (`-A=false`, `--debug=true`), parsed as Go's
//   strconv.ParseBool parses it, where commander refuses any value.
// And kubectl users put flags anywhere, also before the subcommand.

import type { Command, Option } from 'commander';
import { UsageError } from './core/errors.js';

export function takesValue(option: Option): boolean {
  return option.required || option.optional;
}

export function findOption(command: Command, flag: string): Option | undefined {
  return command.options.find((o) => o.long === flag || o.short === flag);
}

/** The option a flag names in any command (flags may come before the subcommand). */
function optionNamed(program: Command, flag: string): Option | undefined {
  for (const command of [program, ...program.commands]) {
    const option = findOption(command, flag);
    if (option) return option;
  }
  return undefined;
}

// strconv.ParseBool's spellings.
const GO_TRUE = new Set(['1', 't', 'T', 'TRUE', 'true', 'True']);
const GO_FALSE = new Set(['0', 'f', 'F', 'FALSE', 'false', 'False']);

/** A boolean flag's value after "=", as Go's strconv.ParseBool reads it; undefined for anything else. */
export function goBool(value: string): boolean | undefined {
  return GO_TRUE.has(value) ? true : GO_FALSE.has(value) ? false : undefined;
}

/**
 * `-A=false`, `--debug=true`: the flag when true; when false, its `--no-` form where it has one
 * (`--show-ok=false`, a flag on by default), else nothing (the others default to off).
 */
function booleanFlag(option: Option, name: string, value: string, negation?: string): string[] {
  const on = goBool(value);
  if (on !== undefined) return on ? [name] : negation ? [negation] : [];
  const names = [option.short, option.long].filter(Boolean).join('/');
  throw new UsageError(`invalid value "${value}" for ${names}: use true or false`);
}

/**
 * One word of shorthands as pflag reads it: booleans may be grouped (`-Aw`), and the first
 * shorthand that takes a value takes the rest of the word (`-nshop`, `-n=shop`), else the next
 * word. Returns the words commander reads the same way, and whether the next word is a value.
 */
function shorthands(program: Command, word: string): { words: string[]; valueFollows: boolean } {
  const words: string[] = [];
  for (let i = 1; i < word.length; i++) {
    const name = `-${word[i]}`;
    const option = optionNamed(program, name);
    if (!option) return { words: [word], valueFollows: false }; // commander names the unknown flag
    const rest = word.slice(i + 1);
    const inline = rest.length > 1 && rest.startsWith('=') ? rest.slice(1) : undefined;
    if (!takesValue(option)) {
      if (inline !== undefined) return { words: [...words, ...booleanFlag(option, name, inline)], valueFollows: false };
      words.push(name);
      continue;
    }
    if (rest === '') return { words: [...words, name], valueFollows: true };
    // Attached, commander takes the value verbatim (`-n=` is pflag's value "=", and commander's).
    return { words: [...words, name + (inline ?? rest)], valueFollows: false };
  }
  return { words, valueFollows: false };
}

/** Flags written as pflag allows, rewritten so that commander reads the same values. */
function pflagStyle(program: Command, args: string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const arg = args[i];
    if (arg === '--') return out.concat(args.slice(i));
    if (arg.startsWith('--')) {
      const eq = arg.indexOf('=');
      const name = eq < 0 ? arg : arg.slice(0, eq);
      const option = optionNamed(program, name);
      const negation = `--no-${name.slice(2)}`;
      if (option && !takesValue(option) && eq >= 0) {
        out.push(
          ...booleanFlag(option, name, arg.slice(eq + 1), optionNamed(program, negation) ? negation : undefined),
        );
      } else out.push(arg);
      // `--namespace shop`: the next word is the value, whatever it looks like.
      if (option && takesValue(option) && eq < 0 && i + 1 < args.length) out.push(args[++i]);
      continue;
    }
    if (arg.startsWith('-') && arg.length > 1) {
      const { words, valueFollows } = shorthands(program, arg);
      out.push(...words);
      if (valueFollows && i + 1 < args.length) out.push(args[++i]);
      continue;
    }
    out.push(arg);
  }
  return out;
}

/**
 * Commander only sees a subcommand in first place, so the first bare word that names one,
 * skipping the values of flags that take one, is moved to the front: `--context prod snapshot
 * -n shop` runs `snapshot`. (A Service named like a subcommand is still reachable as svc/NAME.)
 * Expects pflagStyle's output, where a value is either attached or the next word.
 */
function subcommandFirst(program: Command, args: string[]): string[] {
  const names = new Set(program.commands.filter((c) => c.name() !== 'diagnose').map((c) => c.name()));
  for (let i = 0; i < args.length; i++) {
    const arg = args[i];
    if (arg === '--') break;
    if (arg.startsWith('-')) {
      const option = arg.includes('=') ? undefined : optionNamed(program, arg);
      if (option && takesValue(option)) i++;
      continue;
    }
    if (names.has(arg)) return i === 0 ? args : [arg, ...args.slice(0, i), ...args.slice(i + 1)];
    return args; // the first bare word is a Service name
  }
  return args;
}

/** What commander should parse for these words typed after the plugin's name. */
export function kubectlArgs(program: Command, args: string[]): string[] {
  return subcommandFirst(program, pflagStyle(program, args));
}
