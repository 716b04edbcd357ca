// Just enough of the Mach-O format (64-bit, little-endian, one architecture) to give the darwin
// standalone executables an ad-hoc code signature, and to read one back in tests. macOS on arm64
// refuses to run unsigned code, and injecting the application into Node's binary drops the
// signature it had (postject removes LC_CODE_SIGNATURE), so the build signs again, here, with no
// Apple tool.
//
// The layouts are Apple's: mach_header_64, segment_command_64, section_64 and
// linkedit_data_command in <mach-o/loader.h> (apple-oss-distributions/xnu EXTERNAL_HEADERS/mach-o/
// loader.h), and the code signing blobs (CS_SuperBlob, CS_BlobIndex, CS_CodeDirectory version
// 0x20400, CS_ADHOC, CS_EXECSEG_MAIN_BINARY) in xnu osfmk/kern/cs_blobs.h. What an ad-hoc
// signature holds is what LLVM's linker writes for arm64 (llvm/llvm-project lld/MachO/
// SyntheticSections.cpp, CodeSignatureSection): a SuperBlob whose CodeDirectory has the SHA-256 of
// every 4096-byte page of the file up to the signature, placed at the end of __LINKEDIT, 16-byte
// aligned; this one adds the empty Requirements blob that `codesign --sign -` also writes.
// All signature fields are big-endian; the Mach-O headers are little-endian.

import { createHash } from 'node:crypto';

const MH_MAGIC_64 = 0xfeedfacf;
const MH_EXECUTE = 2;
const LC_SEGMENT_64 = 0x19;
const LC_CODE_SIGNATURE = 0x1d;
export const CPU_TYPE_X86_64 = 0x01000007;
export const CPU_TYPE_ARM64 = 0x0100000c;

const CSMAGIC_EMBEDDED_SIGNATURE = 0xfade0cc0;
const CSMAGIC_CODEDIRECTORY = 0xfade0c02;
const CSMAGIC_REQUIREMENTS = 0xfade0c01;
const CSSLOT_CODEDIRECTORY = 0;
const CSSLOT_REQUIREMENTS = 2;
const CS_ADHOC = 0x2;
const CS_HASHTYPE_SHA256 = 2;
const CS_EXECSEG_MAIN_BINARY = 0x1;
const CODEDIRECTORY_VERSION = 0x20400;
/** The fixed part of a version 0x20400 CodeDirectory. */
const CODEDIRECTORY_SIZE = 88;
const PAGE_SHIFT = 12;
const PAGE_SIZE = 1 << PAGE_SHIFT;
const HASH_SIZE = 32;

interface Section {
  name: string;
  offset: number;
  size: number;
}

interface Segment {
  name: string;
  /** Where its load command starts in the file. */
  commandOffset: number;
  vmsize: bigint;
  fileoff: number;
  filesize: number;
  sections: Section[];
}

export interface MachO {
  cputype: number;
  filetype: number;
  ncmds: number;
  sizeofcmds: number;
  segments: Segment[];
  /** LC_CODE_SIGNATURE: its load command's offset and the signature's place in the file. */
  codeSignature?: { commandOffset: number; dataoff: number; datasize: number };
}

const cString = (data: Buffer) => data.toString('latin1').replace(/\0.*$/s, '');

/** The header and load commands of a thin 64-bit little-endian Mach-O file. */
export function readMachO(file: Buffer): MachO {
  if (file.length < 32 || file.readUInt32LE(0) !== MH_MAGIC_64) throw new Error('not a 64-bit Mach-O file');
  const macho: MachO = {
    cputype: file.readUInt32LE(4),
    filetype: file.readUInt32LE(12),
    ncmds: file.readUInt32LE(16),
    sizeofcmds: file.readUInt32LE(20),
    segments: [],
  };
  let at = 32;
  for (let i = 0; i < macho.ncmds; i++) {
    const cmd = file.readUInt32LE(at);
    const cmdsize = file.readUInt32LE(at + 4);
    if (cmd === LC_SEGMENT_64) {
      const sections: Section[] = [];
      for (let s = 0; s < file.readUInt32LE(at + 64); s++) {
        const section = at + 72 + s * 80;
        sections.push({
          name: cString(file.subarray(section, section + 16)),
          size: Number(file.readBigUInt64LE(section + 40)),
          offset: file.readUInt32LE(section + 48),
        });
      }
      macho.segments.push({
        name: cString(file.subarray(at + 8, at + 24)),
        commandOffset: at,
        vmsize: file.readBigUInt64LE(at + 32),
        fileoff: Number(file.readBigUInt64LE(at + 40)),
        filesize: Number(file.readBigUInt64LE(at + 48)),
        sections,
      });
    } else if (cmd === LC_CODE_SIGNATURE) {
      macho.codeSignature = {
        commandOffset: at,
        dataoff: file.readUInt32LE(at + 8),
        datasize: file.readUInt32LE(at + 12),
      };
    }
    at += cmdsize;
  }
  return macho;
}

const alignUp = (value: number, to: number) => Math.ceil(value / to) * to;

