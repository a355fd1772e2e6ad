"""Tiny valid wheels for the benchmarks: PROJECTS x PER wheels named bench-NNNNN 1.V.0 (plus, with --big, one
~1 MB wheel bench-big 1.0.0), written into OUT.

    python3 scripts/lib/make-wheels.py OUT PROJECTS PER [--big]
"""
import base64, hashlib, os, sys, zipfile

def wheel(out, name, version, payload=b""):
    dist = name.replace("-", "_")
    info = f"{dist}-{version}.dist-info"
    files = {
        f"{dist}/__init__.py": b"# bench\n" + payload,
        f"{info}/METADATA": f"Metadata-Version: 2.1\nName: {name}\nVersion: {version}\nSummary: load benchmark project {name}\nRequires-Python: >=3.8\n\n".encode(),
        f"{info}/WHEEL": b"Wheel-Version: 1.0\nGenerator: bench\nRoot-Is-Purelib: true\nTag: py3-none-any\n",
    }
    record = []
    for path, data in files.items():
        digest = base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b"=").decode()
        record.append(f"{path},sha256={digest},{len(data)}")
    record.append(f"{info}/RECORD,,")
    files[f"{info}/RECORD"] = ("\n".join(record) + "\n").encode()
    with zipfile.ZipFile(os.path.join(out, f"{dist}-{version}-py3-none-any.whl"), "w", zipfile.ZIP_STORED) as z:
        for path, data in files.items():
            z.writestr(path, data)

def main(argv):
    out, projects, per = argv[1], int(argv[2]), int(argv[3])
    os.makedirs(out, exist_ok=True)
    for p in range(projects):
        for v in range(per):
            wheel(out, f"bench-{p:05d}", f"1.{v}.0")
    if "--big" in argv[4:]:
        wheel(out, "bench-big", "1.0.0", os.urandom(1024 * 1024))

if __name__ == "__main__":
    main(sys.argv)
