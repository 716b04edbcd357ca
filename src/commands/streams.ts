// The streams a command reads and writes, passed in as kubectl passes genericiooptions.IOStreams:
// the CLI hands over the process's own, a test hands over streams in memory. Whether stdout is a
// terminal (colours, a redrawn view) and how big it is are read from the stream itself.

/** Where a command writes: stdout or stderr, maybe a terminal. */
export interface OutputStream extends NodeJS.WritableStream {
  isTTY?: boolean;
  /** The terminal's size, when it is one. */
  columns?: number;
  rows?: number;
}

/** Where a command reads (--snapshot -, the keys of --interactive): stdin, maybe a terminal. */
export interface InputStream extends NodeJS.ReadableStream {
  isTTY?: boolean;
}

export interface IOStreams {
  in: InputStream;
  out: OutputStream;
  errOut: OutputStream;
}

/** The --debug lines' sink: each line on stderr, prefixed. */
export function debugLines(streams: IOStreams): (line: string) => void {
  return (line) => streams.errOut.write(`debug: ${line}\n`);
}

/**
 * The streams as ink draws on them. Only the terminal views call this, once stdin and stdout
 * are known terminals: the CLI's streams are then the process's tty streams.
 */
export function terminalStreams(streams: IOStreams): {
  stdin: NodeJS.ReadStream;
  stdout: NodeJS.WriteStream;
  stderr: NodeJS.WriteStream;
} {
  return {
    stdin: streams.in as NodeJS.ReadStream,
    stdout: streams.out as NodeJS.WriteStream,
    stderr: streams.errOut as NodeJS.WriteStream,
  };
}
