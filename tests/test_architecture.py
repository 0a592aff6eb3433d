"""Stages import forward only, and a plain check stays light at start-up."""

from __future__ import annotations

import ast
import json
import subprocess
import sys

from conftest import ROOT

# Each engine module, and the modules it may import. Shared: types, names.
STAGE = {
    "types": 0, "names": 0, "measurements": 0, "precedence": 0, "catalog": 1, "settings": 1,
    "files": 1, "notebooks": 1, "notebook_edit": 2, "config": 2, "serialize": 2, "cache": 3, "screen": 2, "parsing": 2,
    "positions": 2, "inference": 3, "explain": 4, "suppression": 4, "runner": 5, "api": 6,
    "summary": 6, "baseline": 6, "fixing": 6, "verify": 7, "reporters": 7, "output": 7, "verify_command": 8, "server": 8, "cli": 8, "__init__": 0, "__main__": 9,
}


def imports_of(path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.level:
            module = (node.module or "").split(".")[0]
            found.update([module] if module else [a.name for a in node.names])
        elif isinstance(node, ast.ImportFrom) and (node.module or "").startswith("normlint"):
            found.add(node.module.removeprefix("normlint.") if "." in node.module
                      else node.names[0].name)
    return found


def test_engine_imports_run_forward_only():
    for path in sorted((ROOT / "lint").rglob("*.py")):
        name = path.stem if path.parent.name == "lint" else path.parent.name
        for imported in {module.split(".")[0] for module in imports_of(path)}:
            if imported in ("rules", "", "__init__") or imported not in STAGE:
                continue
            assert STAGE[imported] <= STAGE[name], f"{path.name} imports later stage {imported}"


def test_rules_use_only_pure_engine_modules():
    """Facts and words, never the walk: the API knowledge rules read (what a scaler keeps,
    what `preprocess_input` maps to) is data in the inference's pure modules."""
    allowed = {"types", "inference.axes", "inference.knowledge", "explain"}
    for path in (ROOT / "rules").glob("nrm*.py"):
        assert imports_of(path) <= allowed, path.name


def modules_after(*args: str) -> set[str]:
    code = (
        "import sys, json\n"
        "from normlint.cli import main\n"
        "try:\n"
        f"    main({list(args)!r})\n"
        "except SystemExit:\n"
        "    pass\n"
        "sys.stdout = sys.__stdout__\n"
        "print('\\nMODULES=' + json.dumps(sorted(sys.modules)))\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT)
    line = done.stdout.rsplit("MODULES=", 1)[1]
    return set(json.loads(line))


def test_plain_check_imports_no_heavy_library():
    loaded = modules_after("check", "fixtures")
    heavy = {"numpy", "tensorflow", "torch", "sklearn", "keras", "pygls", "lsprotocol", "difflib"}
    assert not heavy & {m.split(".")[0] for m in loaded}


def test_libcst_is_not_imported_when_no_file_survives_the_screen(tmp_path):
    (tmp_path / "plain.py").write_text("def normalize(x):\n    return x\n")
    loaded = modules_after("check", str(tmp_path / "plain.py"))
    assert "libcst" not in loaded
