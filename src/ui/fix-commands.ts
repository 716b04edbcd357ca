// The commands in a finding's fix text, for -i's y (copy). The checks spell every command with
// kubectl() (src/checks/helpers.ts): "kubectl" and shell words, each plain or single-quoted. The
// commands are read back by that grammar and nothing looser, so what is copied is what the
// checks quoted: a command runs to the first word that is neither ("shop;", "(the", "&&").

import { terminalText } from '../core/terminal-text.js';

// The unquoted words kubectl() leaves as they are (helpers.ts's SHELL_SAFE_WORD).
const PLAIN_WORD = /^[A-Za-z0-9_./:@%+,-][A-Za-z0-9_./:=@%+,-]*/;
// A single-quoted word as shellQuote writes it: quoted runs joined by \' .
const QUOTED_WORD = /^'[^']*'(?:\\''[^']*')*/;

/** Every kubectl command in `fix`, in order; none that a pipe feeds (printf ... | kubectl apply -f -). */
export function fixCommands(fix: string): string[] {
  const commands: string[] = [];
  let from = 0;
  for (;;) {
    const at = fix.indexOf('kubectl ', from);
    if (at < 0) break;
    from = at + 1;
    const before = fix.slice(0, at);
    if (!(before === '' || /[\s(]$/.test(before)) || /\|\s*$/.test(before)) continue;
    const words = ['kubectl'];
    let rest = fix.slice(at + 'kubectl '.length);
    for (;;) {
      let word = QUOTED_WORD.exec(rest)?.[0] ?? PLAIN_WORD.exec(rest)?.[0];
      if (!word) break;
      const next = rest.slice(word.length);
      // Prose around a command: "... -n shop; if ...", "(kubectl ... -n shop), or ...", "... -n shop, then".
      const clauseEnd = /^[;)]/.test(next) || (/[,.]$/.test(word) && /^(\s|$)/.test(next));
      if (clauseEnd) {
        word = word.replace(/[,.]$/, '');
        if (word) words.push(word);
        break;
      }
      if (!(next === '' || next.startsWith(' '))) break;
      words.push(word);
      rest = next.slice(1);
    }
    // Nothing the terminal would act on: the whole command or nothing.
    const command = words.join(' ');
    if (words.length > 2 && terminalText(command) === command) commands.push(command);
  }
  return commands;
}
