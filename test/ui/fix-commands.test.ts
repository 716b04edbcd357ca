// -i's y copies a command of the selected Service's fix: read back by the grammar the checks write
// commands in (kubectl and shell words), so prose around a command is never copied with it.

import { describe, expect, it } from 'vitest';
import { fixCommands } from '../../src/ui/fix-commands.js';

describe('fixCommands', () => {
  it.each([
    ['kubectl describe pod web-1 -n shop', ['kubectl describe pod web-1 -n shop']],
    [
      'if unintended: kubectl delete endpointslice search-vm -n shop; if intended, suppress with kubectl annotate service search -n shop endpoints-doctor/ignore=manual-endpoints-ignored',
      [
        'kubectl delete endpointslice search-vm -n shop',
        'kubectl annotate service search -n shop endpoints-doctor/ignore=manual-endpoints-ignored',
      ],
    ],
    [
      'drop the label (kubectl label endpoints erp -n shop endpointslice.kubernetes.io/skip-mirror-), or create one',
      ['kubectl label endpoints erp -n shop endpointslice.kubernetes.io/skip-mirror-'],
    ],
    [
      `if peers must resolve each other: kubectl patch service es -n shop -p '{"spec":{"publishNotReadyAddresses":true}}'`,
      [`kubectl patch service es -n shop -p '{"spec":{"publishNotReadyAddresses":true}}'`],
    ],
    ["kubectl get pod x -n shop -o 'jsonpath={.a}'); or drop it", ["kubectl get pod x -n shop -o 'jsonpath={.a}'"]],
    // shellQuote's escape for a quote inside a quoted word stays part of the word.
    [`kubectl get service 'it'\\''s' -n shop`, [`kubectl get service 'it'\\''s' -n shop`]],
    [
      'kubectl delete endpointslice a -n shop && kubectl delete endpoints b -n shop (the controller then ...)',
      ['kubectl delete endpointslice a -n shop', 'kubectl delete endpoints b -n shop'],
    ],
    ['check kube-controller-manager, then kubectl describe node n1.', ['kubectl describe node n1']],
  ])('%s', (fix, commands) => {
    expect(fixCommands(fix)).toEqual(commands);
  });

  it('nothing that is not a command: prose, a command a pipe feeds, or text the terminal would act on', () => {
    expect(fixCommands('declare the container port named dns in the pod template')).toEqual([]);
    expect(fixCommands(`printf '%s\\n' '{}' | kubectl apply -f -`)).toEqual([]);
    // "kubectl" inside a word, or alone, is no command.
    expect(fixCommands('see mykubectl get pods, or kubectl')).toEqual([]);
    // A quoted word with an escape sequence or a newline in it (a hostile snapshot's name) is refused whole.
    expect(fixCommands("kubectl describe pod 'a\u001b]52;c;eA==\u0007' -n shop")).toEqual([]);
    expect(fixCommands("kubectl describe pod 'a\nrm -rf ~' -n shop")).toEqual([]);
  });
});
