// The ad-hoc code signature of the darwin standalone builds (scripts/macho.ts), on a small Mach-O
// file made here, and the reader on a signature Apple's codesign made (the darwin node binary).
// The signed executable itself: test/package.test.ts.

import { existsSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { adhocSign, checkSignature, CPU_TYPE_ARM64, CPU_TYPE_X86_64, readMachO } from '../scripts/macho.js';
import { runtimeBinary, STANDALONE_TARGETS } from '../scripts/runtimes.js';

/**
 * A minimal arm64 executable's layout (<mach-o/loader.h>): the header, __TEXT with one section
 * at 0x1000, __LINKEDIT last; room after the load commands, as linkers leave.
 */
function machO(): Buffer {
  const file = Buffer.alloc(0x2123);
  const segment = (at: number, name: string, fileoff: number, filesize: number, nsects: number) => {
    file.writeUInt32LE(0x19, at); // LC_SEGMENT_64
    file.writeUInt32LE(72 + nsects * 80, at + 4);
    file.write(name, at + 8, 'latin1');
    file.writeBigUInt64LE(0x100000000n + BigInt(fileoff), at + 24); // vmaddr
    file.writeBigUInt64LE(BigInt(Math.ceil(filesize / 0x4000) * 0x4000), at + 32); // vmsize
    file.writeBigUInt64LE(BigInt(fileoff), at + 40);
    file.writeBigUInt64LE(BigInt(filesize), at + 48);
    file.writeUInt32LE(nsects, at + 64);
    return at + 72;
  };
  file.writeUInt32LE(0xfeedfacf, 0);
  file.writeUInt32LE(CPU_TYPE_ARM64, 4);
  file.writeUInt32LE(2, 12); // MH_EXECUTE
  file.writeUInt32LE(2, 16); // ncmds
  file.writeUInt32LE(152 + 72, 20); // sizeofcmds
  const section = segment(32, '__TEXT', 0, 0x2000, 1);
  file.write('__text', section, 'latin1');
  file.write('__TEXT', section + 16, 'latin1');
  file.writeBigUInt64LE(0x100n, section + 40); // size
  file.writeUInt32LE(0x1000, section + 48); // offset
  segment(32 + 152, '__LINKEDIT', 0x2000, 0x123, 0);
  file.fill(0xaa, 0x1000, 0x1100); // the "code"
  file.fill(0x55, 0x2000); // the link-edit data
  return file;
}

describe('adhocSign', () => {
  it('adds LC_CODE_SIGNATURE and a signature at the 16-aligned end of __LINKEDIT, which then ends the file', () => {
    const signed = adhocSign(machO(), 'demo');
    const macho = readMachO(signed);
    expect(macho.ncmds).toBe(3);
    expect(macho.codeSignature?.dataoff).toBe(0x2130);
    const linkedit = macho.segments.find((s) => s.name === '__LINKEDIT')!;
    expect(linkedit.fileoff + linkedit.filesize).toBe(signed.length);
    expect(macho.codeSignature!.dataoff + macho.codeSignature!.datasize).toBe(signed.length);
    // What was there before the signature is unchanged but for the header's and commands' sizes.
    expect(signed.subarray(0x1000, 0x2123)).toEqual(machO().subarray(0x1000));
    expect(checkSignature(signed)).toEqual({
      identifier: 'demo',
      flags: 0x2, // CS_ADHOC
      hashType: 2, // SHA-256
      codeLimit: 0x2130,
      pages: 3,
      errors: [],
    });
  });

  it('replaces a signature it finds: signing again changes nothing', () => {
    const signed = adhocSign(machO(), 'demo');
    expect(adhocSign(signed, 'demo')).toEqual(signed);
    expect(checkSignature(adhocSign(signed, 'other')).identifier).toBe('other');
  });

  it('the check finds a changed byte, a changed load command and a missing signature (it can fail)', () => {
    const signed = adhocSign(machO(), 'demo');
    const changed = Buffer.from(signed);
    changed[0x1050] ^= 1;
    expect(checkSignature(changed).errors).toEqual(['page 1 does not match its hash']);
    const command = Buffer.from(signed);
    command.writeUInt32LE(CPU_TYPE_X86_64, 4);
    expect(checkSignature(command).errors).toEqual(['page 0 does not match its hash']);
    expect(checkSignature(machO()).errors).toEqual(['no LC_CODE_SIGNATURE']);
    expect(checkSignature(signed.subarray(0, signed.length - 16)).errors).toContain(
      'the signature does not end the file',
    );
  });

  it('refuses a file with no room for the load command, and one that is not a 64-bit Mach-O', () => {
    const crowded = machO();
    crowded.writeUInt32LE(0x1000 - 32 - 8, 20); // sizeofcmds up to the first section
    expect(() => adhocSign(crowded, 'demo')).toThrow(/no room/);
    expect(() => adhocSign(Buffer.from('#!/bin/sh\n'), 'demo')).toThrow(/not a 64-bit Mach-O/);
  });
});

const darwinNode = runtimeBinary(STANDALONE_TARGETS.find((t) => t.os === 'darwin')!.base);
const hasDarwinNode = existsSync(darwinNode);
if (!hasDarwinNode) console.warn('macho: the reading of codesign output skipped: npm run fetch-runtimes');

describe('checkSignature on a signature Apple made', () => {
  it.skipIf(!hasDarwinNode)('accepts the darwin node binary as its release was signed (by codesign)', () => {
    const check = checkSignature(readFileSync(darwinNode));
    expect(check.errors).toEqual([]);
    expect(check.identifier).toBe('node');
    expect(check.hashType).toBe(2);
    expect(check.flags! & 0x2).toBe(0); // signed with a certificate, not ad hoc
  });
});
