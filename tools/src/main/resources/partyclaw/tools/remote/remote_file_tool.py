# partyclaw remote file tools (tools.md 1.5): one request in, one JSON answer out. Runs in the workpath (or home)
# the daemon cd'ed into; mirrors the local tools' limits and messages (fnmatch for globs, Python re for regexes).
import fnmatch, json, os, re, stat, sys

MAX_LINE = 2000
MAX_BYTES = 262144
MAX_FILES = 100
MAX_LS = 1000
SKIP_DIRS = {"__pycache__", "node_modules", "target", "dist", "build", "coverage", "venv"}


class Fail(Exception):
    pass


def absolute(p):
    p = os.path.expanduser(p)
    return os.path.normpath(p if os.path.isabs(p) else os.path.join(os.getcwd(), p))


def op_read(r):
    p = absolute(r["file_path"])
    try:
        st = os.stat(p)
    except OSError:
        raise Fail("failed to stat " + p)
    if stat.S_ISDIR(st.st_mode):
        raise Fail(p + " is a directory, not a file")
    if st.st_size > MAX_BYTES and not r.get("windowed"):
        raise Fail("%s is %d bytes, which exceeds the direct-read limit of %d bytes; provide offset and/or limit"
                   % (p, st.st_size, MAX_BYTES))
    try:
        with open(p, "rb") as f:
            text = f.read().decode("utf-8")
    except (OSError, UnicodeDecodeError):
        raise Fail("failed to read " + p)
    lines = text.split("\n")
    if lines and lines[-1] == "":
        lines.pop()
    lines = [l[:-1] if l.endswith("\r") else l for l in lines]
    start = int(r.get("start_line", 1))
    first = max(start, 1) - 1
    limit = int(r.get("limit", 2000))
    out, size, long_lines, by_bytes = [], 0, False, False
    for i in range(first, len(lines)):
        if len(out) >= limit:
            break
        t = lines[i]
        if len(t) > MAX_LINE:
            t = t[:MAX_LINE] + "..."
            long_lines = True
        row = "%d: %s" % (i + 1, t)
        b = len(row.encode("utf-8")) + (1 if out else 0)
        if size + b > MAX_BYTES:
            by_bytes = True
            break
        out.append(row)
        size += b
    res = {"file_path": p, "start_line": start, "end_line": first + len(out), "total_lines": len(lines),
           "content": "\n".join(out)}
    by_lines = first + len(out) < len(lines) and not by_bytes
    if by_lines or by_bytes or long_lines:
        res["truncated"] = True
    if by_lines:
        res["truncated_by_lines"] = True
    if by_bytes:
        res["truncated_by_bytes"] = True
    if long_lines:
        res["truncated_long_lines"] = True
    return res


def make_parents(p):
    d = os.path.dirname(p)
    if d:
        try:
            os.makedirs(d, exist_ok=True)
        except OSError:
            raise Fail("failed to create " + d)


def op_write(r):
    p = absolute(r["file_path"])
    make_parents(p)
    data = r["content"].encode("utf-8")
    try:
        with open(p, "ab" if r.get("mode") == "append" else "wb") as f:
            f.write(data)
    except OSError:
        raise Fail("failed to write " + p)
    return {"file_path": p, "mode": r.get("mode", "overwrite"), "bytes_written": len(data)}


def op_edit(r):
    p = absolute(r["path"])
    old, new = r["old_text"], r["new_text"]
    if not os.path.exists(p):
        if r.get("create_if_missing"):
            make_parents(p)
            data = new.encode("utf-8")
            with open(p, "wb") as f:
                f.write(data)
            return {"path": p, "created": True, "replacements": 1, "bytes_written": len(data)}
        raise Fail("failed to read " + p)
    try:
        with open(p, "rb") as f:
            text = f.read().decode("utf-8")
    except (OSError, UnicodeDecodeError):
        raise Fail("failed to read " + p)
    if old == "":
        raise Fail("old_text must not be empty")
    n = text.count(old)
    if n == 0:
        raise Fail("old_text was not found in " + p)
    if n > 1 and not r.get("replace_all"):
        raise Fail("old_text matched %d locations in %s; include more surrounding context or set replace_all=true"
                   % (n, p))
    text = text.replace(old, new) if r.get("replace_all") else text.replace(old, new, 1)
    data = text.encode("utf-8")
    try:
        with open(p, "wb") as f:
            f.write(data)
    except OSError:
        raise Fail("failed to write " + p)
    return {"path": p, "created": False, "replacements": n if r.get("replace_all") else 1, "bytes_written": len(data)}