function pageHashes(file: Buffer, codeLimit: number): Buffer[] {
  const hashes: Buffer[] = [];
  for (let page = 0; page < codeLimit; page += PAGE_SIZE) {
    hashes.push(
      createHash('sha256')
        .update(file.subarray(page, Math.min(page + PAGE_SIZE, codeLimit)))
        .digest(),
    );
  }
  return hashes;
}

/**
 * The file with an ad-hoc signature (identifier as given) replacing any it had: LC_CODE_SIGNATURE
 * added (in the free space after the load commands) or updated, __LINKEDIT grown to hold it.
 */
export function adhocSign(input: Buffer, identifier: string): Buffer {
  let macho = readMachO(input);
  const linkedit = macho.segments.find((s) => s.name === '__LINKEDIT');
  const text = macho.segments.find((s) => s.name === '__TEXT');
  if (!linkedit || !text) throw new Error('no __LINKEDIT or __TEXT segment');
  if (macho.segments.some((s) => s.fileoff + s.filesize > linkedit.fileoff + linkedit.filesize)) {
    throw new Error('__LINKEDIT is not the last segment in the file');
  }
  // The signature replaces the old one at the end of __LINKEDIT, or follows its end.
  const end = macho.codeSignature?.dataoff ?? linkedit.fileoff + linkedit.filesize;
  const dataoff = alignUp(end, 16);

  const ident = Buffer.from(`${identifier}\0`, 'utf8');
  const nSpecialSlots = CSSLOT_REQUIREMENTS;
  const nCodeSlots = Math.ceil(dataoff / PAGE_SIZE);
  const hashOffset = CODEDIRECTORY_SIZE + ident.length + nSpecialSlots * HASH_SIZE;
  const codeDirectoryLength = hashOffset + nCodeSlots * HASH_SIZE;
  const requirements = Buffer.alloc(12); // an empty requirement set
  requirements.writeUInt32BE(CSMAGIC_REQUIREMENTS, 0);
  requirements.writeUInt32BE(12, 4);
  requirements.writeUInt32BE(0, 8);
  const superBlobHeader = 12 + 2 * 8;
  const requirementsAt = superBlobHeader;
  const codeDirectoryAt = requirementsAt + requirements.length;
  const signatureLength = codeDirectoryAt + codeDirectoryLength;
  const datasize = alignUp(signatureLength, 16);

  const file = Buffer.alloc(dataoff + datasize);
  input.copy(file, 0, 0, Math.min(input.length, end));
  let commandOffset = macho.codeSignature?.commandOffset;
  if (commandOffset === undefined) {
    commandOffset = 32 + macho.sizeofcmds;
    const firstSection = text.sections.reduce((min, s) => (s.offset > 0 ? Math.min(min, s.offset) : min), Infinity);
    if (commandOffset + 16 > firstSection) throw new Error('no room after the load commands for LC_CODE_SIGNATURE');
    file.writeUInt32LE(macho.ncmds + 1, 16);
    file.writeUInt32LE(macho.sizeofcmds + 16, 20);
    file.writeUInt32LE(LC_CODE_SIGNATURE, commandOffset);
    file.writeUInt32LE(16, commandOffset + 4);
  }
  file.writeUInt32LE(dataoff, commandOffset + 8);
  file.writeUInt32LE(datasize, commandOffset + 12);
  // __LINKEDIT ends with the signature; its memory size in whole 16 KiB pages (arm64's, a
  // multiple of x86_64's 4 KiB), never smaller than it was.
  const linkeditSize = dataoff + datasize - linkedit.fileoff;
  file.writeBigUInt64LE(BigInt(linkeditSize), linkedit.commandOffset + 48);
  const vmsize = BigInt(alignUp(linkeditSize, 0x4000));
  file.writeBigUInt64LE(vmsize > linkedit.vmsize ? vmsize : linkedit.vmsize, linkedit.commandOffset + 32);
  macho = readMachO(file);

  const signature = file.subarray(dataoff);
  signature.writeUInt32BE(CSMAGIC_EMBEDDED_SIGNATURE, 0);
  signature.writeUInt32BE(signatureLength, 4);
  signature.writeUInt32BE(2, 8);
  signature.writeUInt32BE(CSSLOT_CODEDIRECTORY, 12);
  signature.writeUInt32BE(codeDirectoryAt, 16);
  signature.writeUInt32BE(CSSLOT_REQUIREMENTS, 20);
  signature.writeUInt32BE(requirementsAt, 24);
  requirements.copy(signature, requirementsAt);

  const cd = signature.subarray(codeDirectoryAt, codeDirectoryAt + codeDirectoryLength);
  cd.writeUInt32BE(CSMAGIC_CODEDIRECTORY, 0);
  cd.writeUInt32BE(codeDirectoryLength, 4);
  cd.writeUInt32BE(CODEDIRECTORY_VERSION, 8);
  cd.writeUInt32BE(CS_ADHOC, 12);
  cd.writeUInt32BE(hashOffset, 16);
  cd.writeUInt32BE(CODEDIRECTORY_SIZE, 20); // identOffset
  cd.writeUInt32BE(nSpecialSlots, 24);
  cd.writeUInt32BE(nCodeSlots, 28);
  cd.writeUInt32BE(dataoff, 32); // codeLimit
  cd.writeUInt8(HASH_SIZE, 36);
  cd.writeUInt8(CS_HASHTYPE_SHA256, 37);
  cd.writeUInt8(0, 38); // platform
  cd.writeUInt8(PAGE_SHIFT, 39);
  // spare2, scatterOffset, teamOffset, spare3 and codeLimit64 stay 0.
  cd.writeBigUInt64BE(BigInt(text.fileoff), 64); // execSegBase
  cd.writeBigUInt64BE(BigInt(text.filesize), 72); // execSegLimit
  cd.writeBigUInt64BE(BigInt(macho.filetype === MH_EXECUTE ? CS_EXECSEG_MAIN_BINARY : 0), 80);
  ident.copy(cd, CODEDIRECTORY_SIZE);
  // Special slot -2: the hash of the Requirements blob; -1 (Info.plist) stays zero.
  createHash('sha256')
    .update(requirements)
    .digest()
    .copy(cd, hashOffset - CSSLOT_REQUIREMENTS * HASH_SIZE);
  // Last: the page hashes cover the load commands just written.
  for (const [i, hash] of pageHashes(file, dataoff).entries()) hash.copy(cd, hashOffset + i * HASH_SIZE);
  return file;
}

