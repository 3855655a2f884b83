"""Write deploy/k8s/actions-proxy.conf (nginx between the Rasa servers and the action servers on
Kubernetes) from deploy/nginx/actions-proxy.conf.j2 and the « service indisponible » answer of
actions/answers.py: the same template and the same answer as on one machine.

    .venv/bin/python -m scripts.build_deploy [--check] [--deploy-dir deploy]

`--check` exits 1 when the file is out of date (make check-deploy), without writing.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from scripts.prod.stack import ROOT, k8s_actions_proxy_conf


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="only check that the file is up to date")
    parser.add_argument("--deploy-dir", type=Path, default=ROOT / "deploy")
    args = parser.parse_args(argv)
    path = args.deploy_dir / "k8s" / "actions-proxy.conf"
    wanted = k8s_actions_proxy_conf()
    current = path.read_text(encoding="utf-8") if path.exists() else ""
    if args.check:
        if current != wanted:
            print(f"{path} is out of date: run `.venv/bin/python -m scripts.build_deploy`.", file=sys.stderr)
            return 1
        return 0
    if current != wanted:
        path.write_text(wanted, encoding="utf-8")
        print(f"wrote {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
