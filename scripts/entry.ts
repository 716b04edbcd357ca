// The bundle's entry point: what bin/kubectl-endpoints_doctor does, without top-level await
// (the standalone build is a CommonJS bundle, which cannot hold one).
import { main } from '../src/cli.js';

void main(process.argv).then((code) => (process.exitCode = code));