/** What the signature of a file holds, and every way it does not match the file. */
export interface SignatureCheck {
  identifier?: string;
  flags?: number;
  hashType?: number;
  codeLimit?: number;
  pages?: number;
  errors: string[];
}

/** Reads the embedded signature back and checks it against the file, as the kernel would. */
export function checkSignature(file: Buffer): SignatureCheck {
  const macho = readMachO(file);
  const errors: string[] = [];
  const found = macho.codeSignature;
  if (!found) return { errors: ['no LC_CODE_SIGNATURE'] };
  const linkedit = macho.segments.find((s) => s.name === '__LINKEDIT');
  if (!linkedit || found.dataoff + found.datasize !== linkedit.fileoff + linkedit.filesize)
    errors.push('the signature does not end __LINKEDIT');
  if (found.dataoff + found.datasize !== file.length) errors.push('the signature does not end the file');
  const signature = file.subarray(found.dataoff, found.dataoff + found.datasize);
  if (signature.readUInt32BE(0) !== CSMAGIC_EMBEDDED_SIGNATURE) return { errors: [...errors, 'no SuperBlob'] };
  const blobs = new Map<number, Buffer>();
  for (let i = 0; i < signature.readUInt32BE(8); i++) {
    const offset = signature.readUInt32BE(16 + i * 8);
    blobs.set(
      signature.readUInt32BE(12 + i * 8),
      signature.subarray(offset, offset + signature.readUInt32BE(offset + 4)),
    );
  }
  const cd = blobs.get(CSSLOT_CODEDIRECTORY);
  if (!cd || cd.readUInt32BE(0) !== CSMAGIC_CODEDIRECTORY) return { errors: [...errors, 'no CodeDirectory'] };
  const hashOffset = cd.readUInt32BE(16);
  const nSpecialSlots = cd.readUInt32BE(24);
  const nCodeSlots = cd.readUInt32BE(28);
  const codeLimit = cd.readUInt32BE(32);
  const hashSize = cd.readUInt8(36);
  const check: SignatureCheck = {
    identifier: cString(cd.subarray(cd.readUInt32BE(20))),
    flags: cd.readUInt32BE(12),
    hashType: cd.readUInt8(37),
    codeLimit,
    pages: nCodeSlots,
    errors,
  };
  if (check.hashType !== CS_HASHTYPE_SHA256 || hashSize !== HASH_SIZE) errors.push('not SHA-256');
  if (cd.readUInt8(39) !== PAGE_SHIFT) errors.push('not 4096-byte pages');
  if (codeLimit !== found.dataoff) errors.push('codeLimit is not where the signature starts');
  if (nCodeSlots !== Math.ceil(codeLimit / PAGE_SIZE)) errors.push('wrong number of page hashes');
  const hashes = pageHashes(file, Math.min(codeLimit, file.length));
  const wrong = hashes.findIndex(
    (hash, i) => !hash.equals(cd.subarray(hashOffset + i * hashSize, hashOffset + (i + 1) * hashSize)),
  );
  if (wrong >= 0) errors.push(`page ${wrong} does not match its hash`);
  const requirements = blobs.get(CSSLOT_REQUIREMENTS);
  if (requirements && nSpecialSlots >= CSSLOT_REQUIREMENTS) {
    const slot = cd.subarray(
      hashOffset - CSSLOT_REQUIREMENTS * hashSize,
      hashOffset - (CSSLOT_REQUIREMENTS - 1) * hashSize,
    );
    if (!createHash('sha256').update(requirements).digest().equals(slot)) errors.push('the Requirements hash differs');
  }
  return check;
}
