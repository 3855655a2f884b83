"""deploy/k8s/actions-proxy.conf (the actions proxy on Kubernetes) is a configuration nginx
accepts (`nginx -t`), with the actions Service's name replaced by an address of this machine."""

from __future__ import annotations

import subprocess
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_the_kubernetes_actions_proxy_config_passes_nginx_t(tmp_path):
    conf = (ROOT / "deploy" / "k8s" / "actions-proxy.conf").read_text()
    assert "server actions:5055;" in conf
    (tmp_path / "default.conf").write_text(conf.replace("server actions:5055;", "server 127.0.0.1:5055;"))
    main = tmp_path / "nginx.conf"
    main.write_text(
        f"pid {tmp_path}/nginx.pid;\nerror_log {tmp_path}/error.log;\nevents {{}}\n"
        f"http {{\n    access_log off;\n    client_body_temp_path {tmp_path};\n    proxy_temp_path {tmp_path};\n"
        f"    include {tmp_path}/default.conf;\n}}\n"
    )
    result = subprocess.run(["nginx", "-t", "-p", str(tmp_path), "-c", str(main)], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
