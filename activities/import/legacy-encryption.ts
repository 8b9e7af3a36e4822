// A password-protected legacy .doc (Word 97–2003 encryption) is an ordinary OLE compound file whose
// WordDocument stream starts with a FIB that has the fEncrypted flag; without this check it would reach
// LibreOffice, which can only fail to convert it, and the user would read "could not be converted" instead
// of "remove the password". Reads just enough of the compound file (header, FAT, directory) to find the
// stream's first sector; any inconsistency answers "not known to be encrypted" (the converter decides).
const FREE_OR_END = 0xfffffffa;

export function legacyDocEncrypted(d: Uint8Array): boolean {
  if (d.length < 512) return false;
  const v = new DataView(d.buffer, d.byteOffset, d.byteLength);
  const shift = v.getUint16(0x1e, true);
  if (shift !== 9 && shift !== 12) return false;
  const size = 1 << shift;
  const sector = (sid: number): number => (sid + 1) * size;
  // FAT sector ids: the 109 in the header, then the DIFAT chain.
  const fatSectors: number[] = [];
  for (let i = 0; i < 109; i++) {
    const sid = v.getUint32(0x4c + i * 4, true);
    if (sid < FREE_OR_END) fatSectors.push(sid);
  }
  let difat = v.getUint32(0x44, true);
  for (let guard = 0; difat < FREE_OR_END && guard < 1000; guard++) {
    const at = sector(difat);
    if (at + size > d.length) return false;
    for (let i = 0; i < size / 4 - 1; i++) {
      const sid = v.getUint32(at + i * 4, true);
      if (sid < FREE_OR_END) fatSectors.push(sid);
    }
    difat = v.getUint32(at + size - 4, true);
  }
  const next = (sid: number): number => {
    const perSector = size / 4;
    const fs = fatSectors[Math.floor(sid / perSector)];
    if (fs === undefined || sector(fs) + size > d.length) return 0xfffffffe;
    return v.getUint32(sector(fs) + (sid % perSector) * 4, true);
  };
  // Directory entries (128 bytes) along the directory chain.
  let dir = v.getUint32(0x30, true);
  for (let guard = 0; dir < FREE_OR_END && guard < 10_000; guard++) {
    const at = sector(dir);
    if (at + size > d.length) return false;
    for (let e = at; e < at + size; e += 128) {
      const nameLength = v.getUint16(e + 64, true);
      if (nameLength < 2 || nameLength > 64) continue;
      const name = Buffer.from(d.buffer, d.byteOffset + e, nameLength - 2).toString('utf16le');
      if (name !== 'WordDocument' || v.getUint8(e + 66) !== 2) continue;
      const start = sector(v.getUint32(e + 116, true));
      if (start + 12 > d.length || v.getUint16(start, true) !== 0xa5ec) return false;
      // FIB base: flags at offset 0x0A, fEncrypted = bit 8.
      return (v.getUint16(start + 0x0a, true) & 0x0100) !== 0;
    }
    dir = next(dir);
  }
  return false;
}
