#!/usr/bin/env python3
"""Lists the GPU architectures a CUDA shared library carries code for, from its embedded fatbin headers.

    python3 cluster/cuda-archs.py libnd4jcuda.so      # or the nd4j-cuda-*.jar that holds it

For nd4j-cuda-11.6 1.0.0-M2.1 (linux-x86_64) this prints machine code (ELF) for sm_37 sm_50 sm_52 sm_60 sm_61 sm_70
sm_75 sm_80 sm_86 and no PTX, which is where dev.sparksweep.device.CudaBuild's list comes from.
"""
import collections
import mmap
import struct
import sys
import tempfile
import zipfile

FATBIN_MAGIC = struct.pack("<I", 0xBA55ED50)
KINDS = {1: "ptx", 2: "elf"}


def architectures(data):
    found = collections.Counter()
    pos = 0
    while True:
        start = data.find(FATBIN_MAGIC, pos)
        if start < 0:
            return found
        _, header_size, fat_size = struct.unpack_from("<HHQ", data, start + 4)
        entry, end = start + header_size, start + header_size + fat_size
        while entry < end:
            kind, _, entry_header, payload = struct.unpack_from("<HHIQ", data, entry)
            arch = struct.unpack_from("<I", data, entry + 28)[0]
            found[(KINDS.get(kind, str(kind)), arch)] += 1
            if entry_header == 0:
                break
            entry += entry_header + payload
        pos = start + 4


def main(path):
    if path.endswith(".jar"):
        with zipfile.ZipFile(path) as jar, tempfile.NamedTemporaryFile() as so:
            name = next(n for n in jar.namelist() if n.endswith(".so") and "libnd4jcuda" in n)
            so.write(jar.read(name))
            so.flush()
            return report(so.name)
    return report(path)


def report(path):
    with open(path, "rb") as f, mmap.mmap(f.fileno(), 0, access=mmap.ACCESS_READ) as data:
        found = architectures(data)
    for kind in ("elf", "ptx"):
        archs = sorted(a for k, a in found if k == kind)
        print(f"{kind}: " + (" ".join(f"sm_{a}" for a in archs) if archs else "none"))


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    main(sys.argv[1])