def walk_files(base):
    for root, dirs, files in os.walk(base, followlinks=False):
        dirs.sort()
        for name in files:
            full = os.path.join(root, name)
            if os.path.islink(full) and not os.path.isfile(full):
                continue
            yield full


def sorted_hits(hits):
    def key(p):
        try:
            return (-os.lstat(p).st_mtime, p)
        except OSError:
            return (0, p)
    return sorted(hits, key=key)


def base_dir(r):
    base = absolute(r.get("path") or ".")
    if not os.path.exists(base):
        raise Fail(base + " does not exist")
    return base


def op_glob(r):
    base = base_dir(r)
    pattern = r["pattern"]
    hits = [f for f in walk_files(base) if fnmatch.fnmatchcase(os.path.relpath(f, base), pattern)]
    res = {"pattern": pattern, "path": base, "num_files": len(hits)}
    if len(hits) > MAX_FILES:
        res["truncated"] = True
    res["filenames"] = sorted_hits(hits)[:MAX_FILES]
    return res


def op_grep(r):
    base = base_dir(r)
    try:
        rx = re.compile(r["pattern"])
    except re.error:
        raise Fail("invalid regex pattern: " + r["pattern"])
    include = r.get("include")
    hits = []
    for f in walk_files(base):
        if include and not fnmatch.fnmatchcase(os.path.relpath(f, base), include):
            continue
        try:
            with open(f, "rb") as fh:
                text = fh.read().decode("utf-8")
        except (OSError, UnicodeDecodeError):
            continue
        if rx.search(text):
            hits.append(f)
    res = {"pattern": r["pattern"], "path": base}
    if include:
        res["include"] = include
    res["num_files"] = len(hits)
    if len(hits) > MAX_FILES:
        res["truncated"] = True
    res["filenames"] = sorted_hits(hits)[:MAX_FILES]
    return res


def op_ls(r):
    base = absolute(r["path"])
    if not os.path.exists(base):
        raise Fail(base + " does not exist")
    if not os.path.isdir(base):
        raise Fail(base + " is not a directory")
    entries, truncated = [], False
    for root, dirs, files in os.walk(base, followlinks=False):
        dirs[:] = sorted(d for d in dirs if not d.startswith(".") and d not in SKIP_DIRS)
        for name in dirs:
            entries.append(os.path.relpath(os.path.join(root, name), base) + "/")
        for name in sorted(files):
            if not name.startswith("."):
                entries.append(os.path.relpath(os.path.join(root, name), base))
        if len(entries) > MAX_LS:
            truncated = True
            break
    entries = sorted(entries)[:MAX_LS]
    lines = []
    if truncated:
        lines += ["num_entries: >%d" % MAX_LS, "truncated: true",
                  "The listing was cut at %d entries; list a narrower path or use glob/grep." % MAX_LS]
    else:
        lines.append("num_entries: %d" % len(entries))
    lines += ["", "- " + base.rstrip("/") + "/"]
    for e in entries:
        depth = e.rstrip("/").count("/") + 1
        lines.append("  " * depth + "- " + os.path.basename(e.rstrip("/")) + ("/" if e.endswith("/") else ""))
    return "\n".join(lines)


OPS = {"read": op_read, "write": op_write, "edit": op_edit, "glob": op_glob, "grep": op_grep, "ls": op_ls}


def main():
    r = REQUEST
    try:
        out = {"ok": True, "result": OPS[r["op"]](r)}
    except Fail as e:
        out = {"ok": False, "error": str(e)}
    sys.stdout.write(json.dumps(out))
    sys.stdout.flush()


main()
