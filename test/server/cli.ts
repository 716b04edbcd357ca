// npm run test-cluster -- FILE...: serves the objects of snapshot files until Ctrl-C.
// Prints the kubeconfig's path alone on stdout (for scripts); the rest goes to stderr.

import { startTestServer } from './index.js';

const files = process.argv.slice(2);
if (files.length === 0 || files.some((f) => f === '-h' || f === '--help')) {
  process.stderr.write(
    'usage: npm run test-cluster -- FILE_OR_FOLDER...\n  serves the objects of kubectl get -o json|yaml output over HTTPS\n',
  );
  process.exit(files.length === 0 ? 2 : 0);
}

try {
  const server = await startTestServer({
    files,
    // By hand there is no test to supply a command: echo what would run.
    exec: ({ namespace, podName, container, command, stdout }) => {
      stdout.write(
        `test server: would run ${JSON.stringify(command)} in ${namespace}/${podName} container ${container}\n`,
      );
    },
  });
  const served = server.store.size;
  const skipped = [...server.skippedKinds].map(([kind, n]) => `${kind} x${n}`).join(', ');
  process.stdout.write(`${server.kubeconfigPath}\n`);
  process.stderr.write(
    `test API server at ${server.url}: ${served} object(s)${skipped ? `, skipped ${skipped}` : ''}\n` +
      `  export KUBECONFIG=${server.kubeconfigPath}\n` +
      `  kubectl get services,endpointslices,pods -A\n` +
      `Ctrl-C stops it.\n`,
  );
  const stop = () => {
    void server.close().then(() => process.exit(0));
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
} catch (e) {
  process.stderr.write(`test-cluster: ${e instanceof Error ? e.message : String(e)}\n`);
  process.exit(2);
}
